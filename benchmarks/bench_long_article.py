"""One article, longer and longer: `kg build` of a single story of 250 KB, 500 KB and 1 MB.

    python benchmarks/bench_long_article.py [--sizes 250000 500000 1000000]

Prints figures; it is not a test. The story is made of the generator's paragraphs
(`generate_corpus.py`), one after another; each size is built as a whole process. Work
linear in the length shows as a steady time per million characters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate_corpus import ArticleWriter

KG = str(Path(sys.executable).with_name("kg"))


def long_story(characters: int, seed: int = 3) -> str:
    writer = ArticleWriter(random.Random(seed))
    paragraphs: list[str] = []
    while sum(len(p) + 2 for p in paragraphs) < characters:
        article = writer.article(dt.date(2020, 5, 1))
        story = article.split("\n\nSIGN UP")[0].split("\n\n", 2)[2]
        paragraphs += story.split("\n\n")
    return "\n\n".join(paragraphs)[:characters]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250_000, 500_000, 1_000_000])
    args = parser.parse_args()
    print(f"{'characters':>12} {'seconds':>9} {'s per million characters':>26}")
    with tempfile.TemporaryDirectory() as temp:
        for size in args.sizes:
            folder = Path(temp) / f"article-{size}"
            folder.mkdir()
            text = f"Jo Reporter 1 May 2020\n\nA very long article\n\n{long_story(size)}\n"
            (folder / "long.txt").write_text(text, encoding="utf-8")
            start = time.perf_counter()
            command = [KG, "build", str(folder), "--out", str(folder / "out"), "-q", "--no-cache"]
            subprocess.run(command, check=True)
            seconds = time.perf_counter() - start
            print(f"{size:>12,} {seconds:>9.1f} {seconds / size * 1e6:>26.1f}", flush=True)


if __name__ == "__main__":
    main()
