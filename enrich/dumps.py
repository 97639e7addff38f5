"""Bulk dumps as input: Semantic Scholar dataset releases and the OpenAlex works snapshot.

At scale the input is not a listing but a dump, read shard by shard (``build --dump s2 PATH``
or ``--dump openalex PATH``; PATH is a shard or a folder of them, searched recursively):

- Semantic Scholar Datasets API (https://api.semanticscholar.org/api-docs/datasets): gzipped
  JSON Lines shards of the ``papers`` dataset (``corpusid``, ``externalids`` with ``ArXiv``,
  ``DOI``, ..., ``title``, ``year``, ``publicationdate``, ``authors``), ``abstracts``
  (``corpusid``, ``abstract``, ``openaccessinfo``) and ``citations`` (``citingcorpusid``,
  ``citedcorpusid``, ``isinfluential``, ``contexts``, ``intents``). Abstracts are joined to
  papers by ``corpusid``; a release may hold any mix of the three.
- OpenAlex snapshot (https://docs.openalex.org/download-all-data/snapshot-data-format):
  ``data/works/updated_date=YYYY-MM-DD/part_000.gz`` JSON Lines of Work objects (``id``,
  ``doi``, ``title``/``display_name``, ``publication_date``, ``abstract_inverted_index``,
  ``ids``, ``referenced_works``, ``authorships``).

Shards are ``.jsonl``/``.json``/``.gz``/``.jsonl.gz`` or ``.parquet`` (pyarrow, read in row
batches). Each record's kind is read from its fields; a record that is not one of the kinds of
the chosen dump, a line that is not JSON, or a paper without a title is a `Problem` with its file
and line (a Parquet row counts as a line), never a paper. Citations become ``cites`` edges
between corpus papers (cited → citing); those with an end outside the corpus are counted.

A dump paper's id hashes its strongest identifier (arXiv ID, else DOI, else its corpus id /
OpenAlex id, :func:`titles.paper_id`): the ids a dump gives are unique where titles are not.
Reading a shard (:func:`read_shard`) is independent of every other shard, so the Dask engine
reads one shard per task; :func:`assemble` is the corpus-wide half (join, duplicates, citations).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow
import pyarrow.parquet as pq

from paperlineage.enrich.citations import MAX_CONTEXTS, Citation
from paperlineage.enrich.errors import ListingError
from paperlineage.enrich.ids import PaperIds
from paperlineage.enrich.ingest import IngestReport
from paperlineage.enrich.models import Paper, Problem, SourceLocation, snippet
from paperlineage.enrich.titles import paper_id

#: The dumps ``--dump`` accepts, and the record kinds each may hold.
DUMPS: dict[str, tuple[str, ...]] = {"s2": ("s2-papers", "s2-abstracts", "s2-citations"), "openalex": ("openalex-works",)}
_SHARD_SUFFIXES = (".jsonl", ".json", ".gz", ".parquet")
_OPENALEX = "https://openalex.org/"
_SOURCE = {"s2": "semanticscholar dump", "openalex": "openalex dump"}


@dataclass
class DumpShard:
    """One shard read on its own: its papers, abstracts and citations, keyed by the dump's ids."""

    name: str
    kinds: set[str] = field(default_factory=set)
    papers: list[tuple[str, Paper]] = field(default_factory=list)
    """(dump key, paper): the key is ``s2:<corpusid>`` or ``openalex:W…``."""
    abstracts: dict[str, str] = field(default_factory=dict)
    references: list[tuple[str, str, bool | None, list[str], list[str]]] = field(default_factory=list)
    """(citing key, cited key, influential, contexts, intents)."""
    records: int = 0
    problems: list[Problem] = field(default_factory=list)
    error: ListingError | None = None


