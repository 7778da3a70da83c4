from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SDO

from kg.build import build, extract_corpus
from kg.corpus import RepairedFile, bundled_samples, find_article_files, read_article
from kg.errors import InputError
from kg.extract import extract_facts
from kg.rdf import ID


def test_building_the_samples_writes_both_outputs(tmp_path: Path) -> None:
    summary = build([bundled_samples()], tmp_path, workers=1)
    assert summary.articles == 5
    assert summary.skipped == []
    assert summary.facts_by_kind["advertises"] == 20
    assert summary.facts_by_kind["holds_role"] == 10
    assert summary.facts_by_kind["quotation"] == 7
    assert summary.triples > 1000
    assert (tmp_path / "graph.ttl").read_text(encoding="utf-8").startswith("@prefix")
    assert "<html" in (tmp_path / "graph.html").read_text(encoding="utf-8")


def test_a_file_that_is_not_text_is_skipped_and_the_build_goes_on(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("A headline\n\nCouncils welcomed it.\n", encoding="utf-8")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    summary = build([corpus], tmp_path / "out", workers=1, html=False)
    assert summary.articles == 1
    assert [s.path.name for s in summary.skipped] == ["image.txt"]
    assert "not a text file" in summary.skipped[0].reason


def test_no_articles_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no article files"):
        build([tmp_path], tmp_path / "out")


def test_a_failed_build_keeps_the_last_good_graph(tmp_path: Path) -> None:
    build([bundled_samples()], tmp_path, workers=1, html=False)
    good = (tmp_path / "graph.ttl").read_text(encoding="utf-8")
    with pytest.raises(InputError):
        build([tmp_path / "missing"], tmp_path, workers=1, html=False)
    assert (tmp_path / "graph.ttl").read_text(encoding="utf-8") == good


def test_parallel_and_serial_builds_agree(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    samples = sorted(bundled_samples().glob("*.txt"))
    for copy in range(14):  # 70 files: over the threshold for worker processes
        for sample in samples:
            (corpus / f"{copy:02d}_{sample.name}").write_bytes(sample.read_bytes())
    serial = build([corpus], tmp_path / "serial", workers=1, html=False)
    parallel = build([corpus], tmp_path / "parallel", workers=2, html=False)
    assert serial.articles == parallel.articles == 70
    assert serial.facts_by_kind == parallel.facts_by_kind
    serial_text = (tmp_path / "serial" / "graph.ttl").read_text(encoding="utf-8")
    assert serial_text == (tmp_path / "parallel" / "graph.ttl").read_text(encoding="utf-8")


def test_the_built_page_loads_nothing_from_the_network(tmp_path: Path) -> None:
    build([bundled_samples()], tmp_path, workers=1)
    page = (tmp_path / "graph.html").read_text(encoding="utf-8")
    remote = re.compile(
        r"<script[^>]+src=[\"']?(?:https?:)?//|<link[^>]+href=[\"']?(?:https?:)?//|@import|url\(\s*[\"']?(?:https?:)?//",
        re.I,
    )
    assert remote.search(page) is None
    assert "vis.Network" in page or "new vis" in page  # the network library is inlined


def test_files_of_one_name_in_two_folders_and_non_latin_names_are_all_built(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "saved"
    stories = {
        "2019/index.html": "Anytown Council appoints a director",
        "2021/index.html": "Northmoor Council appoints a director",
        "新闻.txt": "Ofsted rates Anytown good",
        "报告.txt": "Ofsted rates Northmoor good",
    }
    for name, headline in stories.items():
        path = corpus / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{headline}\n\nCouncils welcomed it.\n", encoding="utf-8")
    summary = build([corpus], tmp_path / "out", workers=1, html=False)
    assert (summary.articles, summary.skipped) == (4, [])
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    headlines = {
        str(graph.value(article, SDO.identifier)): str(graph.value(article, SDO.headline))
        for article in graph.subjects(SDO.identifier, None)
    }
    assert headlines == {
        "2019-index-8c6ac341": "Anytown Council appoints a director",
        "2021-index-f7520b8b": "Northmoor Council appoints a director",
        "unnamed-771d94e6": "Ofsted rates Anytown good",
        "unnamed-fa178e23": "Ofsted rates Northmoor good",
    }
    article = ID["article/2021-index-f7520b8b"]
    assert graph.value(article, SDO.identifier) == Literal("2021-index-f7520b8b")


def test_the_summary_names_the_files_read_after_repairs(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "clean.txt").write_text("A headline\n\nCouncils welcomed it.\n", encoding="utf-8")
    mixed = "Another headline\n\nMs O’Neill’s review costs £40,000.\n".encode()
    (corpus / "mixed.txt").write_bytes(mixed.replace("£".encode(), b"\xa3"))
    out = tmp_path / "out"
    summary = build([corpus], out, workers=1, html=False)
    expected = [RepairedFile(corpus / "mixed.txt", ("1 byte not UTF-8 read as cp1252",))]
    assert summary.repaired == expected
    assert "Ms O’Neill’s review costs £40,000." in (out / "graph.ttl").read_text(encoding="utf-8")
    # Read from the cache, or found up to date, the file is still named.
    (corpus / "clean.txt").write_text("A headline\n\nCouncils cheered it.\n", encoding="utf-8")
    assert build([corpus], out, workers=1, html=False).repaired == expected
    assert build([corpus], out, workers=1, html=False).up_to_date
    assert build([corpus], out, workers=1, html=False).repaired == expected


def test_articles_are_kept_without_what_only_extractors_read() -> None:
    articles, facts, _ = extract_corpus([bundled_samples()], workers=1)
    read = {
        found.article_id: read_article(found.path, found.article_id)
        for found in find_article_files([bundled_samples()])
    }
    assert len(articles) == len(read) == 5
    for article in articles:
        whole = read[article.id]
        assert whole.sentences and article.sentences == ()
        assert article.advert_block == ""
        assert article.story == whole.story
        assert (article.headline, article.date, article.url) == (
            whole.headline,
            whole.date,
            whole.url,
        )
    # The facts are those of the whole articles: they were found before anything was dropped.
    assert sorted(map(repr, facts)) == sorted(
        repr(fact) for whole in read.values() for fact in extract_facts(whole)
    )
    assert any(fact.kind == "advertises" for fact in facts)
