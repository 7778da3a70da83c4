from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.build import build
from kg.corpus import bundled_samples
from kg.errors import InputError


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
