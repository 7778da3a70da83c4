"""The child process in which `kg query` asks the build's Oxigraph store, so it can be stopped.

Oxigraph computes an aggregate over a large join (`SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c .
?d ?e ?f }`) in Rust without coming back to Python, so neither a signal nor a thread can stop
it in the process that asked; killing a child process can. `kg.query` runs this file as a
script, not as a module of the package, so that it imports pyoxigraph alone and starts in a
few hundredths of a second.

    python store_query_process.py STORE_FOLDER < question.json > answer

The question comes on stdin as JSON: {"query": "SELECT ...", "prefixes": {"rdfs": "http://..."},
"bindings": {"since": "\"2020-01-01\"^^<http://www.w3.org/2001/XMLSchema#date>"}}, the prefixes
declared for the query and the values of its parameters, written in N-Triples. Once the store is open and has taken the query,
stdout gets one byte, ANSWERING, then the answer: SELECT and ASK answers as SPARQL TSV, CONSTRUCT and DESCRIBE answers as
N-Triples, written as they are computed.
Exit status 0: answered in full; 1: the query failed; 3: the store cannot be opened. On
failure stderr says why, in one line.
"""

from __future__ import annotations

import json
import sys

import pyoxigraph

QUERY_FAILED = 1
STORE_UNREADABLE = 3
# Written before the answer, so the parent knows the query was taken: an answer can be empty.
ANSWERING = b"+"


def main(store_folder: str) -> int:
    question = json.loads(sys.stdin.buffer.read())
    try:
        store = pyoxigraph.Store.read_only(store_folder)
    # A folder that is no store, or a damaged one, raises OSError or RuntimeError
    # ("Corruption: CURRENT file corrupted").
    except Exception as exc:
        print(exc, file=sys.stderr)
        return STORE_UNREADABLE
    output = sys.stdout.buffer
    try:
        answer = store.query(
            question["query"],
            prefixes=question["prefixes"],
            substitutions={
                pyoxigraph.Variable(name): parse_term(text)
                for name, text in question.get("bindings", {}).items()
            },
        )
        output.write(ANSWERING)
        output.flush()
        if isinstance(answer, pyoxigraph.QueryTriples):
            answer.serialize(output, pyoxigraph.RdfFormat.N_TRIPLES)
        else:
            answer.serialize(output, pyoxigraph.QueryResultsFormat.TSV)
        output.flush()
    except BrokenPipeError:
        return 0  # the reader has all it wants
    # SyntaxError for a query Oxigraph reads otherwise than rdflib, OSError or RuntimeError
    # from the store: whichever it is, the parent reports this one line.
    except Exception as exc:
        print(exc, file=sys.stderr)
        return QUERY_FAILED
    return 0


def parse_term(text: str) -> object:
    """A term written in N-Triples (as the parent writes bindings), read by Oxigraph's parser."""
    triple = next(
        iter(pyoxigraph.parse(f"<urn:kg:s> <urn:kg:p> {text} .", pyoxigraph.RdfFormat.N_TRIPLES))
    )
    return triple.object


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
