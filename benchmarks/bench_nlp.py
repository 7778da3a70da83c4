"""The spaCy floor against the whole build: articles/s, and where the time between them goes.

    python benchmarks/bench_nlp.py [--articles 2000] [--jobs 2] [--batch-size 32]

Prints figures; it is not a test. The corpus is made from the bundled samples as
`bench_build.py` makes it. Three measurements, each in fresh worker processes, so every
one pays its own pipeline load as a real build does:

- the floor: each of `--jobs` processes reads its share of the articles
  (`kg.corpus.read_article`) and runs `kg.nlp.load_pipeline().pipe` over their stories;
- the whole build: `kg.build.build(...)` with the same number of workers, HTML included;
- the breakdown: the worker stages timed one by one in the same number of processes
  (read, parse, each family's extractor, the mention copy and merge the posts rules read,
  pickling the result back), then the single-process stages (resolve, RDF, Turtle, HTML).

The parent process never loads the pipeline: forked workers would inherit it for free.
"""

from __future__ import annotations

import argparse
import pickle
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from generate_corpus import generate
from rich.console import Console
from rich.table import Table

from kg.build import ReadResult, build, extract_corpus
from kg.corpus import find_article_files, read_article
from kg.files import write_atomically
from kg.rdf import build_graph, serialize_turtle
from kg.render import render_network
from kg.resolve import resolve

LOAD = "pipeline load"
READ = "read"
PIPE = "nlp.pipe"
PARSE = "parse, one nlp(story) a call"
COPY = "  of roles: Doc.copy"
MERGE = "  of roles: find mentions + retokenize"
PICKLE = "pickle result to the parent"


def shares(files: Sequence[Path], jobs: int) -> list[list[Path]]:
    """The files dealt round-robin to `jobs` workers, as evenly as they go."""
    return [list(files[index::jobs]) for index in range(jobs)]


def floor_worker(paths: list[Path], batch_size: int) -> Counter[str]:
    """Read a share of the corpus and run nlp.pipe over its stories: nothing else."""
    from kg.nlp import load_pipeline

    seconds: Counter[str] = Counter()
    mark = time.perf_counter()
    nlp = load_pipeline()
    seconds[LOAD] += time.perf_counter() - mark
    mark = time.perf_counter()
    stories = [read_article(path).story for path in paths]
    seconds[READ] += time.perf_counter() - mark
    mark = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(stories, batch_size=batch_size))
    seconds[PIPE] += time.perf_counter() - mark
    seconds["tokens"] = tokens
    return seconds


def stage_worker(paths: list[Path]) -> Counter[str]:
    """What `kg.build.read_and_extract` does to a share of the corpus, one stage at a time."""
    from kg.document import Document
    from kg.extract.chunks import mentions
    from kg.family import registered
    from kg.nlp import load_pipeline

    seconds: Counter[str] = Counter()
    mark = time.perf_counter()
    nlp = load_pipeline()
    seconds[LOAD] += time.perf_counter() - mark
    for path in paths:
        start = time.perf_counter()
        article = read_article(path)
        seconds[READ] += time.perf_counter() - start
        start = time.perf_counter()
        doc = nlp(article.story)  # as Document.doc does: one call per article, no batching
        seconds[PARSE] += time.perf_counter() - start
        document = Document(article, doc)
        facts = []
        for family in registered():
            if family.extract is None:
                continue
            start = time.perf_counter()
            facts.extend(family.extract(document))
            seconds[f"extract: {family.name}"] += time.perf_counter() - start
        # The roles family's posts rules call mentions(doc); timed again here, in two parts.
        start = time.perf_counter()
        doc.copy()
        seconds[COPY] += time.perf_counter() - start
        start = time.perf_counter()
        mentions(doc)
        seconds[MERGE] += time.perf_counter() - start
        start = time.perf_counter()
        pickle.dumps(ReadResult(path, article.after_extraction(), tuple(facts), None))
        seconds[PICKLE] += time.perf_counter() - start
    seconds[MERGE] -= seconds[COPY]  # mentions() copies the Doc itself
    return seconds


def in_workers(
    jobs: int, worker: Callable[..., Counter[str]], *args: list
) -> tuple[float, list[Counter[str]]]:
    """Run `worker(share, *args)` in `jobs` fresh processes: wall seconds, each one's stages."""
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        each = list(pool.map(worker, *args))
    return time.perf_counter() - start, each


