"""Build throughput: articles per second for corpora made from the bundled samples.

    python benchmarks/bench_build.py [--articles 2000] [--jobs N]

Prints figures; it is not a test. Each stage is timed separately so a slowdown can be
placed: reading + extraction (parallel), resolution, RDF, Turtle serialisation.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from kg.build import extract_corpus
from kg.corpus import bundled_samples
from kg.rdf import build_graph, serialize_turtle
from kg.resolve import resolve


def make_corpus(folder: Path, count: int) -> None:
    samples = sorted(bundled_samples().glob("*.txt"))
    for index in range(count):
        sample = samples[index % len(samples)]
        shutil.copyfile(sample, folder / f"{index:06d}_{sample.name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        corpus = Path(temp)
        make_corpus(corpus, args.articles)
        timings: dict[str, float] = {}
        start = time.perf_counter()
        articles, facts, _ = extract_corpus([corpus], workers=args.jobs)
        timings["read + extract"] = time.perf_counter() - start
        mark = time.perf_counter()
        resolution = resolve(articles, facts)
        timings["resolve"] = time.perf_counter() - mark
        mark = time.perf_counter()
        graph = build_graph(articles, facts, resolution)
        timings["rdf"] = time.perf_counter() - mark
        mark = time.perf_counter()
        turtle = serialize_turtle(graph)
        timings["turtle"] = time.perf_counter() - mark
        total = time.perf_counter() - start
    print(
        f"{len(articles)} articles, {len(facts)} facts, {len(graph)} triples, {len(turtle) / 1e6:.1f} MB Turtle, {args.jobs} jobs"
    )
    for stage, seconds in timings.items():
        print(f"  {stage:<15} {seconds:7.2f} s  {len(articles) / seconds:9.0f} articles/s")
    print(f"  {'total':<15} {total:7.2f} s  {len(articles) / total:9.0f} articles/s")


if __name__ == "__main__":
    main()
