from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kg import files
from kg.files import write_atomically


def test_writes_text_and_replaces_an_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "graph.ttl"
    write_atomically(target, "first")
    write_atomically(target, "second")
    assert target.read_text(encoding="utf-8") == "second"
    assert [p.name for p in target.parent.iterdir()] == ["graph.ttl"]


def test_output_is_readable_by_others_as_umask_allows(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomically(tmp_path / "graph.html", b"<html></html>")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "graph.html").stat().st_mode) == 0o644


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "graph.ttl"
    target.write_text("good", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomically(target, "half")
    assert target.read_text(encoding="utf-8") == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]
