"""How well kg reads saved web pages: its story text scored on trafilatura's evaluation set.

    python benchmarks/bench_reader.py /path/to/extracted/eval

The folder is trafilatura's `tests/` evaluation material, extracted: `evaldata.json` and
the pages it names, under `eval/` or `cache/` (https://github.com/adbar/trafilatura).
Every page goes through `kg.corpus.read_article`, as `kg build` reads it, and the
article's story is scored against the page's annotations: each "with" snippet found in the
story is a true positive and each one missing a false negative; each "without" snippet
found is a false positive and each one absent a true negative. Snippets and story are
compared with runs of whitespace made one space. Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from kg.corpus import read_article
from kg.errors import KgError

WHITESPACE = re.compile(r"\s+")
PAGE_FOLDERS = ("eval", "cache")


def squash_whitespace(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()


@dataclass
class SnippetCounts:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    true_negatives: int = 0

    def add_page(self, story: str, wanted: list[str], unwanted: list[str]) -> None:
        story = squash_whitespace(story)
        found = sum(squash_whitespace(snippet) in story for snippet in wanted)
        leaked = sum(squash_whitespace(snippet) in story for snippet in unwanted)
        self.true_positives += found
        self.false_negatives += len(wanted) - found
        self.false_positives += leaked
        self.true_negatives += len(unwanted) - leaked

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 0.0

    @property
    def recall(self) -> float:
        relevant = self.true_positives + self.false_negatives
        return self.true_positives / relevant if relevant else 0.0

    @property
    def f1(self) -> float:
        both = self.precision + self.recall
        return 2 * self.precision * self.recall / both if both else 0.0


def page_path(folder: Path, name: str) -> Path | None:
    for subfolder in PAGE_FOLDERS:
        path = folder / subfolder / name
        if path.is_file():
            return path
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the extracted evaluation folder")
    parser.add_argument("--show-failures", action="store_true", help="print why pages failed")
    args = parser.parse_args()
    annotations = json.loads((args.folder / "evaldata.json").read_text(encoding="utf-8"))
    counts = SnippetCounts()
    empty: list[str] = []
    failed: list[tuple[str, str]] = []
    missing: list[str] = []
    seconds = cpu_seconds = 0.0
    for url in sorted(annotations):
        page = annotations[url]
        path = page_path(args.folder, page["file"])
        if path is None:
            missing.append(page["file"])
            continue
        start, cpu_start = time.perf_counter(), time.process_time()
        try:
            story = read_article(path).story
        except KgError as error:  # a page kg refuses scores as a page with no text
            story = ""
            failed.append((page["file"], str(error)))
        except Exception as error:  # so is a crash, which is also a bug to report
            story = ""
            failed.append((page["file"], f"crash: {type(error).__name__}: {error}"))
        seconds += time.perf_counter() - start
        cpu_seconds += time.process_time() - cpu_start
        if not story.strip():
            empty.append(page["file"])
        counts.add_page(story, page["with"], page["without"])
    pages = len(annotations) - len(missing)
    print(f"pages            {pages}")
    print(f"precision        {counts.precision:.3f}")
    print(f"recall           {counts.recall:.3f}")
    print(f"F1               {counts.f1:.3f}")
    print(f"no story         {len(empty)}")
    print(f"failed           {len(failed)}")
    # CPU time as well: on a shared machine the clock counts other processes' turns.
    print(
        f"ms a page        {1000 * seconds / max(pages, 1):.1f} ({1000 * cpu_seconds / max(pages, 1):.1f} CPU)"
    )
    if missing:
        print(f"files not found  {len(missing)}: {', '.join(missing[:5])}")
    if args.show_failures:
        for name, reason in failed:
            print(f"  {name}: {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
