"""The web app's pages: home with search, the named queries (each with its JSON, CSV and SPARQL
twins), the query editor, entity pages (dereferenceable IRIs) and "check a submission".

Pages are rendered on the server and read without JavaScript; a page's data formats are one
suffix away (``/queries/who-flew.csv``, ``/id/nation/sau.ttl``) or one Accept header.

>>> split_suffix("who-flew.csv"), split_suffix("nation/sau")
(('who-flew', 'csv'), ('nation/sau', None))
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from kgtool.engine import analyse, refuse_unsafe
from kgtool.errors import KgtoolError, UsageError
from kgtool.query import bindings
from kgtool.serve.jobs import NotFound
from kgtool.serve.negotiation import GRAPHS, NAMES, RESULTS, choose, prefers_html
from kgtool.serve.protocol import NotAcceptable, TooLarge
from kgtool.serve.views import ID_BASE

_SLUG = re.compile(r"^[a-z][a-z0-9-]*/[A-Za-z0-9][A-Za-z0-9._~-]*$")
RESULT_DOWNLOADS = ("json", "csv", "tsv", "xml")
GRAPH_DOWNLOADS = ("turtle", "json-ld", "nt")
SUFFIX = {"json": "json", "csv": "csv", "tsv": "tsv", "xml": "xml", "turtle": "ttl",
          "json-ld": "jsonld", "nt": "nt"}


def split_suffix(name: str) -> tuple[str, str | None]:
    """A path's last segment without a format suffix, and the suffix (if it names one)."""
    stem, dot, suffix = name.rpartition(".")
    if dot and (suffix in NAMES or suffix == "rq") and "/" not in suffix:
        return stem, suffix
    return name, None


def wanted(request: Request, suffix: str | None, form: str | None) -> str:
    """``html`` for a browser (or no preference), else the data format asked for."""
    tables = (GRAPHS,) if form in ("CONSTRUCT", "DESCRIBE") else (RESULTS,)
    if suffix:
        fmt = NAMES[suffix]
        if fmt != "html" and not any(fmt in t.values() for t in tables):
            raise NotAcceptable(f".{suffix} does not fit a {form or 'query'} answer",
                                hint="use " + ", ".join("." + SUFFIX[f] for t in tables
                                                        for f in dict.fromkeys(t.values())))
        return fmt
    accept = request.headers.get("accept")
    if not accept or prefers_html(accept) or accept.strip().startswith("*/*"):
        return "html"
    fmt = choose(accept, *tables)
    if fmt is None:
        raise NotAcceptable("no format that the Accept header allows fits this answer",
                            hint="accept text/html, or a format of the download links")
    return fmt


async def home(request: Request) -> Response:
    server, lang = request.app.state.server, request.state.lang
    data = await server.pool.run("home", "the home page", server.settings.timeout, language=lang)
    return server.page(request, "home.html", data=data, views=server.views(data.labels, lang))


async def search(request: Request) -> Response:
    server, lang = request.app.state.server, request.state.lang
    text = request.query_params.get("q", "").strip()[:200]
    found = None
    if text:
        found = await server.pool.run("search", "the search", server.settings.timeout,
                                      text=text, language=lang)
    return server.page(request, "search.html", q=text, found=found,
                       views=server.views(found.labels if found else {}, lang))


async def catalogue(request: Request) -> Response:
    server = request.app.state.server
    if request.path_params.get("suffix") == "json" or (
            "json" in request.headers.get("accept", "") and not prefers_html(
                request.headers.get("accept"))):
        from starlette.responses import JSONResponse

        return JSONResponse([{"name": q.name, "summary": q.summary, "description": q.description,
                              "params": q.params, "defaults": q.defaults, "tags": list(q.tags),
                              "url": f"/queries/{q.name}"} for q in server.queries.values()])
    return server.page(request, "queries.html", queries=list(server.queries.values()))


async def named(request: Request) -> Response:
    server, lang = request.app.state.server, request.state.lang
    name, suffix = split_suffix(request.path_params["name"])
    query = server.queries.get(name)
    if query is None:
        raise NotFound(f"no named query {name!r}", hint="the catalogue is at /queries")
    if suffix == "rq":
        return PlainTextResponse(query.text, media_type="application/sparql-query")
    fmt = wanted(request, suffix, query.form)
    request.state.html = fmt == "html"
    values = {p: request.query_params.get(p, query.defaults.get(p, "")) for p in query.params}
    given = [(p, v) for p, v in values.items() if v != ""]
    context = {"query": query, "values": values, "table": None, "error": None}
    try:
        subs = bindings(query, given, server.prefixes)
    except UsageError as error:
        if fmt != "html":
            raise
        context["error"] = error
        return server.page(request, "named.html", status_code=400, **context)
    answer = await server.pool.run("query", f"query {name}", server.settings.timeout,
                                   text=query.text, display=name, substitutions=subs, fmt=fmt,
                                   max_rows=server.settings.max_rows, language=lang)
    if fmt != "html":
        return Response(answer.body, media_type=answer.media_type)
    params = urlencode({p: v for p, v in values.items() if v})
    downloads = [(f.upper() if f != "json-ld" else "JSON-LD", f"/queries/{name}.{SUFFIX[f]}"
                  + (f"?{params}" if params else "")) for f in _downloads(query.form)]
    downloads.append(("SPARQL", f"/queries/{name}.rq"))
    context.update(table=answer, downloads=downloads)
    return server.page(request, "named.html", views=server.views(answer.labels, lang),
                       **context)


