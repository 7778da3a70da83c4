"""Tables for the terminal: what `kg query` and `kg eval` print."""

from __future__ import annotations

import io
import re
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


# Control characters a terminal acts on instead of showing: C0 but tab and newline, DEL,
# and C1. An article that carries "\x1b[2J" would otherwise clear the screen of whoever
# prints a table of its text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with each control character shown as its escape ("\\x1b"), for the terminal."""
    return CONTROL_CHARACTERS.sub(lambda match: f"\\x{ord(match[0]):02x}", text)
