"""Build and query at scale: a generated corpus of N articles, built cold and rebuilt.

    python benchmarks/bench_build.py [--articles 1000 10000] [--jobs 2] [--rdflib-timeout 600]

Prints figures; it is not a test. For each N, on a seeded corpus in the samples' form
(`generate_corpus.py`), each step a whole process as a user runs it:

- the cold build (`kg build`): articles/s, seconds of each stage, and the share that is not
  extraction; peak memory of the build and its workers together (proportional set size);
- the rebuild with nothing changed, and with 1% of the articles changed;
- each named query (`kg/queries/*.rq`) as `kg query ... --format csv`, wall-clock seconds;
- each named query in one process on each engine, answer read to the last row, the fastest
  of three runs: the build's Oxigraph store, and rdflib's memory store after loading
  graph.ttl into it. rdflib is
  given 11 times Oxigraph's time for each query (at least 2 s, at most `--rdflib-timeout`):
  a query stopped there is shown as "> limit (stopped)", and is that many times slower.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from generate_corpus import generate
from rich.console import Console
from rich.table import Table

QUERIES = Path(__file__).parents[1] / "kg" / "queries"
KG = str(Path(sys.executable).with_name("kg"))

# Runs in a child process: the build as `kg build` runs it, and its summary as JSON.
BUILD = """
import json, sys
from pathlib import Path
from kg.build import build
summary = build([Path(sys.argv[1])], Path(sys.argv[2]), workers=int(sys.argv[3]))
print(json.dumps({"articles": summary.articles, "cached": summary.cached,
    "triples": summary.triples, "stages": summary.stages, "up_to_date": summary.up_to_date,
    "skipped": len(summary.skipped)}))
"""

# Runs in a child process: the graph in one engine, then each query in turn, each given
# its own limit in seconds ("path=seconds"). Each query runs three times and the fastest
# run counts, in either engine (one stopped at its limit is not run again): a first run
# also pays for what the process has not yet read or imported (an Oxigraph store's first
# query can take twice as long as its second), and this machine's timings swing by a third.
IN_PROCESS = """
import json, signal, sys, time
from pathlib import Path
from rdflib import Graph
from kg.query import read_query_text, run_query
from kg.store import open_graph
class TooLong(BaseException):  # kg reports an Exception in a query as the query's error
    pass
def stop(*_):
    raise TooLong
signal.signal(signal.SIGALRM, stop)
RUNS = 3
start = time.perf_counter()
if sys.argv[1] == "rdflib":
    graph = Graph().parse(sys.argv[2], format="turtle")
else:
    graph = open_graph(Path(sys.argv[2]))
seconds = {"load": time.perf_counter() - start}
def timed(text, limit):
    start = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        len(run_query(graph, text).rows)
        return time.perf_counter() - start
    except TooLong:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
for argument in sys.argv[3:]:
    path, _, limit = argument.rpartition("=")
    text = read_query_text(path)
    runs = [timed(text, float(limit))]
    while runs[-1] is not None and len(runs) < RUNS:
        runs.append(timed(text, float(limit)))
    finished = [run for run in runs if run is not None]
    seconds[path] = min(finished) if finished else None
