"""Tables for the terminal: what `kg query` and `kg eval` print."""

from __future__ import annotations

import io
import shutil

from rich.console import Console
from rich.table import Table

# Wide enough for a SPARQL answer when the terminal's width cannot be read (a pipe, CI).
DEFAULT_TABLE_WIDTH = 140


def render_table(table: Table, width: int | None = None) -> str:
    """The table as plain text, as wide as the terminal (or `width`), no trailing spaces."""
    if width is None:
        width = shutil.get_terminal_size((DEFAULT_TABLE_WIDTH, 24)).columns
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, force_terminal=False).print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines())
