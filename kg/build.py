"""Build the graph of a corpus: read → extract → resolve → RDF → graph.ttl and graph.html.

Reading and extraction of one file depend on that file alone, so large corpora are
spread over worker processes; resolution and the graph need the whole corpus and run
once at the end. Outputs are written atomically: a failed build leaves the last good
graph in place.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph

from kg.cache import CACHE_FOLDER, ArticleCache
from kg.corpus import SkippedFile, find_article_files, read_article
from kg.errors import InputError, KgError
from kg.extract import extract_facts
from kg.family import Family
from kg.model import Article, Fact
from kg.nlp import parse_many
from kg.outputs import OutputSet, new_output_set
from kg.processes import init_worker
from kg.rdf import TURTLE_PREFIXES, ArticleFacts, corpus_ntriples
from kg.resolve import resolve
from kg.store import NewStore

if TYPE_CHECKING:
    from spacy.tokens import Doc

logger = logging.getLogger(__name__)

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 64

ProgressCallback = Callable[[Path], None]
StageCallback = Callable[[str], None]
"""Told the name of each stage after reading ("resolving", "writing the store", ...)."""


@dataclass
class BuildSummary:
    articles: int = 0
    cached: int = 0  # articles whose facts came from the article cache
    skipped: list[SkippedFile] = field(default_factory=list)
    facts_by_kind: Counter[str] = field(default_factory=Counter)
    entities: int = 0
    triples: int = 0
    seconds: float = 0.0
    graph_path: Path | None = None
    html_path: Path | None = None
    # Nothing read, nothing written: the inputs were those of the last build (kg.cache).
    up_to_date: bool = False
    # Seconds of each stage, in order: extract, resolve, write (the store), outputs (the
    # Turtle, and the page drawn meanwhile).
    stages: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReadResult:
    path: Path
    article: Article | None
    facts: tuple[Fact, ...]
    skipped: SkippedFile | None


def read_and_extract(path: Path, families: Sequence[Family] | None = None) -> ReadResult:
    """One file's article and facts: pure, so it can run in any worker."""
    return read_and_extract_batch([path], families)[0]


def read_and_extract_batch(
    paths: Sequence[Path], families: Sequence[Family] | None = None
) -> list[ReadResult]:
    """Several files' articles and facts, their stories parsed together (`nlp.pipe`
    batches them, which a parse per story cannot)."""
    articles: dict[Path, Article] = {}
    results: dict[Path, ReadResult] = {}
    for path in paths:
        try:
            articles[path] = read_article(path)
        except InputError as error:
            results[path] = ReadResult(path, None, (), SkippedFile(path, str(error)))
    try:
        docs: list[Doc | None] = list(parse_many(a.story for a in articles.values()))
    except Exception:  # one story the parser rejects must not cost its batch
        logger.debug("batch parse failed; parsing one story at a time", exc_info=True)
        docs = [None] * len(articles)  # each Document parses its own story, alone
    for (path, article), doc in zip(articles.items(), docs, strict=True):
        try:
            facts = tuple(extract_facts(article, families=families, doc=doc))
        except Exception as error:  # one article must not stop a build of thousands
            # The summary names the file and the error in one line; the traceback is for --debug.
            logger.debug("extraction failed on %s", path, exc_info=True)
            reason = f"{path}: extraction failed ({type(error).__name__}: {error})"
            results[path] = ReadResult(path, None, (), SkippedFile(path, reason))
            continue
        results[path] = ReadResult(path, article, facts, None)
    return [results[path] for path in paths]


# Articles a worker reads and parses together: enough for `nlp.pipe` to batch, few enough
# that progress moves and the two workers share the corpus evenly.
BATCH_SIZE = 32


def _batches(files: Sequence[Path], size: int) -> list[list[Path]]:
    return [list(files[start : start + size]) for start in range(0, len(files), size)]


