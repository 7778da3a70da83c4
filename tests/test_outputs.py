"""One build, one output set: published together, locked, whole after any interruption."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Graph

from kg import build as build_module
from kg.build import build
from kg.corpus import bundled_samples
from kg.errors import BuildLockedError, KgError
from kg.outputs import BUILDS_FOLDER, CURRENT, LOCK, OUTPUT_NAMES

KG = str(Path(sys.executable).with_name("kg"))


def set_folders(out: Path) -> set[Path]:
    """The build folder each visible output leads to."""
    return {(out / name).resolve().parent for name in OUTPUT_NAMES if (out / name).exists()}


def build_folders(out: Path) -> list[str]:
    return sorted(
        entry.name for entry in (out / BUILDS_FOLDER).iterdir() if entry.name not in {CURRENT, LOCK}
    )


def test_the_outputs_of_a_build_are_one_set(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([bundled_samples()], out, workers=1)
    first = set_folders(out)
    assert len(first) == 1 and all((out / name).is_symlink() for name in OUTPUT_NAMES)
    assert Graph().parse(out / "graph.ttl")  # readable through the link
    build([bundled_samples()], out, workers=1, use_cache=False)
    second = set_folders(out)
    assert len(second) == 1 and second != first
    assert build_folders(out) == [next(iter(second)).name]  # the earlier set is gone


def test_a_second_build_into_one_folder_is_refused_while_the_first_runs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / BUILDS_FOLDER).mkdir(parents=True)
    with (out / BUILDS_FOLDER / LOCK).open("a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lock.write("pid 4242")
        lock.flush()
        with pytest.raises(BuildLockedError, match=r"another kg build \(pid 4242\) is writing"):
            build([bundled_samples()], out, workers=1)
    assert not (out / "graph.ttl").exists()
    build([bundled_samples()], out, workers=1)  # released: the next build goes ahead
    assert (out / "graph.ttl").exists()


def test_a_build_that_fails_midway_leaves_the_last_set_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build([bundled_samples()], out, workers=1)
    before = {name: (out / name).resolve() for name in OUTPUT_NAMES}
    turtle = (out / "graph.ttl").read_bytes()

    def no_room(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_module, "_draw_view", no_room)
    with pytest.raises(KgError, match="No space left on device"):
        build([bundled_samples()], out, workers=1, use_cache=False)
    assert {name: (out / name).resolve() for name in OUTPUT_NAMES} == before
    assert (out / "graph.ttl").read_bytes() == turtle
    assert build_folders(out) == [before["graph.ttl"].parent.name]  # no debris


def test_outputs_of_an_older_kg_are_replaced_by_the_set(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("# an old graph\n")
    (out / "graph.oxigraph").mkdir()
    (out / "graph.oxigraph" / "000001.sst").write_text("old")
    (out / "graph.html").write_text("<p>old</p>")
    build([bundled_samples()], out, workers=1)
    assert len(set_folders(out)) == 1
    assert "schema:NewsArticle" in (out / "graph.ttl").read_text()


def kg_processes(marker: str) -> list[int]:
    """Processes whose command line names `marker` (the build's output folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def wait_until_gone(marker: str, seconds: float = 10) -> list[int]:
    deadline = time.monotonic() + seconds
    while (alive := kg_processes(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_build_killed_at_any_moment_leaves_a_whole_set_and_no_workers(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for copy in range(14):  # 70 files: enough for worker processes (kg.build)
        for sample in sorted(bundled_samples().glob("*.txt")):
            shutil.copy(sample, corpus / f"{copy:02d}_{sample.name}")
    out = tmp_path / "out"
    command = [KG, "build", str(corpus), "--out", str(out), "--jobs", "2", "--no-cache", "-q"]
    subprocess.run(command, check=True)
    published = set_folders(out)
    # Before the workers start, while they parse, while the store is written, near the end.
    moments = [(signal.SIGKILL, 0.5), (signal.SIGTERM, 2.0), (signal.SIGINT, 3.5)]
    moments += [(signal.SIGKILL, 6.0)]
    for signum, delay in moments:
        process = subprocess.Popen(command, stderr=subprocess.PIPE)
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signum)
            _, stderr = process.communicate()
            assert b"Traceback" not in stderr, stderr.decode()
        assert wait_until_gone(str(out)) == [], f"workers outlived a {signum.name}"
        folders = set_folders(out)
        assert len(folders) == 1, f"mixed outputs after {signum.name} at {delay} s"
        assert Graph().parse(out / "graph.ttl")
        if signum != signal.SIGKILL:  # given the chance, a build removes what it began
            assert build_folders(out) == [next(iter(folders)).name]
        published = folders
    subprocess.run(command, check=True)
    assert set_folders(out) != published
    assert build_folders(out) == [next(iter(set_folders(out))).name]
    assert sorted(os.listdir(out)) == [".kg-build", *sorted(OUTPUT_NAMES)]
