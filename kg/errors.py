"""The errors the library raises; the CLI turns each into one line and a non-zero exit."""

from __future__ import annotations


class KgError(Exception):
    """Base of every error kg reports to a user."""

    exit_code = 1


class InputError(KgError):
    """An input file or folder cannot be read as an article."""


class GraphNotFoundError(KgError):
    """The graph file (or the page drawn of it) a command needs does not exist or cannot be
    parsed."""

    exit_code = 2


class QueryError(KgError):
    """A SPARQL query is malformed or cannot be run."""

    exit_code = 2


class GoldFileError(KgError):
    """A gold file for `kg eval` is missing or not in the expected format."""

    exit_code = 2


class FamilyError(KgError):
    """A fact or mention no registered fact family declares, or a family registered twice."""


class ViewError(KgError):
    """The network view cannot be drawn as asked: a name no node has, or a bad bound."""


class BuildLockedError(KgError):
    """Another build is writing into the same output folder."""

    exit_code = 2


class PushError(KgError):
    """`kg push` could not reach the triplestore, or it refused the graph."""
