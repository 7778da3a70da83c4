"""Worker processes that never outlive the build that started them."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

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
