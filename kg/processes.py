"""Worker processes that never outlive the build that started them, and a pool's results
taken in order without handing it more work than the caller can take."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from typing import TypeVar

PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


def init_worker(parent: int) -> None:
    """Run first in every worker of the process `parent`: die when it dies, and leave
    Ctrl-C to it.

    A killed build would otherwise leave its workers waiting for work forever; Ctrl-C
    reaches the whole process group, and the parent alone cleans up.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits the parent's SIGTERM handler (`exit_cleanly_on_sigterm`),
    # whose SystemExit the pool would catch and carry on; the worker must just stop.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # it died before the line above could take effect
        os._exit(1)


def exit_cleanly_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so a build stopped by `kill` unwinds and removes its
    unfinished outputs as Ctrl-C does."""

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


Item = TypeVar("Item")
Result = TypeVar("Result")


def results_in_order(
    pool: Executor, function: Callable[[Item], Result], items: Iterable[Item], ahead: int
) -> Iterator[Result]:
    """`pool.map(function, items)`, with at most `ahead` items given to the pool and not yet
    taken back. `map` hands the pool every item at once, so results that come faster than
    the caller takes them wait in the caller's memory: writers feeding a store that loads
    more slowly than they write would hold most of the graph there."""
    if ahead < 1:
        raise ValueError(f"ahead must be at least 1, not {ahead}")
    pending: deque[Future[Result]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(function, item))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:  # the caller stopped early: what has not started never will
            future.cancel()
