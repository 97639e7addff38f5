"""A local stand-in for the five APIs, for end-to-end tests and the request benchmark.

SYNTHETIC DATA, NOT REAL: the papers this world knows (their arXiv IDs, dates,
repositories) are made up by the tests. Only the *formats* are real: every
response is built by editing a copy of a recorded response from
``tests/fixtures`` (Hugging Face search items, an arXiv Atom feed, Semantic
Scholar batch items, a GitHub repository), so the clients parse exactly what the
live APIs send. Each source lives under its own path prefix on one
pytest-httpserver, and the server counts every request it answers.
"""

from __future__ import annotations

import copy
import hashlib
import datetime as dt
import json
import random
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from paperlineage.enrich.text.from_text import enrich_from_text
from paperlineage.enrich.ingest import ingest
from paperlineage.enrich.titles import normalise_title
from paperlineage.enrich.sources import SOURCES, SPECS
from tests import samples

ATOM = "http://www.w3.org/2005/Atom"
ARXIV_NS = "http://arxiv.org/schemas/atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
for prefix, uri in (("", ATOM), ("arxiv", ARXIV_NS), ("opensearch", OPENSEARCH)):
    ET.register_namespace(prefix, uri)
PREFIXES = {"huggingface": "/hf", "arxiv": "/arxiv", "semanticscholar": "/s2", "openalex": "/openalex", "github": "/gh"}
ENV = {spec.name: spec.url_env for spec in SPECS}  # the real variables, from each source's spec


@dataclass
class WorldPaper:
    """A paper as this synthetic world knows it."""

    title: str
    arxiv_id: str
    published: dt.date
    authors: int = 3
    github: str | None = None  # what Hugging Face lists as githubRepo ('owner/name')
    on_hf: bool = True
    in_hf_search: bool = True  # False: HF knows it (GET /api/papers/{id}) but its title search misses it
    on_s2: bool = True
    in_arxiv_search: bool = True  # False: arXiv's title search misses it (its id_list still finds it)
    references: list[str] = field(default_factory=list)  # what it cites: arXiv ids, or "doi:10.48550/arXiv.<id>v1"
    filler_references: int = 0  # extra references outside the corpus (to make reference lists page)
    on_openalex: bool = True
    abstract: str = "Synthetic summary."  # what HF and arXiv serve as its summary (too short to compare unless set)
    keywords: list[str] = field(default_factory=list)  # SYNTHETIC Hugging Face ai_keywords for this paper (none by default)
    citations: dict[str, "CitationDetail"] = field(default_factory=dict)  # reference -> what S2 says about that citation
    references_broken: bool = False  # S2 /references answers 200 with a body that is not JSON
    on_arxiv: bool = True  # False: arXiv's id_list does not return it (its title search still may)
    doi: str | None = None  # SYNTHETIC journal DOI: S2's batch answers DOI:<doi> with this paper


@dataclass(frozen=True)
class CitationDetail:
    """SYNTHETIC: what S2 ``/references`` says about one citation (intents, isInfluential, contexts)."""

    intents: tuple[str, ...]
    influential: bool
    contexts: tuple[str, ...]


_INTENTS = (("methodology",), ("background",), ("result", "methodology"), ())


def citation_detail(citing: WorldPaper, reference: str) -> CitationDetail:
    """The detail S2 serves for `citing` citing `reference`: the paper's own, or one made up from the pair.

    Made-up details differ between pairs (a hash of both ids picks them), so a test that
    mixes two pairs up sees other intents, influence or contexts.
    """
    if reference in citing.citations:
        return citing.citations[reference]
    h = int(hashlib.sha1(f"{citing.arxiv_id}|{reference}".encode()).hexdigest(), 16)
    contexts = tuple(f"{citing.arxiv_id} cites {_bare_arxiv(reference)} (context {k + 1})." for k in range(1 + h % 4))
    return CitationDetail(_INTENTS[h % len(_INTENTS)], h % 2 == 0, contexts)


