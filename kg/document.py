"""An article with its linguistic parse: what every extractor reads.

The story is parsed on first use and once only, so a family that reads only the advert
block (jobs) costs no parse, and every other family shares one `Doc`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

from spacy.tokens import Doc

from kg.model import Article

T = TypeVar("T")


class Document:
    """One article and the spaCy `Doc` of its story (offsets match `article.story`)."""

    __slots__ = ("__dict__", "_shared", "article")

    def __init__(self, article: Article, doc: Doc | None = None) -> None:
        self.article = article
        self._shared: dict[str, Any] = {}
        if doc is not None:
            self.__dict__["doc"] = doc

    @cached_property
    def doc(self) -> Doc:
        from kg.nlp import parse

        return parse(self.article.story)

    @cached_property
    def mentions(self) -> Doc:
        """A copy of the parse with each person, body and post merged into one token."""
        from kg.extract.chunks import mentions

        return mentions(self.doc)

    def shared(self, name: str, compute: Callable[[], T]) -> T:
        """A result several families read (the posts the story states), computed once."""
        if name not in self._shared:
            self._shared[name] = compute()
        return self._shared[name]

    def __repr__(self) -> str:
        return f"Document({self.article.id!r})"
