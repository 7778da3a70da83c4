"""One build, one output set: the outputs of a build appear together or not at all.

A build writes graph.ttl, graph.oxigraph/ and graph.html into a fresh folder of its own,
`OUT/.kg-build/<build>/`, and publishes it by replacing one symbolic link,
`OUT/.kg-build/current`, in one step. `OUT/graph.ttl` and the others are links through
`current`, so whoever opens them sees a whole set from one build, never a new graph beside
an old page. A lock on `OUT` keeps a second build from writing there at the same time; a
build that is interrupted leaves its unfinished folder behind only if it is killed
outright (SIGKILL), and the next build removes it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from kg.errors import BuildLockedError

BUILDS_FOLDER = ".kg-build"
CURRENT = "current"
LOCK = "lock"
OUTPUT_NAMES = ("graph.ttl", "graph.oxigraph", "graph.html")


class OutputSet:
    """The folder one build writes its outputs into, published by `publish`."""

    def __init__(self, out_dir: Path, folder: Path) -> None:
        self.out_dir = out_dir
        self.folder = folder

    def path(self, name: str) -> Path:
        return self.folder / name

    def publish(self) -> None:
        """Make this build's outputs the ones `OUT/graph.ttl` and the others lead to."""
        builds = self.folder.parent
        _replace_link(builds / CURRENT, Path(self.folder.name))
        for name in OUTPUT_NAMES:
            visible = self.out_dir / name
            if (self.folder / name).exists():
                _replace_link(visible, Path(BUILDS_FOLDER) / CURRENT / name)
            elif visible.is_symlink():
                visible.unlink()  # a page an older build drew is not this build's
        _remove_unpublished(builds, keep=self.folder.name)


@contextlib.contextmanager
def new_output_set(out_dir: Path) -> Iterator[OutputSet]:
    """A fresh output folder under `out_dir`, held under the build lock; removed unless
    `publish` was called before the block ended."""
    builds = out_dir / BUILDS_FOLDER
    builds.mkdir(parents=True, exist_ok=True)
    with _locked(builds / LOCK, out_dir):
        _remove_unpublished(builds, keep=_current_name(builds))
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        folder = builds / f"{stamp}-{os.getpid()}"
        folder.mkdir()
        try:
            yield OutputSet(out_dir, folder)
        finally:
            if _current_name(builds) != folder.name:
                shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _locked(lock_path: Path, out_dir: Path) -> Iterator[None]:
    with lock_path.open("a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            raise BuildLockedError(
                f"{out_dir}: another kg build ({holder}) is writing here; "
                "wait for it to finish or choose another --out"
            ) from None
        lock.seek(0)
        lock.truncate()
        lock.write(f"pid {os.getpid()}")
        lock.flush()
        try:
            yield
        finally:
            lock.seek(0)
            lock.truncate()
            fcntl.flock(lock, fcntl.LOCK_UN)


def _current_name(builds: Path) -> str | None:
    try:
        return os.readlink(builds / CURRENT)
    except OSError:
        return None


def _replace_link(link: Path, target: Path) -> None:
    """Point `link` at `target` in one step, whatever stood at `link` before."""
    fresh = link.with_name(f".{link.name}.{os.getpid()}.link")
    fresh.unlink(missing_ok=True)
    fresh.symlink_to(target)
    if link.is_dir() and not link.is_symlink():
        # An output folder from before output sets (graph.oxigraph/): a link cannot
        # replace a folder in one step, so it goes first.
        shutil.rmtree(link)
    os.replace(fresh, link)


def _remove_unpublished(builds: Path, keep: str | None) -> None:
    """Remove every build folder but `keep`: earlier sets and interrupted builds."""
    for entry in builds.iterdir():
        if entry.name in {CURRENT, LOCK, keep} or entry.is_symlink():
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