@dataclass
class World:
    """The papers, repositories and failure scripts the fake server answers from."""

    papers: list[WorldPaper] = field(default_factory=list)
    repos: dict[str, int] = field(default_factory=dict)  # 'owner/name' (any case) -> stars
    renamed: dict[str, str] = field(default_factory=dict)  # old 'owner/name' -> new
    failures: dict[str, list[tuple[int, dict[str, str], bytes]]] = field(default_factory=dict)  # prefix -> scripted answers
    hits: Counter = field(default_factory=Counter)  # source -> requests answered

    # ------------------------------------------------------------------ answers
    def handle(self, request: Request) -> Response:
        source = next(s for s, p in PREFIXES.items() if request.path.startswith(p + "/"))
        self.hits[source] += 1
        scripted = self.failures.get(source)
        if scripted:
            status, headers, body = scripted.pop(0)
            return Response(body, status=status, headers=headers)
        path = request.path[len(PREFIXES[source]) :]
        return getattr(self, f"_{source}")(path, request)

    def _match(self, query: str) -> list[WorldPaper]:
        words = set(normalise_title(query).split())
        scored = [(len(words & set(normalise_title(p.title).split())) / max(len(words), 1), p) for p in self.papers]
        return [p for score, p in sorted(scored, key=lambda sp: (-sp[0], sp[1].arxiv_id)) if score >= 0.6][:5]

    def _huggingface(self, path: str, request: Request) -> Response:
        template = samples.json_sample("huggingface", "papers_search__q=kazakh__hf-mcp-server-fixture.json")[0]
        if path.startswith("/api/papers/") and path != "/api/papers/search":
            # No recorded sample of /api/papers/{id} exists; API-NOTES: "one paper object (top
            # level, not wrapped)", so we serve the recorded search item's nested `paper` object.
            wanted = path.rsplit("/", 1)[1]
            paper = next((p for p in self.papers if p.arxiv_id == wanted and p.on_hf), None)
            if paper is None:
                return _json({"error": "Paper not found"}, 404)
            return _json(_hf_paper(template, paper)["paper"])
        if path != "/api/papers/search":
            return _json({"error": "Not Found"}, 404)
        items = [_hf_paper(template, p) for p in self._match(request.args.get("q", "")) if p.on_hf and p.in_hf_search]
        return _json(items)

    def _arxiv(self, path: str, request: Request) -> Response:
        feed = ET.fromstring(samples.arxiv("id_1707.08567_s0_m100_6a1afebfc6a3").body)
        template = feed.find(f"{{{ATOM}}}entry")
        assert template is not None
        feed.remove(template)
        if "id_list" in request.args:
            wanted = set(request.args["id_list"].split(","))
            chosen = [p for p in self.papers if p.arxiv_id in wanted and p.on_arxiv]
        else:
            phrases = re.findall(r'ti:"([^"]*)"', request.args.get("search_query", ""))
            chosen = [p for phrase in phrases for p in self._match(phrase) if p.in_arxiv_search]
        unique = list({p.arxiv_id: p for p in chosen}.values())
        for paper in unique:
            feed.append(_arxiv_entry(template, paper))
        feed.find(f"{{{OPENSEARCH}}}totalResults").text = str(len(unique))  # type: ignore[union-attr]
        body = b"<?xml version='1.0' encoding='UTF-8'?>\n" + ET.tostring(feed, encoding="utf-8")
        return Response(body, content_type="application/atom+xml; charset=utf-8")

    def _s2_item(self, paper: WorldPaper) -> dict:
        batch = json.loads(samples.cassette("test_get_papers_not_found_warning")[0].body)
        item = copy.deepcopy(next(i for i in batch if i))
        item.update(
            paperId=hashlib.sha1(paper.arxiv_id.encode()).hexdigest(),
            title=paper.title,
            year=paper.published.year,
            publicationDate=paper.published.isoformat(),
            externalIds={"ArXiv": paper.arxiv_id, "CorpusId": 1, **({"DOI": paper.doi} if paper.doi else {})},
            authors=[{"authorId": "1", "name": "A. Author"}] * paper.authors,
        )
        item["abstract"] = paper.abstract
        return item

    def _reference_ids(self, paper: WorldPaper) -> list[dict]:
        cited = [
            {"paperId": None, "externalIds": {"DOI": ref[4:]}}  # unresolved by S2, known only by an old version's DOI
            if ref.startswith("doi:")
            else {"paperId": hashlib.sha1(ref.encode()).hexdigest(), "externalIds": {"ArXiv": ref}}
            for ref in paper.references
        ]
        filler = [{"paperId": None, "externalIds": {"DOI": f"10.9999/filler.{n}"}} for n in range(paper.filler_references)]
        return filler + cited  # the corpus references come last: past page 1 when there is enough filler

    def _semanticscholar(self, path: str, request: Request) -> Response:
        if path == "/graph/v1/paper/search/match":
            found = [p for p in self._match(request.args.get("query", "")) if p.on_s2]
            if not found:
                return Response(samples.raw("semanticscholar", "match_title_not_found__handmade.json"), status=404)
            return _json({"data": [{**self._s2_item(found[0]), "matchScore": 200.0}]})
        by_id = {f"ARXIV:{p.arxiv_id}": p for p in self.papers if p.on_s2}
        by_id.update({f"DOI:{p.doi}": p for p in self.papers if p.on_s2 and p.doi})
        if path == "/graph/v1/paper/batch":
            ids = json.loads(request.get_data())["ids"]
            with_refs = "references." in request.args.get("fields", "")
            items = []
            for i in ids:
                item = self._s2_item(by_id[i]) if i in by_id else None
                if item is not None and with_refs:
                    item["references"] = self._reference_ids(by_id[i])
                items.append(item)
            return _json(items)
        match = re.fullmatch(r"/graph/v1/paper/(.+)/references", path)
        if match and match.group(1) in by_id:
            citing = by_id[match.group(1)]
            if citing.references_broken:
                return Response(b"<html>upstream error</html>", status=200, content_type="application/json")
            template = samples.json_sample("semanticscholar", "s2py-data__Reference.json")
            references = []
            filler = [f"doi:{n}" for n in range(citing.filler_references)]
            for ref, key in zip(self._reference_ids(citing), filler + citing.references):
                item = copy.deepcopy(template)
                item["citedPaper"].update(paperId=ref["paperId"], externalIds=ref["externalIds"], title="Cited paper")
                detail = citation_detail(citing, key)
                item.update(contexts=list(detail.contexts), intents=list(detail.intents), isInfluential=detail.influential)
                item["contextsWithIntent"] = [{"context": c, "intents": list(detail.intents)} for c in detail.contexts]
                references.append(item)
            offset, limit = int(request.args.get("offset", 0)), int(request.args.get("limit", 100))
            page = {"offset": offset, "data": references[offset : offset + limit]}
            if offset + limit < len(references):
                page["next"] = offset + limit
            return _json(page)
        return _json({"error": f"Paper with id {path} not found"}, 404)

    def _openalex(self, path: str, request: Request) -> Response:
        """``/works`` lists for ``filter=doi:a|b`` (citations) and ``filter=title.search:<title>``
        (title fallback), each work a copy of the recorded W2741809807 in the handmade envelope."""
        envelope = samples.json_sample("openalex", "works_list_empty__handmade.json")
        filters = request.args.get("filter", "")
        known = [p for p in self.papers if p.on_openalex]
        if path == "/works" and filters.startswith("doi:"):
            wanted = set(filters[4:].split("|"))
            chosen = [p for p in known if f"10.48550/arxiv.{p.arxiv_id}" in wanted]
        elif path == "/works" and filters.startswith("title.search:"):
            chosen = [p for p in self._match(filters.removeprefix("title.search:")) if p.on_openalex]
        else:
            chosen = []
        envelope["results"] = [self._openalex_work(p) for p in chosen[: int(request.args.get("per-page", 25))]]
        envelope["meta"]["count"] = len(envelope["results"])
        return _json(envelope)

    def _openalex_work(self, paper: WorldPaper) -> dict:
        openalex_id = {p.arxiv_id: f"https://openalex.org/W{1000 + n}" for n, p in enumerate(self.papers)}
        work = copy.deepcopy(samples.json_sample("openalex", "works__W2741809807__openalex-python-fixture.json"))
        doi = f"https://doi.org/10.48550/arxiv.{paper.arxiv_id}"  # OpenAlex lower-cases arXiv DOIs
        work.update(id=openalex_id[paper.arxiv_id], doi=doi, title=paper.title, display_name=paper.title)
        work.update(publication_date=paper.published.isoformat(), publication_year=paper.published.year)
        work["authorships"] = (work["authorships"] * 20)[: paper.authors]
        work["ids"] = {"openalex": work["id"], "doi": work["doi"]}
        cited = [_bare_arxiv(r) for r in paper.references]
        work["referenced_works"] = [openalex_id[c] for c in cited if c in openalex_id]
        return work

    def _github(self, path: str, request: Request) -> Response:
        if path == "/graphql" and request.method == "POST":
            return self._github_graphql(json.loads(request.get_data()))
        match = re.fullmatch(r"/repos/([^/]+)/([^/]+)", path)
        if not match:
            return _json({"message": "Not Found"}, 404)
        name = f"{match.group(1)}/{match.group(2)}"
        if name.lower() in {k.lower() for k in self.renamed}:
            new = next(v for k, v in self.renamed.items() if k.lower() == name.lower())
            return Response(b"", status=301, headers={"Location": f"{request.host_url.rstrip('/')}{PREFIXES['github']}/repos/{new}"})
        stars = next((v for k, v in self.repos.items() if k.lower() == name.lower()), None)
        if stars is None:
            return Response(samples.raw("github", "body__GET_repos_jacquev6_Xxx__404__2012-06.json"), status=404)
        record = samples.replay("Repository.setUp")[0]
        body = json.loads(record.body)
        owner, repo = next(k for k in self.repos if k.lower() == name.lower()).split("/")
        body.update(full_name=f"{owner}/{repo}", name=repo, stargazers_count=stars, html_url=f"https://github.com/{owner}/{repo}")
        body["owner"]["login"] = owner
        # GitHub's real caching headers (Cache-Control: private, max-age=60; ETag; Vary: Accept,
        # Authorization, Cookie, ...), so a token and Vary meet the cache as they do online.
        caching = {k: v for k, v in record.headers.items() if k.lower() in ("cache-control", "etag", "last-modified", "vary")}
        return _json(body, headers={**caching, "x-ratelimit-limit": "60", "x-ratelimit-remaining": "59", "x-ratelimit-reset": "9999999999"})


    def _github_graphql(self, body: dict) -> Response:
        """Aliased ``repository`` fields answered in the recorded shapes: a node like the recorded
        ``{"url": ...}`` (plus ``stargazerCount``, the field API-NOTES names), or null with the
        recorded NOT_FOUND error, its path and message pointed at the alias."""
        variables = body["variables"]
        data: dict[str, object] = {}
        errors = []
        for i in range(len(variables) // 2):
            alias, asked = f"r{i}", f"{variables[f'o{i}']}/{variables[f'n{i}']}"
            name = next((v for k, v in self.renamed.items() if k.lower() == asked.lower()), asked)  # GraphQL follows renames
            canonical = next((k for k in self.repos if k.lower() == name.lower()), None)
            if canonical is None:
                error = copy.deepcopy(samples.json_sample("github", "body__POST_graphql_node_NOT_FOUND_error__200__2024-09.json")["errors"][0])
                error.update(path=[alias], message=f"Could not resolve to a Repository with the name '{asked}'.")
                errors.append(error)
                data[alias] = None
                continue
            node = copy.deepcopy(samples.json_sample("github", "body__POST_graphql_repository_url__200__2024-09.json")["data"]["repository"])
            node.update(url=f"https://github.com/{canonical}", stargazerCount=self.repos[canonical])
            data[alias] = node
        answer: dict[str, object] = {"data": data, **({"errors": errors} if errors else {})}
        return _json(answer, headers={"x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4979", "x-ratelimit-reset": "9999999999", "x-ratelimit-resource": "graphql"})


def _bare_arxiv(reference: str) -> str:
    return re.sub(r"v\d+$", "", reference.rsplit("arXiv.", 1)[-1].removeprefix("doi:"))


def _hf_paper(template: dict, paper: WorldPaper) -> dict:
    """The recorded search item, rewritten to describe `paper`."""
    item = copy.deepcopy(template)
    stamp = f"{paper.published.isoformat()}T17:54:27.000Z"
    item["paper"].update(id=paper.arxiv_id, title=paper.title, publishedAt=stamp, summary=paper.abstract)
    item["paper"]["authors"] = (template["paper"]["authors"] * 20)[: paper.authors]
    item["paper"]["ai_keywords"] = list(paper.keywords)  # the recorded item's own keywords would tag every paper alike
    if paper.github:
        item["paper"]["githubRepo"] = f"https://github.com/{paper.github}"
    item.update(title=paper.title, publishedAt=stamp, summary=paper.abstract)
    return item


def _json(data: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(data), status=status, headers=headers or {}, content_type="application/json; charset=utf-8")


def _arxiv_entry(template: ET.Element, paper: WorldPaper) -> ET.Element:
    entry = copy.deepcopy(template)
    stamp = f"{paper.published.isoformat()}T00:00:00Z"
    entry.find(f"{{{ATOM}}}id").text = f"http://arxiv.org/abs/{paper.arxiv_id}v1"  # type: ignore[union-attr]
    entry.find(f"{{{ATOM}}}title").text = paper.title  # type: ignore[union-attr]
    entry.find(f"{{{ATOM}}}summary").text = paper.abstract  # type: ignore[union-attr]
    entry.find(f"{{{ATOM}}}published").text = stamp  # type: ignore[union-attr]
    entry.find(f"{{{ATOM}}}updated").text = stamp  # type: ignore[union-attr]
    authors = entry.findall(f"{{{ATOM}}}author")
    for extra in authors[1:]:
        entry.remove(extra)
    index = list(entry).index(authors[0])
    for n in range(1, paper.authors):
        entry.insert(index + n, copy.deepcopy(authors[0]))
    return entry


def serve(httpserver, world: World, distinct_hosts: bool = False) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Route every request to `world`; returns env vars pointing each source at its prefix.

    With `distinct_hosts` (server bound to 0.0.0.0), each source gets its own loopback
    address (127.0.0.2, .3, ...), so per-host rate limits apply as they do against the
    real APIs instead of one shared bucket.
    """
    httpserver.expect_request(re.compile(".*")).respond_with_handler(world.handle)
    if not distinct_hosts:
        return {ENV[s]: httpserver.url_for(p) for s, p in PREFIXES.items()}
    return {ENV[s]: f"http://127.0.0.{n}:{httpserver.port}{p}" for n, (s, p) in enumerate(PREFIXES.items(), 2)}


# SYNTHETIC ai_keywords for seeds_world, methods and the noise Hugging Face also tags (metrics, data sets, fields).
SYNTHETIC_KEYWORDS = (
    "speculative decoding", "KV cache", "gradient low-rank projection", "MRR", "NDCG@10",
    "Natural Questions (NQ) dataset", "large language models", "reading comprehension",
)


TOKEN_VARIABLES = tuple(spec.token_env for spec in SPECS if spec.token_env)
TOKEN_ENV = {spec.name: spec.token_env for spec in SPECS if spec.token_env}


def aim(monkeypatch, httpserver, world: World, distinct_hosts: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Point every source at `world` on `httpserver` through the real environment variables, with
    no token set (a test that needs one sets it after)."""
    for name, value in serve(httpserver, world, distinct_hosts).items():
        monkeypatch.setenv(name, value)
    for name in TOKEN_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def seeds_world(seeds: Path, seed: int = 11) -> World:
    """A SYNTHETIC world for the listings in `seeds`: made-up arXiv IDs; Hugging Face knows ~85%
    (listing a repo for some, and 0-2 made-up ai_keywords for each), arXiv's title search ~95%,
    Semantic Scholar ~90%."""
    rng = random.Random(seed)
    tags = random.Random(seed + 1)  # its own stream, so the other draws stay as they were
    papers = [enrich_from_text(p) for p in ingest([seeds])[0]]
    world = World()
    for index, paper in enumerate(papers):
        published = paper.date or dt.date(2024, 1, 1) + dt.timedelta(days=index)
        repo = paper.github if paper.github and rng.random() < 0.5 else None
        if repo is None and rng.random() < 0.05:
            repo = f"synthetic-lab/repo-{index}"
        world.papers.append(
            WorldPaper(
                paper.title,
                f"{published:%y%m}.{10000 + index:05d}",
                published,
                paper.authors or 3,
                github=repo,
                on_hf=rng.random() < 0.85,
                on_s2=rng.random() < 0.9,
                in_arxiv_search=rng.random() < 0.95,
                abstract=paper.abstract,  # the listing shows the arXiv abstract, so the APIs serve it back
                keywords=tags.sample(SYNTHETIC_KEYWORDS, tags.randrange(3)),
            )
        )
        for name in filter(None, (paper.github, repo)):
            world.repos[name] = rng.randrange(0, 5000)
    return world


@dataclass
class KillRerun:
    """What a build killed by SIGKILL at request `kill_at`, then run again, asked the server."""

    kill_at: int
    received: list[tuple]  # the answers the killed run had received, as (method, path, query, body)
    rerun: list[tuple]  # every request of the rerun

    @property
    def fetched_again(self) -> list[tuple]:
        """Rerun requests for answers the killed run had already received (should be none)."""
        done = set(self.received)
        return [key for key in self.rerun if key in done]


def _request_key(request: Request) -> tuple[str, str, str, bytes]:
    return request.method, request.path, "&".join(sorted(request.query_string.decode().split("&"))), request.get_data()


def kill_and_rerun(seeds: Path, work: Path, kill_at: int, environ: dict[str, str]) -> KillRerun:
    """Build `seeds` in a subprocess against the seeds world; the server SIGKILLs it when request
    `kill_at` arrives, before answering. Requests go one at a time, so the answers before it were
    received and stored. Then the same build runs again in this process on the same cache.

    `environ` adds variables for both runs (a token); base URLs point at the local server.
    """
    import os
    import signal
    import subprocess
    import sys

    from paperlineage.cache import HttpConfig
    from paperlineage.pipeline import BuildOptions, run_build

    world = seeds_world(seeds)
    outcome = KillRerun(kill_at, [], [])
    running: list[subprocess.Popen] = []

    def handle(request: Request) -> Response:
        if running and len(outcome.received) == kill_at - 1 and running[0].poll() is None:
            os.kill(running[0].pid, signal.SIGKILL)
            running[0].wait()
            return Response("killed", status=503)
        (outcome.received if running else outcome.rerun).append(_request_key(request))
        return world.handle(request)

    server = HTTPServer()
    server.expect_request(re.compile(".*")).respond_with_handler(handle)
    server.start()
    saved = dict(os.environ)
    try:
        env = {**{ENV[s]: server.url_for(p) for s, p in PREFIXES.items()}, **environ}
        for name in TOKEN_VARIABLES:
            os.environ.pop(name, None)
        cache = work / "kill.sqlite"
        script = (
            "import sys; from pathlib import Path\n"
            "from paperlineage.cache import HttpConfig\n"
            "from paperlineage.pipeline import BuildOptions, run_build\n"
            "rates = dict.fromkeys(sys.argv[3].split(','), 1000.0)\n"
            "run_build([Path(sys.argv[1])], BuildOptions(out=Path(sys.argv[2]) / 'killed', "
            "http=HttpConfig(cache_path=Path(sys.argv[2]) / 'kill.sqlite', rate_limits=rates)))\n"
        )
        root = Path(__file__).resolve().parents[1]
        child_env = {k: v for k, v in os.environ.items() if k not in TOKEN_VARIABLES}
        args = [sys.executable, "-c", script, str(seeds), str(work), ",".join(SOURCES)]
        running.append(subprocess.Popen(args, cwd=root, env={**child_env, **env, "PYTHONPATH": str(root)}))
        running[0].wait(timeout=300)
        running.clear()
        os.environ.update(env)
        run_build([seeds], BuildOptions(out=work / "rerun", http=HttpConfig(cache_path=cache, rate_limits=dict.fromkeys(SOURCES, 1000.0))))
        return outcome
    finally:
        os.environ.clear()
        os.environ.update(saved)
        server.clear()
        server.stop()