print(json.dumps(seconds))
"""


def process_tree(root: int) -> list[int]:
    """`root` and every process descended from it, found by each process's parent in
    /proc (the kernel's `children` lists are reliable only for stopped processes)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:  # it ended
                continue
            # The fields after the name, which may hold spaces or parentheses: state, parent.
            parent = int(stat[stat.rindex(")") + 2 :].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending += children.get(pid, [])
    return sorted(tree)


def tree_memory(root: int) -> int | None:
    """Bytes of memory a process and all its descendants hold: the proportional set size,
    so pages forked workers share with their parent are counted once, not once a worker.

    None when a process started or ended while they were read: a worker forked after its
    parent was read would count the pages they share once whole and once in part.
    """
    tree = process_tree(root)
    total = 0
    for pid in tree:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:  # it ended, or has and waits to be reaped: it holds nothing
            continue
        total += next(
            (
                int(line.split()[1]) * 1024
                for line in rollup.splitlines()
                if line.startswith("Pss:")
            ),
            0,
        )
    return total if process_tree(root) == tree else None


def run_measured(command: list[str]) -> tuple[float, int, str]:
    """Run `command`; its wall-clock seconds, peak memory of its process tree, stdout."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_memory(process.pid) or 0)
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    return seconds, peak, stdout


def build_once(corpus: Path, out: Path, jobs: int) -> tuple[float, int, dict]:
    seconds, peak, stdout = run_measured(
        [sys.executable, "-c", BUILD, str(corpus), str(out), str(jobs)]
    )
    return seconds, peak, json.loads(stdout.strip().splitlines()[-1])


def change_articles(corpus: Path, share: float, seed: int) -> int:
    """Edit `share` of the articles: one more sentence each, naming a new person."""
    files = sorted(corpus.iterdir())
    step = max(1, round(1 / share))
    changed = files[seed % step :: step]
    for number, path in enumerate(changed):
        text = path.read_text(encoding="utf-8")
        addition = (
            f"\n\nThe council said Morwenna Tregaskis-{number}, its new head of "
            f"safeguarding, would start next month.\n"
        )
        head, _, adverts = text.partition("\n\nSIGN UP")
        path.write_text(head + addition + "\n\nSIGN UP" + adverts, encoding="utf-8")
    return len(changed)


def time_queries(graph: Path, queries: list[Path]) -> dict[str, float]:
    seconds = {}
    for query in queries:
        start = time.perf_counter()
        subprocess.run(
            # kg query's own limit (30 s) is for people; a listing of a large graph may take more.
            [
                KG,
                "query",
                str(query),
                "--graph",
                str(graph),
                "--format",
                "csv",
                "--timeout",
                "3600",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        seconds[query.stem] = time.perf_counter() - start
    return seconds


def time_in_process(engine: str, graph: Path, limits: dict[Path, float]) -> dict[str, float | None]:
    command = [sys.executable, "-c", IN_PROCESS, engine, str(graph)]
    command += [f"{query}={limit:.2f}" for query, limit in limits.items()]
    # The whole run may not outlast three runs of every query at its limit, and a generous load.
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=3 * sum(limits.values()) + 3600
    )
    if result.returncode:
        raise SystemExit(f"{engine} run failed: {result.stderr.strip().splitlines()[-1:]}")
    seconds = json.loads(result.stdout.strip().splitlines()[-1])
    return {Path(name).stem if name != "load" else name: value for name, value in seconds.items()}


# rdflib is given this many times Oxigraph's time for each query (and at least a few
# seconds, at most --rdflib-timeout): stopped there, it is at least that many times slower,
# and a run where rdflib takes minutes a query still ends.
RDFLIB_ALLOWANCE = 11
RDFLIB_LEAST_SECONDS = 2.0


def _or(seconds: float | None, otherwise: float) -> float:
    return otherwise if seconds is None else seconds


def rdflib_limits(oxigraph: dict[str, float | None], queries: list[Path], cap: float) -> dict:
    return {
        query: min(
            cap, max(RDFLIB_LEAST_SECONDS, RDFLIB_ALLOWANCE * _or(oxigraph[query.stem], cap))
        )
        for query in queries
    }


def benchmark(count: int, jobs: int, limit: float, work: Path, console: Console) -> dict:
    corpus, out = work / f"corpus-{count}", work / f"out-{count}"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    generate(corpus, count, seed=7)
    console.log(f"{count} articles generated; cold build")
    cold_seconds, cold_peak, cold = build_once(corpus, out, jobs)
    console.log(f"cold build {cold_seconds:.1f} s; rebuild with nothing changed")
    same_seconds, same_peak, same = build_once(corpus, out, jobs)
    changed = change_articles(corpus, 0.01, seed=count)
    console.log(f"{changed} articles changed; rebuild")
    changed_seconds, changed_peak, after_change = build_once(corpus, out, jobs)
    queries = sorted(QUERIES.glob("*.rq"))
    console.log("named queries through kg query (Oxigraph store)")
    store_seconds = time_queries(out / "graph.ttl", queries)
    console.log("named queries in one process, on the store and on rdflib's memory store")
    oxigraph_seconds = time_in_process("oxigraph", out / "graph.ttl", dict.fromkeys(queries, limit))
    limits = rdflib_limits(oxigraph_seconds, queries, limit)
    rdflib_seconds = time_in_process("rdflib", out / "graph.ttl", limits)
    return {
        "articles": count,
        "triples": cold["triples"],
        "cold": {"seconds": cold_seconds, "peak": cold_peak, "stages": cold["stages"]},
        "unchanged": {"seconds": same_seconds, "peak": same_peak, "up_to_date": same["up_to_date"]},
        "changed": {
            "articles": changed,
            "seconds": changed_seconds,
            "peak": changed_peak,
            "cached": after_change["cached"],
            "stages": after_change["stages"],
        },
        "kg_query": store_seconds,
        "oxigraph_queries": oxigraph_seconds,
        "rdflib_queries": rdflib_seconds,
        "rdflib_limits": {query.stem: seconds for query, seconds in limits.items()},
    }


def print_results(results: list[dict], jobs: int, console: Console) -> None:
    table = Table(title=f"kg build at scale ({jobs} jobs, {os.cpu_count()} cores)")
    for column in (
        "articles",
        "triples",
        "cold build",
        "articles/s",
        "s per 1k articles",
        "not extraction",
        "peak memory",
        "rebuild, nothing changed",
        "rebuild, 1% changed",
    ):
        table.add_column(column, justify="right")
    for result in results:
        cold = result["cold"]
        not_extraction = sum(v for k, v in cold["stages"].items() if k != "extract")
        share = not_extraction / cold["seconds"]
        table.add_row(
            f"{result['articles']:,}",
            f"{result['triples']:,}",
            f"{cold['seconds']:.1f} s",
            f"{result['articles'] / cold['seconds']:.1f}",
            f"{cold['seconds'] / result['articles'] * 1000:.1f} s",
            f"{not_extraction:.1f} s ({share:.0%})",
            f"{cold['peak'] / 1e9:.2f} GB" if cold["peak"] else "not read",
            f"{result['unchanged']['seconds']:.1f} s "
            f"({result['unchanged']['seconds'] / cold['seconds']:.1%})",
            f"{result['changed']['seconds']:.1f} s "
            f"({result['changed']['seconds'] / cold['seconds']:.1%})",
        )
    console.print(table)
    for result in results:
        stages = Table(title=f"{result['articles']:,} articles: seconds by stage")
        stages.add_column("build")
        for stage in result["cold"]["stages"]:
            stages.add_column(stage, justify="right")
        for name in ("cold", "changed"):
            stages.add_row(name, *(f"{s:.1f}" for s in result[name]["stages"].values()))
        console.print(stages)
        queries = Table(title=f"{result['articles']:,} articles: named queries, seconds")
        for column in (
            "query",
            "kg query, whole process",
            "Oxigraph store, in process",
            "rdflib memory store, in process",
            "Oxigraph faster by",
        ):
            queries.add_column(column, justify="right" if column != "query" else "left")
        oxigraph, rdflib = result["oxigraph_queries"], result["rdflib_queries"]
        queries.add_row(
            "(open or load the graph)", "", f"{oxigraph['load']:.2f}", f"{rdflib['load']:.1f}", ""
        )
        for name, whole in result["kg_query"].items():
            ours, theirs = oxigraph[name], rdflib.get(name)
            limit = result["rdflib_limits"][name]
            shown = f"> {limit:.1f} (stopped)" if theirs is None else f"{theirs:.2f}"
            if ours is None:  # Oxigraph itself ran out of time: no ratio to speak of
                faster = "n/a"
            else:
                ratio = (limit if theirs is None else theirs) / max(ours, 1e-4)
                # A ratio near a target of 10× must not be rounded up to it.
                shown_ratio = f"{ratio:.1f}" if ratio < 10.5 else f"{ratio:,.0f}"
                faster = f"{'≥ ' if theirs is None else ''}{shown_ratio}×"
            queries.add_row(
                name,
                f"{whole:.2f}",
                "> limit" if ours is None else f"{ours:.3f}",
                shown,
                faster,
            )
        console.print(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--rdflib-timeout",
        type=float,
        default=600,
        help="the most seconds rdflib is given for one query (else 11× Oxigraph's time)",
    )
    parser.add_argument("--work", type=Path, help="keep corpora and outputs here")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if args.rdflib_timeout < RDFLIB_LEAST_SECONDS:
        parser.error(f"--rdflib-timeout must be at least {RDFLIB_LEAST_SECONDS:g} seconds")
    console = Console(width=None if sys.stdout.isatty() else 150)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        results = [
            benchmark(count, args.jobs, args.rdflib_timeout, work, console)
            for count in args.articles
        ]
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print_results(results, args.jobs, console)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
