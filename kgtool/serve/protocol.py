"""The SPARQL 1.1 Protocol at ``/sparql``: queries by GET, by POST form and by POST
``application/sparql-query``, answered in the negotiated format, read-only.

Refused with 400 and the reason: SPARQL Update (``update=``, ``application/sparql-update``,
or an update in ``query=``), SERVICE and FROM (as in the command line), and
``default-graph-uri``/``named-graph-uri`` (the dataset is the graph). A GET without a query
gets the SPARQL Service Description.

>>> refusal({"update": ["DROP ALL"]})
'SPARQL Update is refused: this endpoint is read-only'
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from kgtool.engine import analyse, refuse_unsafe
from kgtool.errors import UsageError
from kgtool.serve.jobs import MEDIA_TYPES
from kgtool.serve.negotiation import GRAPHS, RESULTS, by_name, choose, prefers_html

FORMAT_PARAMS = ("format", "output", "results")  # SPARQLWrapper sends all three
_DESCRIPTION = """
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix formats: <http://www.w3.org/ns/formats/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<{endpoint}> a sd:Service ;
  dcterms:title "spacecoop: space cooperation of the OIC member states (read-only)"@en ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage sd:SPARQL11Query ;
  sd:feature sd:UnionDefaultGraph ;
  sd:resultFormat formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML,
    formats:SPARQL_Results_CSV, formats:SPARQL_Results_TSV, formats:Turtle, formats:JSON-LD,
    formats:N-Triples ;
  sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"""


class NotAcceptable(UsageError):
    """No format that the request accepts fits the answer (HTTP 406)."""


class TooLarge(UsageError):
    """The request is larger than the server's cap (HTTP 413)."""


def refusal(params: dict[str, list[str]]) -> str | None:
    """Why a request's parameters are refused, or None."""
    if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
        return "SPARQL Update is refused: this endpoint is read-only"
    if "default-graph-uri" in params or "named-graph-uri" in params:
        return ("default-graph-uri and named-graph-uri are refused: the dataset is the "
                "project graph (as FROM is refused in queries)")
    return None


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) past ``limit`` bytes whatever Content-Length says."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"the request has {int(declared):,} bytes; the cap is {limit:,}",
                       hint="send a shorter query")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"the request has more than {limit:,} bytes, the cap",
                           hint="send a shorter query")
        chunks.append(chunk)
    return b"".join(chunks)


async def query_params(request: Request, limit: int) -> dict[str, list[str]]:
    """The protocol's parameters from the URL and, for a POST, from the body."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    if request.method != "POST":
        return params
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await read_body(request, limit)
    if media == "application/x-www-form-urlencoded":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError("the form is not UTF-8", hint="send UTF-8") from None
        for key, values in parse_qs(text, keep_blank_values=True).items():
            params.setdefault(key, []).extend(values)
    elif media == "application/sparql-query":
        try:
            params.setdefault("query", []).append(body.decode("utf-8"))
        except UnicodeDecodeError:
            raise UsageError("the query is not UTF-8", hint="send UTF-8") from None
    elif media == "application/sparql-update":
        params["update"] = [""]
    else:
        raise UsageError(f"a POST to /sparql must be a form or application/sparql-query, not "
                         f"{media or 'without Content-Type'}",
                         hint="send Content-Type: application/sparql-query")
    return params


def answer_format(request: Request, params: dict[str, list[str]], form: str | None) -> str:
    """The format for a query of ``form``: ``format=`` if it fits, else the Accept header."""
    tables = (GRAPHS,) if form in ("CONSTRUCT", "DESCRIBE") else (RESULTS,)
    for key in FORMAT_PARAMS:
        for value in params.get(key, []):
            if fmt := by_name(value, *tables):
                return fmt
    fmt = choose(request.headers.get("accept"), *tables)
    if fmt is None:
        offered = ", ".join(dict.fromkeys(t for table in tables for t in table))
        raise NotAcceptable(f"no format that the Accept header allows fits a {form or 'query'} "
                            "answer", hint=f"accept one of {offered}")
    return fmt


def service_description(request: Request) -> Response:
    """The SPARQL Service Description of this endpoint, in the negotiated RDF syntax."""
    fmt = choose(request.headers.get("accept"), GRAPHS)
    if fmt is None:
        raise NotAcceptable("no format that the Accept header allows fits the service "
                            "description", hint="accept text/turtle")
    endpoint = str(request.url.replace(query="", fragment=""))
    turtle = _DESCRIPTION.format(endpoint=endpoint)
    if fmt == "turtle":
        return Response(turtle.strip() + "\n", media_type=MEDIA_TYPES[fmt])
    syntax = ox.RdfFormat.JSON_LD if fmt == "json-ld" else ox.RdfFormat.N_TRIPLES
    triples = ox.parse(turtle, ox.RdfFormat.TURTLE)
    return Response(ox.serialize(triples, format=syntax), media_type=MEDIA_TYPES[fmt])


async def sparql(request: Request) -> Response:
    """GET or POST /sparql."""
    server = request.app.state.server
    params = await query_params(request, server.settings.max_body)
    if reason := refusal(params):
        raise UsageError(reason, hint="data enters the graph through 'kgtool ingest' only")
    queries = params.get("query", [])
    if not queries:
        if prefers_html(request.headers.get("accept")):
            return RedirectResponse("/query", status_code=303)
        return service_description(request)
    if len(queries) > 1:
        raise UsageError("more than one query= parameter", hint="send one query per request")
    text = queries[0]
    refuse_unsafe(text, "query")
    if request.method == "GET" and not any(params.get(k) for k in FORMAT_PARAMS) \
            and prefers_html(request.headers.get("accept")):
        # a person following a link: the query page shows the answer
        return RedirectResponse("/query?" + urlencode({"query": text}), status_code=303)
    fmt = answer_format(request, params, analyse(text).form)
    rendered = await server.pool.run("query", "the query", server.settings.timeout, text=text,
                                     display="query", substitutions={}, fmt=fmt,
                                     max_rows=server.settings.max_rows)
    return Response(rendered.body, media_type=rendered.media_type)