def _downloads(form: str | None) -> tuple[str, ...]:
    return GRAPH_DOWNLOADS if form in ("CONSTRUCT", "DESCRIBE") else RESULT_DOWNLOADS


async def query_page(request: Request) -> Response:
    server, lang = request.app.state.server, request.state.lang
    text = request.query_params.get("query", "")
    chosen = server.queries.get(request.query_params.get("name", ""))
    if not text and chosen is not None:
        text = chosen.text
    context = {"text": text, "table": None, "error": None, "downloads": [],
               "queries": list(server.queries.values())}
    if text.strip() and "query" in request.query_params:
        try:
            refuse_unsafe(text, "query")
            form = analyse(text).form
            context["table"] = await server.pool.run(
                "query", "the query", server.settings.timeout, text=text, display="query",
                substitutions={}, fmt="html", max_rows=server.settings.max_rows, language=lang)
        except KgtoolError as error:
            context["error"] = error
            return server.page(request, "query.html", status_code=server.status_of(error),
                               views=server.views({}, lang), **context)
        context["downloads"] = [(f.upper() if f != "json-ld" else "JSON-LD",
                                 "/sparql?" + urlencode({"query": text, "format": f}))
                                for f in _downloads(form)]
    labels = context["table"].labels if context["table"] else {}
    return server.page(request, "query.html", views=server.views(labels, lang), **context)


async def entity(request: Request) -> Response:
    server, lang = request.app.state.server, request.state.lang
    rest, suffix = split_suffix(request.path_params["rest"])
    if not _SLUG.match(rest) or suffix == "rq":
        raise NotFound(f"/id/{rest} is not the path of a spacecoop thing",
                       hint="things are at /id/<type>/<slug>, e.g. /id/nation/sau")
    fmt = wanted(request, suffix, "DESCRIBE")
    request.state.html = fmt == "html"
    iri = ID_BASE + rest
    node = await server.pool.run("entity", f"the page of <{iri}>", server.settings.timeout,
                                 iri=iri, fmt=fmt, language=lang)
    if fmt != "html":
        return Response(node.body, media_type=node.media_type)
    downloads = [(f.upper() if f != "json-ld" else "JSON-LD", f"/id/{rest}.{SUFFIX[f]}")
                 for f in GRAPH_DOWNLOADS]
    return server.page(request, "entity.html", node=node, downloads=downloads,
                       views=server.views(node.labels, lang))


async def check(request: Request) -> Response:
    server = request.app.state.server
    context = {"report": None, "error": None, "text": "", "fmt": ""}
    if request.method == "POST":
        limit = server.settings.max_size
        form = await request.form(max_files=1, max_fields=4, max_part_size=limit)
        upload, text = form.get("file"), str(form.get("text") or "")
        context.update(text=text, fmt=str(form.get("format") or ""))
        if upload is not None and not isinstance(upload, str) and upload.filename:
            data = await upload.read(limit + 1)
            display = re.sub(r"[^A-Za-z0-9._-]", "_", upload.filename.rpartition("/")[2])[:80]
        else:
            data, display = text.encode("utf-8"), "pasted text"
        if len(data) > limit:
            raise TooLarge(f"{display}: larger than the size cap of {limit:,} bytes",
                           hint="split the submission into smaller files")
        fmt = context["fmt"] or ("jsonld" if display.endswith((".jsonld", ".json")) else "turtle")
        if fmt not in ("turtle", "jsonld"):
            raise UsageError(f"unknown format {fmt!r}", hint="choose Turtle or JSON-LD")
        try:
            context["report"] = await server.pool.run(
                "check", "checking the submission", server.settings.timeout, data=data,
                display=display, fmt=fmt)
        except KgtoolError as error:  # a file that cannot be read, a timeout
            context["error"] = error
            return server.page(request, "check.html", status_code=server.status_of(error),
                               **context)
    return server.page(request, "check.html", **context)


async def pictures(request: Request) -> Response:
    """The pictures of the graph (kgtool.look), each a link to its page."""
    from kgtool.look import pictures as all_pictures

    server = request.app.state.server
    return server.page(request, "pictures.html", pictures=all_pictures(server.project))


async def picture(request: Request) -> Response:
    """One picture, drawn in the page with its parameters as form fields."""
    from kgtool.look import find_picture

    server, lang = request.app.state.server, request.state.lang
    found = find_picture(server.project, request.path_params["name"])
    values = {p: request.query_params.get(p, "") for p in found.params}
    given = [(p, v) for p, v in values.items() if v]
    figure = await server.pool.run("picture", f"the picture {found.name}",
                                   server.settings.timeout, picture_name=found.name, params=given,
                                   language=lang, deadline=server.settings.timeout)
    return server.page(request, "picture.html", picture=found, values=values, figure=figure)
