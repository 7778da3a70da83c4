"""Write outputs so that a reader never sees half a file: temp file, then rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def write_atomically(path: Path, content: str | bytes, *, durable: bool = True) -> None:
    """Replace `path` with `content` in one step; on failure the old file is untouched.

    `durable=False` skips the flush to disk, for files that are cheap to lose (a cache).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(content, bytes) else "w"
    encoding = None if isinstance(content, bytes) else "utf-8"
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, mode, encoding=encoding) as stream:
            stream.write(content)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        # mkstemp makes the file private; outputs are meant to be read like any other file.
        os.chmod(temp_name, 0o666 & ~_current_umask())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temp file beside `path` for a writer that wants a path (a serialiser's dump);
    it replaces `path` in one step when the block ends, and is removed if the block fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        yield temp
        with temp.open("rb") as stream:
            os.fsync(stream.fileno())
        os.chmod(temp, 0o666 & ~_current_umask())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
