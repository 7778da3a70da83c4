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
from kg.corpus import ArticleFile, RepairedFile, SkippedFile, find_article_files, read_article
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
    # Files read after repairs to their text (bytes not UTF-8, NUL bytes), each with what.
    repaired: list[RepairedFile] = field(default_factory=list)
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


def read_and_extract(found: ArticleFile, families: Sequence[Family] | None = None) -> ReadResult:
    """One file's article and facts: pure, so it can run in any worker."""
    return read_and_extract_batch([found], families)[0]


def read_and_extract_batch(
    files: Sequence[ArticleFile], families: Sequence[Family] | None = None
) -> list[ReadResult]:
    """Several files' articles (as kept after extraction) and facts, their stories parsed
    together (`nlp.pipe` batches them, which a parse per story cannot)."""
    articles: dict[Path, Article] = {}
    results: dict[Path, ReadResult] = {}
    for found in files:
        path = found.path
        try:
            articles[path] = read_article(path, found.article_id)
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
        results[path] = ReadResult(path, article.after_extraction(), facts, None)
    return [results[found.path] for found in files]


# Articles a worker reads and extracts as one task (spaCy parses them `kg.nlp.PARSE_BATCH` at
# a time): enough that sending tasks and results costs little, few enough that progress
# moves and the two workers share the corpus evenly.
BATCH_SIZE = 32


def _batches(files: Sequence[ArticleFile], size: int) -> list[list[ArticleFile]]:
    return [list(files[start : start + size]) for start in range(0, len(files), size)]


def _results(
    files: Sequence[ArticleFile], workers: int, families: Sequence[Family] | None
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
    files: Sequence[ArticleFile], cache: ArticleCache
) -> tuple[dict[ArticleFile, ReadResult], dict[ArticleFile, str]]:
    """The files the cache answers, and the cache keys of the rest."""
    hits: dict[ArticleFile, ReadResult] = {}
    missing: dict[ArticleFile, str] = {}
    for found in files:
        key = cache.key_of(found)
        if key is None:
            continue  # the reader says why, in one line
        hit = cache.get(key)
        if hit is None:
            missing[found] = key
        else:
            hits[found] = ReadResult(found.path, hit.article, hit.facts, None)
    return hits, missing


def _all_results(
    files: Sequence[ArticleFile],
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
    fresh = _results([found for found in files if found not in hits], workers, families)
    for found in files:
        if found in hits:
            yield hits[found], True
            continue
        result = next(fresh)
        if result.article is not None and found in keys:
            cache.put(keys[found], result.article, result.facts)
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
    return *_articles_and_facts(corpus), skipped


def _articles_and_facts(corpus: Sequence[ArticleFacts]) -> tuple[list[Article], list[Fact]]:
    articles = [article for article, _ in corpus]
    facts = [fact for _, article_facts in corpus for fact in article_facts]
    return articles, facts


def extract_articles(
    paths: Sequence[Path],
    workers: int | None = None,
    on_file: ProgressCallback | None = None,
    families: Sequence[Family] | None = None,
    cache: ArticleCache | None = None,
    summary: BuildSummary | None = None,
    files: Sequence[ArticleFile] | None = None,
) -> tuple[list[ArticleFacts], list[SkippedFile]]:
    """Each readable article under `paths` (or in `files`, if they were found already)
    with its facts, in the files' order, and the files skipped. Every article has an id of
    its own (`kg.corpus.find_article_files`), so files of one name in two folders are both
    read; files read after repairs to their text go into `summary.repaired`."""
    files = find_article_files(paths) if files is None else files
    if not files:
        raise InputError(f"no article files under {', '.join(str(p) for p in paths)}")
    corpus: list[ArticleFacts] = []
    skipped: list[SkippedFile] = []
    results = _all_results(files, workers or os.cpu_count() or 1, families, cache)
    for found, (result, cached) in zip(files, results, strict=True):
        if on_file:
            on_file(result.path)
        if cached and summary is not None:
            summary.cached += 1
        if result.skipped:
            skipped.append(result.skipped)
            continue
        assert result.article is not None
        if result.article.repairs and summary is not None:
            summary.repaired.append(RepairedFile(result.path, result.article.repairs))
        if cache is not None:
            cache.bind_article(found)
        corpus.append((result.article, result.facts))
    if not corpus:
        raise InputError("no readable articles: " + "; ".join(s.reason for s in skipped[:3]))
    return corpus, skipped


def build(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    files: Sequence[ArticleFile] | None = None,
    workers: int | None = None,
    html: bool = True,
    on_file: ProgressCallback | None = None,
    families: Sequence[Family] | None = None,
    use_cache: bool = True,
    on_stage: StageCallback | None = None,
) -> BuildSummary:
    """Build the corpus under `paths` into `out_dir`/graph.ttl (and graph.html).

    `files` are the article files under `paths` if the caller has found them
    (`kg.corpus.find_article_files`), so that they are walked once.

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
                outputs, paths, files, workers, html, on_file, families, use_cache, on_stage
            )
    except OSError as error:
        raise KgError(f"cannot write to {out_dir}: {error.strerror or error}") from error
    summary.seconds = time.perf_counter() - started
    return summary


def _build_into(
    outputs: OutputSet,
    paths: Sequence[Path],
    files: Sequence[ArticleFile] | None,
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
    files = find_article_files(paths) if files is None else files
    if cache is not None:
        last = cache.last_build(files, html=html, out_dir=out_dir)
        if last is not None:
            return last
    stage = _Stages(summary, on_stage)
    corpus, skipped = extract_articles(paths, workers, on_file, families, cache, summary, files)
    stage("resolving")
    articles, facts = _articles_and_facts(corpus)
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
