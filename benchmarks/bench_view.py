"""The network view at scale: how long graph.html takes to draw and how long to load in a browser.

    python benchmarks/bench_view.py [--articles 3000] [--jobs 2]
    python benchmarks/bench_view.py --graph OUT/graph.ttl     # a graph already built

Prints figures; it is not a test. Builds a seeded corpus in the samples' form
(`generate_corpus.py`) with `kg build` unless given a graph, then:

- draws the page as `kg build` does (`render_network`): seconds, nodes and links drawn;
- loads it from a file URL in headless chromium (Debian's, driven by Playwright, every
  other request aborted) and times navigation to the first drawing, then checks that no
  node has moved two seconds later: "load and settle".
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate_corpus import generate

KG = str(Path(sys.executable).with_name("kg"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--graph", type=Path, help="a graph already built (graph.ttl)")
    parser.add_argument("--keep", type=Path, help="copy the page here")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-view-") as scratch:
        graph_path = options.graph
        if graph_path is None:
            corpus, out = Path(scratch) / "corpus", Path(scratch) / "out"
            generate(corpus, options.articles, seed=7)
            started = time.perf_counter()
            subprocess.run(
                [KG, "build", str(corpus), "--out", str(out), "--jobs", str(options.jobs)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            print(
                f"kg build of {options.articles:,} articles: {time.perf_counter() - started:.0f} s"
            )
            graph_path = out / "graph.ttl"
        page = Path(scratch) / "graph.html"
        nodes, links, seconds = draw(graph_path, page)
        print(f"page drawn in {seconds:.1f} s: {nodes:,} nodes, {links:,} links")
        print(f"page size: {page.stat().st_size / 1e6:.1f} MB")
        if options.keep:
            shutil.copyfile(page, options.keep)
        load(page)


def draw(graph_path: Path, page: Path) -> tuple[int, int, float]:
    from kg.render import render_network
    from kg.store import as_rdflib_graph, open_graph

    graph = as_rdflib_graph(open_graph(graph_path))
    started = time.perf_counter()
    render_network(graph, page)
    seconds = time.perf_counter() - started
    text = page.read_text(encoding="utf-8")
    summary = text.split('<p class="summary">', 1)[1].split("</p>", 1)[0]
    nodes, links = (int(part.split()[0].replace(",", "")) for part in summary.split(", "))
    return nodes, links, seconds


def load(page: Path) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("no chromium on PATH: `make browser` installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("file:") else route.abort()
            ),
        )
        started = time.perf_counter()
        tab.goto(page.resolve().as_uri())
        tab.wait_for_selector("body[data-ready=true]", timeout=120_000)
        loaded = time.perf_counter() - started
        before = tab.evaluate("kgView.network.getPositions()")
        drawn = tab.evaluate(
            "[kgView.network.body.nodeIndices.length, kgView.network.body.edgeIndices.length]"
        )
        tab.wait_for_timeout(2000)
        after = tab.evaluate("kgView.network.getPositions()")
        moved = sum(1 for node, at in before.items() if after.get(node) != at)
        print(
            f"load and settle in headless chromium: {loaded:.1f} s"
            f" ({drawn[0]:,} nodes and {drawn[1]:,} links drawn at first;"
            f" nodes moved in the next 2 s: {moved})"
        )
        started = time.perf_counter()
        tab.check("#show-isolated")
        print(f"showing the unlinked nodes too: {time.perf_counter() - started:.1f} s")
        if errors:
            print("page errors:", *errors, sep="\n  ")
        browser.close()


if __name__ == "__main__":
    main()
