"""The article cache: an incremental build gives the graph a clean build gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from kg import rdf
from kg.build import build
from kg.cache import CACHE_FOLDER, ArticleCache
from kg.corpus import ArticleFile, bundled_samples


def sorted_ntriples(path: Path) -> list[str]:
    text = Graph().parse(path, format="turtle").serialize(format="nt")
    return sorted(line for line in text.splitlines() if line.strip())


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(bundled_samples(), folder)
    return folder


def test_an_unchanged_corpus_is_read_from_the_cache_into_the_same_graph(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = build([corpus], out, workers=1, html=False)
    second = build([corpus], out, workers=1, html=False)
    assert (first.cached, second.cached) == (0, 5)
    clean = build([corpus], tmp_path / "clean", workers=1, html=False, use_cache=False)
    assert clean.cached == 0
    assert not (tmp_path / "clean" / CACHE_FOLDER).exists()
    assert sorted_ntriples(out / "graph.ttl") == sorted_ntriples(tmp_path / "clean" / "graph.ttl")


def test_a_changed_article_is_read_again(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out, workers=1, html=False)
    changed = next(path for path in sorted(corpus.iterdir()) if "Adam Lent" in path.read_text())
    changed.write_text(changed.read_text().replace("Adam Lent", "Imogen Farthing"))
    summary = build([corpus], out, workers=1, html=False)
    assert summary.cached == 4
    graph = (out / "graph.ttl").read_text()
    assert "Imogen Farthing" in graph
    clean = build([corpus], tmp_path / "clean", workers=1, html=False, use_cache=False)
    assert clean.articles == summary.articles
    assert sorted_ntriples(out / "graph.ttl") == sorted_ntriples(tmp_path / "clean" / "graph.ttl")


def test_a_deleted_article_leaves_the_graph_and_the_cache(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out, workers=1, html=False)
    entries = list((out / CACHE_FOLDER).glob("*/*.pickle"))
    assert len(entries) == 5
    deleted = sorted(corpus.iterdir())[0]
    deleted.unlink()
    summary = build([corpus], out, workers=1, html=False)
    assert (summary.articles, summary.cached) == (4, 4)
    assert f"article/{deleted.stem}" not in (out / "graph.ttl").read_text()
    assert len(list((out / CACHE_FOLDER).glob("*/*.pickle"))) == 4


def test_a_new_kg_misses_every_entry(corpus: Path, tmp_path: Path) -> None:
    article = sorted(corpus.iterdir())[0]
    content = article.read_bytes()
    old = ArticleCache(tmp_path / "cache", fingerprint="kg 1")
    new = ArticleCache(tmp_path / "cache", fingerprint="kg 2")
    found = ArticleFile(article, article.stem)
    assert old.key(found, content) != new.key(found, content)
    assert old.key(found, content) != old.key(found, content + b" ")
    assert old.key(found, content) != old.key(ArticleFile(tmp_path / "elsewhere.txt", "x"), content)
    # One file walked from two folders is two articles: its id is in the key.
    assert old.key(found, content) != old.key(ArticleFile(article, "articles-x-0123abcd"), content)


def test_a_change_after_extraction_keeps_the_entries_but_not_the_last_build(
    tmp_path: Path,
) -> None:
    from kg.cache import AFTER_EXTRACTION, code_fingerprint

    package = tmp_path / "kg"
    files = {
        "extract/posts.py": "RULES = 1\n",
        "render.py": "WIDTH = 1\n",
        "queries/posts.rq": "SELECT * {}\n",
        "data/names.csv": "name\n",
    }
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)

    def fingerprints() -> tuple[str, str]:
        return code_fingerprint(package, AFTER_EXTRACTION), code_fingerprint(package, frozenset())

    extraction, whole = fingerprints()
    (package / "render.py").write_text("WIDTH = 2\n")
    (package / "queries/posts.rq").write_text("SELECT ?s {}\n")
    assert fingerprints()[0] == extraction
    assert fingerprints()[1] != whole
    for changed in ("extract/posts.py", "data/names.csv"):
        (package / changed).write_text("changed\n")
        assert fingerprints()[0] != extraction
        extraction = fingerprints()[0]


def test_every_part_said_to_run_after_extraction_exists() -> None:
    import kg
    from kg.cache import AFTER_EXTRACTION

    package = Path(kg.__file__).parent
    present = {path.name for path in package.iterdir()}
    # A module renamed or removed would silently drop out of this list.
    assert AFTER_EXTRACTION - present == set()


def test_extraction_and_the_cached_triples_run_no_code_said_to_run_after_them() -> None:
    """What a cache entry holds (an article's facts and its N-Triples) must not depend on
    the parts of kg left out of its key: every Python function that runs while the samples
    are read, extracted and written is traced, and none may come from those parts."""
    import sys

    import kg
    from kg.build import read_and_extract_batch
    from kg.cache import AFTER_EXTRACTION
    from kg.corpus import find_article_files
    from kg.rdf import corpus_ntriples
    from kg.resolve import resolve

    package = Path(kg.__file__).parent
    excluded = [str(package / name) for name in AFTER_EXTRACTION]
    files = find_article_files([bundled_samples()])
    called: set[str] = set()

    def trace(frame, event, _arg):  # type: ignore[no-untyped-def]
        if event == "call":
            called.add(frame.f_code.co_filename + ":" + frame.f_code.co_name)

    def extract_and_write() -> tuple[list, list[bytes]]:
        results = read_and_extract_batch(files)
        corpus = [(r.article, r.facts) for r in results if r.article is not None]
        articles = [article for article, _ in corpus]
        facts = [fact for _, found in corpus for fact in found]
        return corpus, list(corpus_ntriples(corpus, resolve(articles, facts), workers=1))

    extract_and_write()  # untraced: importing a module runs its body, which is no call
    sys.setprofile(trace)
    try:
        corpus, chunks = extract_and_write()
    finally:
        sys.setprofile(None)
    assert len(corpus) == len(files) == 5
    assert sum(chunk.count(b"\n") for chunk in chunks) > 1000
    assert any(name.startswith(str(package / "extract")) for name in called)
    assert sorted(name for name in called if name.startswith(tuple(excluded))) == []


def test_a_new_view_redraws_the_outputs_from_the_cache(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg import cache

    out = tmp_path / "out"
    build([corpus], out, workers=1, html=False)
    assert build([corpus], out, workers=1, html=False).up_to_date
    # What a release that changes only the view or the queries changes.
    monkeypatch.setattr(cache, "whole_kg_fingerprint", lambda: "a kg with a new view")
    summary = build([corpus], out, workers=1, html=False)
    assert not summary.up_to_date
    assert summary.cached == summary.articles == 5


def test_a_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    cache = ArticleCache(tmp_path / "cache", fingerprint="kg")
    key = cache.key(ArticleFile(tmp_path / "a.txt", "a"), b"text")
    entry = tmp_path / "cache" / key[:2] / f"{key}.pickle"
    entry.parent.mkdir(parents=True)
    entry.write_bytes(b"not a pickle")
    assert cache.get(key) is None


def test_two_workers_give_the_graph_one_gives(tmp_path: Path) -> None:
    corpus = tmp_path / "many"
    corpus.mkdir()
    samples = sorted(bundled_samples().iterdir())
    # Enough files for the build to use worker processes (kg.build.PARALLEL_THRESHOLD).
    for copy in range(14):
        for sample in samples:
            shutil.copy(sample, corpus / f"{sample.stem}_{copy:02d}{sample.suffix}")
    build([corpus], tmp_path / "one", workers=1, html=False, use_cache=False)
    build([corpus], tmp_path / "two", workers=2, html=False, use_cache=False)
    assert sorted_ntriples(tmp_path / "one" / "graph.ttl") == sorted_ntriples(
        tmp_path / "two" / "graph.ttl"
    )


def test_a_build_with_nothing_changed_does_nothing_and_says_so(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = build([corpus], out, workers=1)
    assert not first.up_to_date
    assert list(first.stages) == ["extract", "resolve", "write", "outputs"]
    turtle = (out / "graph.ttl").stat().st_mtime_ns
    again = build([corpus], out, workers=1)
    assert again.up_to_date and not again.stages
    assert (again.articles, again.triples, again.facts_by_kind) == (
        first.articles,
        first.triples,
        first.facts_by_kind,
    )
    assert (out / "graph.ttl").stat().st_mtime_ns == turtle  # not written again


@pytest.mark.parametrize(
    "change",
    ["an article edited", "an article added", "the page removed", "the Turtle edited", "no page"],
)
def test_a_build_is_redone_when_its_inputs_or_outputs_moved(
    corpus: Path, tmp_path: Path, change: str
) -> None:
    out = tmp_path / "out"
    build([corpus], out, workers=1)
    html = True
    if change == "an article edited":
        first = sorted(corpus.iterdir())[0]
        first.write_text(first.read_text() + "\nOne more line.\n")
    elif change == "an article added":
        shutil.copy(sorted(corpus.iterdir())[0], corpus / "copy.txt")
    elif change == "the page removed":
        (out / "graph.html").unlink()
    elif change == "the Turtle edited":
        with (out / "graph.ttl").open("a") as turtle:
            turtle.write("<urn:a> <urn:b> <urn:c> .\n")
    else:
        html = False
    again = build([corpus], out, workers=1, html=html)
    assert not again.up_to_date
    assert "urn:a" not in (out / "graph.ttl").read_text()
    # A build without a page leaves none: the last build's would not match its graph.
    assert (out / "graph.html").exists() == html


# ---- each article's triples are kept too, while what it names resolves the same --------

ALIAS_USER = """Priya Okafor 4 May 2023

Charity warns over foster care shortage

The FNA warned that the shortage of foster carers in the north of England had reached a crisis point.

Tessa Lister, chief executive of the FNA, said councils were competing for a shrinking pool of carers.
"""
ALIAS_LATER = """Priya Okafor 9 May 2023

Councils pledge to recruit more carers

Councils across Yorkshire have pledged to recruit 500 new foster carers by the end of next year.

{closing} welcomed the pledge.
"""


def test_an_unchanged_article_is_written_again_only_when_what_it_names_resolves_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ALIAS_USER, encoding="utf-8")
    later = folder / "b.txt"
    later.write_text(ALIAS_LATER.format(closing="A spokesperson"), encoding="utf-8")
    written: list[str] = []
    real_write = rdf.write_article
    monkeypatch.setattr(
        rdf, "write_article", lambda w, a, f, o: (written.append(a.id), real_write(w, a, f, o))
    )
    out = tmp_path / "out"
    build([folder], out, workers=1, html=False)
    assert sorted(written) == ["a", "b"]
    assert "id/org/fna>" in (out / "graph.ttl").read_text()

    # b changes but names nobody new: only b is written again.
    written.clear()
    later.write_text(ALIAS_LATER.format(closing="A spokeswoman"), encoding="utf-8")
    build([folder], out, workers=1, html=False)
    assert written == ["b"]

    # b now spells out the acronym a uses, so a's "FNA" resolves anew and a is rewritten.
    written.clear()
    later.write_text(
        ALIAS_LATER.format(closing="The Fostering Network Alliance (FNA)"), encoding="utf-8"
    )
    summary = build([folder], out, workers=1, html=False)
    assert summary.cached == 1 and sorted(written) == ["a", "b"]
    turtle = (out / "graph.ttl").read_text()
    assert "id/org/fna>" not in turtle and "id/org/fostering-network-alliance>" in turtle
    build([folder], tmp_path / "clean", workers=1, html=False, use_cache=False)
    assert sorted_ntriples(out / "graph.ttl") == sorted_ntriples(tmp_path / "clean" / "graph.ttl")