def dump_files(paths: Iterable[Path]) -> list[Path]:
    """The shard files under `paths`, sorted (folders searched recursively, hidden files skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.name.endswith(_SHARD_SUFFIXES)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ))
        else:
            files.append(path)
    return files


def _rows(path: Path) -> Iterator[tuple[int, Any]]:
    """(line, record or the reason it is not one) for every line or Parquet row of a shard."""
    if path.name.endswith(".parquet"):
        row = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=10_000):
            for record in batch.to_pylist():
                row += 1
                yield row, record
        return
    with path.open("rb") as raw:
        compressed = raw.read(2) == b"\x1f\x8b"
    opener = gzip.open if compressed else open
    with opener(path, "rb") as stream:  # type: ignore[operator]
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, f"not a JSON line: {exc.msg}: {snippet(line.decode('utf-8', 'replace'))}"
            except UnicodeDecodeError:
                yield number, "not UTF-8 text"


def record_kind(record: Any) -> str | None:
    """Which dump record `record` is, from its fields (None: none we know).

    >>> record_kind({"corpusid": 1, "title": "T"}), record_kind({"citingcorpusid": 1, "citedcorpusid": 2})
    ('s2-papers', 's2-citations')
    >>> record_kind({"id": "https://openalex.org/W1", "title": "T"}), record_kind({"title": "T"})
    ('openalex-works', None)
    """
    if not isinstance(record, dict):
        return None
    if "citingcorpusid" in record and "citedcorpusid" in record:
        return "s2-citations"
    if "corpusid" in record and "abstract" in record and "title" not in record:
        return "s2-abstracts"
    if "corpusid" in record and "title" in record:
        return "s2-papers"
    if str(record.get("id", "")).startswith(_OPENALEX + "W") and ("title" in record or "display_name" in record):
        return "openalex-works"
    return None


def read_shard(path: Path, dump: str) -> DumpShard:
    """Read one shard of dump `dump` (``s2`` or ``openalex``); bad records become problems."""
    shard = DumpShard(str(path))
    try:
        for line, record in _rows(path):
            shard.records += 1
            if isinstance(record, str):
                shard.problems.append(Problem(file=shard.name, line=line, kind="skipped", reason=record))
                continue
            kind = record_kind(record)
            if kind not in DUMPS[dump]:
                what = f"a {kind} record" if kind else "not a record of any dump we read"
                shard.problems.append(Problem(
                    file=shard.name, line=line, kind="skipped", reason=f"{what}, in a --dump {dump} input",
                    text=snippet(json.dumps(record, ensure_ascii=False, default=str)),
                ))
                continue
            shard.kinds.add(kind)
            problem = _READERS[kind](shard, line, record)
            if problem:
                shard.problems.append(Problem(file=shard.name, line=line, kind="skipped", reason=problem))
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        shard.error = ListingError(shard.name, 1, f"cannot read shard: {getattr(exc, 'strerror', None) or exc}")
    except pyarrow.ArrowException as exc:  # a .parquet file that is not Parquet
        shard.error = ListingError(shard.name, 1, f"not a readable Parquet file: {exc}")
    return shard


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _paper(shard: DumpShard, line: int, key: str, title: str, ids: PaperIds, date_value: Any, year: Any,
           authors: Any, abstract: str) -> None:
    identity = (ids.keys() or [key])[0]
    date = _date(date_value)
    shard.papers.append((key, Paper(
        id=paper_id(title, identity), title=title, abstract=abstract,
        authors=len(authors) if isinstance(authors, list) and authors else None,
        date=date, date_text=date.isoformat() if date else (str(year) if isinstance(year, int) else None),
        locations=[SourceLocation(file=shard.name, line=line)],
        arxiv_id=ids.arxiv, doi=ids.doi,
    )))


def _s2_paper(shard: DumpShard, line: int, record: dict) -> str | None:
    title = _text(record.get("title"))
    if not isinstance(record.get("corpusid"), int) or not title:
        return "an S2 paper needs an integer corpusid and a title"
    external = record.get("externalids") if isinstance(record.get("externalids"), dict) else {}
    ids = PaperIds.of(arxiv=external.get("ArXiv"), doi=external.get("DOI"))
    _paper(shard, line, f"s2:{record['corpusid']}", title, ids, record.get("publicationdate"), record.get("year"),
           record.get("authors"), "")
    return None


def _s2_abstract(shard: DumpShard, line: int, record: dict) -> str | None:
    if not isinstance(record.get("corpusid"), int):
        return "an S2 abstract needs an integer corpusid"
    abstract = record.get("abstract")
    if abstract is not None and not isinstance(abstract, str):
        return "an S2 abstract's 'abstract' must be text"
    shard.abstracts[f"s2:{record['corpusid']}"] = abstract or ""
    return None


def _s2_citation(shard: DumpShard, line: int, record: dict) -> str | None:
    citing, cited = record.get("citingcorpusid"), record.get("citedcorpusid")
    if not isinstance(citing, int) or not isinstance(cited, int):
        return "an S2 citation needs integer citingcorpusid and citedcorpusid"  # cited is null for unresolved references
    influential = record.get("isinfluential")
    contexts = [c for c in record.get("contexts") or [] if isinstance(c, str)][:MAX_CONTEXTS]
    intents = sorted({i for i in _flat(record.get("intents")) if isinstance(i, str)})
    shard.references.append((f"s2:{citing}", f"s2:{cited}", influential if isinstance(influential, bool) else None,
                             contexts, intents))
    return None


def _flat(value: Any) -> Iterator[Any]:
    # S2 gives intents per context: [["methodology"], ["background"]]; accept a flat list too.
    for item in value or []:
        yield from (item if isinstance(item, list) else [item])


def abstract_from_inverted_index(index: Any) -> str:
    """OpenAlex's ``abstract_inverted_index`` (word → positions) as text.

    >>> abstract_from_inverted_index({"We": [0], "propose": [1], "X.": [2]})
    'We propose X.'
    """
    if not isinstance(index, dict):
        return ""
    placed = sorted((p, w) for w, ps in index.items() if isinstance(ps, list) for p in ps if isinstance(p, int))
    return " ".join(w for _, w in placed)


def _openalex_work(shard: DumpShard, line: int, record: dict) -> str | None:
    title = _text(record.get("title")) or _text(record.get("display_name"))
    if not title:
        return "an OpenAlex work needs a title"
    work = record["id"][len(_OPENALEX):]
    ids = record.get("ids") if isinstance(record.get("ids"), dict) else {}
    paper_ids = PaperIds.of(doi=record.get("doi") or ids.get("doi"), openalex=work)
    key = f"openalex:{work}"
    _paper(shard, line, key, title, paper_ids, record.get("publication_date"), record.get("publication_year"),
           record.get("authorships"), abstract_from_inverted_index(record.get("abstract_inverted_index")))
    for cited in record.get("referenced_works") or []:
        if isinstance(cited, str) and cited.startswith(_OPENALEX + "W"):
            shard.references.append((key, f"openalex:{cited[len(_OPENALEX):]}", None, [], []))
    return None


_READERS = {"s2-papers": _s2_paper, "s2-abstracts": _s2_abstract, "s2-citations": _s2_citation,
            "openalex-works": _openalex_work}


def assemble(shards: Iterable[DumpShard], dump: str) -> tuple[list[Paper], list[Citation], IngestReport]:
    """The corpus-wide half: abstracts joined to papers, duplicates reported, citations mapped to paper ids.

    Shards are taken in the order given (:func:`dump_files` order); the first record of a
    paper wins and a later one is reported.
    """
    report = IngestReport()
    shards = list(shards)
    abstracts: dict[str, str] = {}
    for shard in shards:
        abstracts.update(shard.abstracts)
    by_key: dict[str, str] = {}
    papers: dict[str, Paper] = {}
    for shard in shards:
        report.files.append(shard.name)
        report.entries += shard.records
        if shard.error:
            report.file_errors.append(shard.error)
            continue
        report.formats[shard.name] = "+".join(sorted(shard.kinds)) or f"{dump} (no records)"
        report.problems.extend(shard.problems)
        for key, paper in shard.papers:
            location = paper.locations[0]
            if key in by_key or paper.id in papers:
                first = papers[by_key.get(key, paper.id)].locations[0]
                report.problems.append(Problem(
                    file=location.file, line=location.line, kind="skipped",
                    reason=f"the same paper as {first.file}:{first.line} ({key}); the first is kept",
                ))
                continue
            if key in abstracts and not paper.abstract:
                paper.abstract = abstracts[key]
            by_key[key], papers[paper.id] = paper.id, paper
    citations: dict[tuple[str, str], Citation] = {}
    outside = 0
    for shard in shards:
        for citing, cited, influential, contexts, intents in shard.references:
            if citing not in by_key or cited not in by_key or by_key[citing] == by_key[cited]:
                outside += 1
                continue
            pair = (by_key[cited], by_key[citing])
            citations.setdefault(pair, Citation(pair[0], pair[1], _SOURCE[dump], intents, influential, contexts))
    if outside:
        report.problems.append(Problem(
            file=shards[0].name if shards else "", line=1, kind="warning",
            reason=f"{outside} citations have an end outside the corpus (or are self-citations); not linked",
        ))
    return [papers[k] for k in sorted(papers)], [citations[k] for k in sorted(citations)], report


def read_dump(paths: Iterable[Path], dump: str) -> tuple[list[Paper], list[Citation], IngestReport]:
    """Every shard of `dump` under `paths`, read in this process."""
    return assemble((read_shard(path, dump) for path in dump_files(paths)), dump)
