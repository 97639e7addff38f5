"""Papers and edges as partitioned Parquet, written by the Dask path when the corpus is too big
for one networkx graph (about a million papers and more).

``papers/part-NNNNN.parquet`` is written by the workers, one file per partition of papers;
``edges/part-00000.parquet`` by the client from the reduced edges. No ``graph.graphml``,
``graph.json`` or ``graph.html`` (and no communities or PageRank) come out of this path: at that
size they are read by an engine (DuckDB, Spark, Dask itself), not a browser.
A stop-gap until ``graph/export_parquet.py`` (issue 16's edge and node tables) is merged: its
columns follow the edge attributes of :mod:`paperlineage.graph.build`.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from distributed import Client, Future

from paperlineage.enrich.citations import Citation
from paperlineage.enrich.models import Paper
from paperlineage.graph.build import paper_date
from paperlineage.graph.kinds import CITES, EVIDENCE_SEPARATOR, MENTIONS, SHARES_METHOD
from paperlineage.graph.mentions import Mention
from paperlineage.graph.shared_methods import SharedMethod

PAPER_SCHEMA = pa.schema([
    ("id", pa.string()), ("title", pa.string()), ("date", pa.string()), ("year", pa.int32()),
    ("arxiv_id", pa.string()), ("doi", pa.string()), ("github", pa.string()),
    ("methods", pa.list_(pa.string())), ("used_methods", pa.list_(pa.string())),
])
EDGE_SCHEMA = pa.schema([
    ("source", pa.string()), ("target", pa.string()), ("kind", pa.string()), ("names", pa.list_(pa.string())),
    ("evidence", pa.string()), ("weight", pa.float64()), ("is_influential", pa.bool_()),
])


def write_tables(
    client: Client, parts: list[Future], used: dict[str, list[str]], mentions: list[Mention],
    shared: list[SharedMethod], citations: list[Citation], out: Path,
) -> list[Path]:
    """Write ``out/papers/part-*.parquet`` (on the workers) and ``out/edges/part-00000.parquet``."""
    (out / "papers").mkdir(parents=True, exist_ok=True)
    (out / "edges").mkdir(parents=True, exist_ok=True)
    used_f = client.scatter([used], broadcast=True)[0]
    names = [out / "papers" / f"part-{i:05d}.parquet" for i in range(len(parts))]
    written = client.gather(client.map(_write_papers, parts, [str(n) for n in names], used=used_f))
    edges = out / "edges" / "part-00000.parquet"
    columns: dict[str, list] = {name: [] for name in EDGE_SCHEMA.names}

    def add(source: str, target: str, kind: str, names_: list[str], evidence: str, weight: float, influential: bool | None) -> None:
        for key, value in zip(EDGE_SCHEMA.names, (source, target, kind, names_, evidence, weight, influential)):
            columns[key].append(value)

    for c in citations:
        add(c.cited, c.citing, CITES, [], EVIDENCE_SEPARATOR.join(c.contexts), 2.0 if c.is_influential else 1.0, c.is_influential)
    for m in mentions:
        add(m.source, m.target, MENTIONS, m.names, EVIDENCE_SEPARATOR.join(m.evidence[:3]), 1.0, None)
    for s in shared:
        add(s.source, s.target, SHARES_METHOD, s.names, "", round(s.weight, 4), None)
    pq.write_table(pa.table(columns, schema=EDGE_SCHEMA), edges)
    return [Path(p) for p in written] + [edges]


def _write_papers(papers: list[Paper], path: str, used: dict[str, list[str]]) -> str:
    rows = {name: [] for name in PAPER_SCHEMA.names}
    for paper in papers:
        date, year = paper_date(paper)
        for key, value in zip(PAPER_SCHEMA.names, (
            paper.id, paper.label, date, year, paper.arxiv_id, paper.doi, paper.github, paper.methods, used.get(paper.id, []),
        )):
            rows[key].append(value)
    pq.write_table(pa.table(rows, schema=PAPER_SCHEMA), path)
    return path