def _results(
    files: Sequence[Path], workers: int, families: Sequence[Family] | None
) -> Iterator[ReadResult]:
    # Families passed in (a test's own) are defined in the caller's process: extract here.
    if workers <= 1 or len(files) < PARALLEL_THRESHOLD or families is not None:
        for batch in _batches(files, BATCH_SIZE):
            yield from read_and_extract_batch(batch, families)
        return
    size = max(1, min(BATCH_SIZE, len(files) // (workers * 4)))
    with ProcessPoolExecutor(
        max_workers=workers, initializer=init_worker, initargs=(os.getpid(),)
    ) as pool:
        for results in pool.map(read_and_extract_batch, _batches(files, size)):
            yield from results


def _cached_results(
    files: Sequence[Path], cache: ArticleCache
) -> tuple[dict[Path, ReadResult], dict[Path, str]]:
    """The files the cache answers, and the cache keys of the rest."""
    found: dict[Path, ReadResult] = {}
    missing: dict[Path, str] = {}
    for path in files:
        key = cache.key_of(path)
        if key is None:
            continue  # the reader says why, in one line
        hit = cache.get(key)
        if hit is None:
            missing[path] = key
        else:
            found[path] = ReadResult(path, hit.article, hit.facts, None)
    return found, missing


def _all_results(
    files: Sequence[Path],
    workers: int,
    families: Sequence[Family] | None,
    cache: ArticleCache | None,
) -> Iterator[tuple[ReadResult, bool]]:
    """(result, came from the cache) for every file, in the files' order."""
    if cache is None:
        for result in _results(files, workers, families):
            yield result, False
        return
    hits, keys = _cached_results(files, cache)
    fresh = _results([path for path in files if path not in hits], workers, families)
    for path in files:
        if path in hits:
            yield hits[path], True
            continue
        result = next(fresh)
        if result.article is not None and path in keys:
            cache.put(keys[path], result.article, result.facts)
        yield result, False


def extract_corpus(
    paths: Sequence[Path],
    workers: int | None = None,
    on_file: ProgressCallback | None = None,
    families: Sequence[Family] | None = None,
    cache: ArticleCache | None = None,
    summary: BuildSummary | None = None,
) -> tuple[list[Article], list[Fact], list[SkippedFile]]:
    """Every readable article under `paths`, all their facts, and the files skipped."""
    corpus, skipped = extract_articles(paths, workers, on_file, families, cache, summary)
    articles = [article for article, _ in corpus]
    facts = [fact for _, article_facts in corpus for fact in article_facts]
    return articles, facts, skipped


def extract_articles(
    paths: Sequence[Path],
    workers: int | None = None,
    on_file: ProgressCallback | None = None,
    families: Sequence[Family] | None = None,
    cache: ArticleCache | None = None,
    summary: BuildSummary | None = None,
) -> tuple[list[ArticleFacts], list[SkippedFile]]:
    """Each readable article under `paths` with its facts, in the files' order, and the
    files skipped."""
    files = find_article_files(paths)
    if not files:
        raise InputError(f"no article files under {', '.join(str(p) for p in paths)}")
    corpus: list[ArticleFacts] = []
    skipped: list[SkippedFile] = []
    seen_ids: dict[str, Path] = {}
    for result, cached in _all_results(files, workers or os.cpu_count() or 1, families, cache):
        if on_file:
            on_file(result.path)
        if cached and summary is not None:
            summary.cached += 1
        if result.skipped:
            skipped.append(result.skipped)
            continue
        assert result.article is not None
        if result.article.id in seen_ids:
            # Two files with one stem would share IRIs; keep the first, say so.
            reason = f"{result.path}: same name as {seen_ids[result.article.id]}; skipped"
            skipped.append(SkippedFile(result.path, reason))
            continue
        seen_ids[result.article.id] = result.path
        if cache is not None:
            cache.bind_article(result.article.id, result.path)
        corpus.append((result.article, result.facts))
    if not corpus:
        raise InputError("no readable articles: " + "; ".join(s.reason for s in skipped[:3]))
    return corpus, skipped


def build(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    workers: int | None = None,
    html: bool = True,
    on_file: ProgressCallback | None = None,
    families: Sequence[Family] | None = None,
    use_cache: bool = True,
    on_stage: StageCallback | None = None,
) -> BuildSummary:
    """Build the corpus under `paths` into `out_dir`/graph.ttl (and graph.html).

    Extraction results are kept per article in `out_dir`/.kg-cache and reused while the
    file and kg are unchanged (`use_cache=False` reads everything afresh and keeps nothing);
    when no file has changed since the last build and its outputs are as it left them, the
    build does nothing and says so (`BuildSummary.up_to_date`).
    `families` replaces the registered fact families (`kg.families.FAMILIES`) for this
    build; a build with families of its own is never cached.
    """
    started = time.perf_counter()
    try:
        with new_output_set(out_dir) as outputs:
            summary = _build_into(
                outputs, paths, workers, html, on_file, families, use_cache, on_stage
            )
    except OSError as error:
        raise KgError(f"cannot write to {out_dir}: {error.strerror or error}") from error
    summary.seconds = time.perf_counter() - started
    return summary


def _build_into(
    outputs: OutputSet,
    paths: Sequence[Path],
    workers: int | None,
    html: bool,
    on_file: ProgressCallback | None,
    families: Sequence[Family] | None,
    use_cache: bool,
    on_stage: StageCallback | None,
) -> BuildSummary:
    out_dir = outputs.out_dir
    summary = BuildSummary()
    workers = workers or os.cpu_count() or 1
    cache = ArticleCache(out_dir / CACHE_FOLDER) if use_cache and families is None else None
    files = find_article_files(paths)
    if cache is not None:
        last = cache.last_build(files, html=html, out_dir=out_dir)
        if last is not None:
            return last
    stage = _Stages(summary, on_stage)
    corpus, skipped = extract_articles(files or paths, workers, on_file, families, cache, summary)
    stage("resolving")
    articles = [article for article, _ in corpus]
    facts = [fact for _, article_facts in corpus for fact in article_facts]
    resolution = resolve(articles, facts, families)
    summary.articles = len(articles)
    summary.skipped = skipped
    summary.facts_by_kind = Counter(fact.kind for fact in facts)
    summary.entities = len(resolution.entities)
    draw = None
    if html:
        draw = functools.partial(_draw_view, out_path=outputs.path("graph.html"), families=families)
    with NewStore(outputs.path("graph.ttl")) as new_store:
        stage("writing the store")
        chunks = corpus_ntriples(corpus, resolution, families, workers, chunks=cache)
        summary.triples = new_store.load(chunks)
        del corpus, articles, facts, resolution  # the store holds it all now
        stage("writing Turtle and the page" if html else "writing Turtle")
        new_store.commit(outputs.path("graph.ttl"), TURTLE_PREFIXES, meanwhile=draw)
    outputs.publish()
    stage("")
    summary.graph_path = out_dir / "graph.ttl"
    summary.html_path = out_dir / "graph.html" if html else None
    if cache is not None:
        cache.prune()
        cache.record_build(summary, html=html, out_dir=out_dir)
    return summary


STAGE_NAMES = {
    "": "extract",
    "resolving": "resolve",
    "writing the store": "write",
    "writing Turtle": "outputs",
    "writing Turtle and the page": "outputs",
}


def _draw_view(
    store: pyoxigraph.Store, *, out_path: Path, families: Sequence[Family] | None
) -> None:
    from kg.render import render_network
    from kg.store import as_rdflib_graph

    render_network(as_rdflib_graph(store), out_path, families=families)


class _Stages:
    """Times each stage into `summary.stages` and tells `on_stage` as one begins."""

    def __init__(self, summary: BuildSummary, on_stage: StageCallback | None) -> None:
        self.summary = summary
        self.on_stage = on_stage
        self.current = ""  # reading and extraction come first, before any stage is named
        self.mark = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.summary.stages[STAGE_NAMES[self.current]] = now - self.mark
        self.current, self.mark = name, now
        if name and self.on_stage is not None:
            self.on_stage(name)