def summed(each: list[Counter[str]]) -> Counter[str]:
    total: Counter[str] = Counter()
    for seconds in each:
        total.update(seconds)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    jobs = args.jobs
    with tempfile.TemporaryDirectory() as temp:
        corpus, out = Path(temp) / "corpus", Path(temp) / "out"
        corpus.mkdir()
        out.mkdir()
        generate(corpus, args.articles)
        files = [found.path for found in find_article_files([corpus])]
        count = len(files)
        split = shares(files, jobs)

        floor_wall, floor_each = in_workers(jobs, floor_worker, split, [args.batch_size] * jobs)
        summary = build([corpus], out, workers=jobs)
        parallel_wall, stage_each = in_workers(jobs, stage_worker, split)

        serial: dict[str, float] = {}
        start = time.perf_counter()
        articles, facts, _ = extract_corpus([corpus], workers=jobs)
        serial["read + extract (parallel, as the build)"] = time.perf_counter() - start
        mark = time.perf_counter()
        resolution = resolve(articles, facts)
        serial["resolve"] = time.perf_counter() - mark
        mark = time.perf_counter()
        graph = build_graph(articles, facts, resolution)
        serial["RDF (rdflib)"] = time.perf_counter() - mark
        mark = time.perf_counter()
        turtle = serialize_turtle(graph)
        serial["Turtle"] = time.perf_counter() - mark
        mark = time.perf_counter()
        write_atomically(out / "graph.ttl", turtle)
        serial["write graph.ttl"] = time.perf_counter() - mark
        mark = time.perf_counter()
        render_network(graph, out / "graph.html")
        serial["HTML (pyvis)"] = time.perf_counter() - mark
        staged_total = time.perf_counter() - start

    floor, stages = summed(floor_each), summed(stage_each)
    # The floor: the slowest worker's reading and nlp.pipe, the pipeline already loaded.
    floor_seconds = max(seconds[READ] + seconds[PIPE] for seconds in floor_each)
    console = Console()
    console.print(
        f"{count} articles, {int(floor['tokens'])} tokens, {summary.triples} triples, "
        f"{jobs} worker processes, nlp.pipe batch size {args.batch_size}"
    )
    headline = Table(title="Floor and whole build")
    for column in ("measure", "seconds", "articles/s", "build as % of it"):
        headline.add_column(column, justify="left" if column == "measure" else "right")
    rows = [
        ("floor: read + nlp.pipe, slowest worker", floor_seconds),
        ("floor with process start + pipeline load (wall)", floor_wall),
        ("whole build: kg.build.build (wall)", summary.seconds),
        ("the build's stages timed one after another", staged_total),
    ]
    for measure, seconds in rows:
        share = f"{100 * seconds / summary.seconds:.0f} %" if seconds != summary.seconds else ""
        headline.add_row(measure, f"{seconds:.1f}", f"{count / seconds:.0f}", share)
    console.print(headline)

    where = Table(title="Where the build's time goes (worker stages: CPU seconds / workers)")
    for column in ("stage", "seconds", "% of build", "ms per article (CPU)"):
        where.add_column(column, justify="left" if column == "stage" else "right")

    def row(stage: str, seconds: float, cpu: float | None = None) -> None:
        per_article = "" if cpu is None else f"{1000 * cpu / count:.2f}"
        share = f"{100 * seconds / summary.seconds:.0f} %"
        where.add_row(stage, f"{seconds:.2f}", share, per_article)

    worker_cpu = 0.0
    for stage, cpu in stages.items():
        if stage not in {COPY, MERGE}:
            worker_cpu += cpu
        row(stage, cpu / jobs, cpu)
    phase = serial["read + extract (parallel, as the build)"]
    row("pool start, IPC, unpickling, idle workers", max(0.0, phase - worker_cpu / jobs))
    for stage, seconds in serial.items():
        if stage != "read + extract (parallel, as the build)":
            row(stage, seconds)
    where.add_row("", "", "", "")
    row("for comparison: the floor's nlp.pipe", floor[PIPE] / jobs, floor[PIPE])
    row("for comparison: stage workers' wall", parallel_wall)
    console.print(where)


if __name__ == "__main__":
    main()
