"""The ASGI app: its routes, the headers every answer carries, the request-size cap, and how
an error becomes a status with one ``Error:`` line and a ``Hint:`` line (or an error page).

No route writes: there is no PUT, DELETE or update anywhere, and POST is read-only (a query,
or a submission checked and forgotten).

>>> status_of(KgtoolError("x")), status_of(TimedOut("y")), status_of(Busy("z"))
(500, 504, 503)
"""

from __future__ import annotations

import importlib.resources

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kgtool import __version__
from kgtool.errors import InputError, KgtoolError, LimitError, UsageError
from kgtool.prefixes import PrefixMap
from kgtool.project import find_project
from kgtool.query import catalogue
from kgtool.serve import pages, protocol
from kgtool.serve.i18n import DIRECTION, LANGUAGES, NAMES, text
from kgtool.serve.jobs import NotFound
from kgtool.serve.pool import Busy, TimedOut, WorkerDied, WorkerPool
from kgtool.serve.protocol import NotAcceptable, TooLarge
from kgtool.serve.settings import SECURITY_HEADERS, Settings
from kgtool.serve.views import TermViews, link

_STATUS = ((NotAcceptable, 406), (TooLarge, 413), (NotFound, 404), (Busy, 503),
           (TimedOut, 504), (WorkerDied, 500), (LimitError, 400), (UsageError, 400),
           (InputError, 400))


def status_of(error: KgtoolError) -> int:
    """The HTTP status for an error of the library or the server."""
    return next((code for cls, code in _STATUS if isinstance(error, cls)), 500)


class Server:
    """What the routes share: the settings, the worker pool, the project's queries and
    prefixes, and the templates."""

    def __init__(self, settings: Settings, pool: WorkerPool) -> None:
        self.settings, self.pool = settings, pool
        project = find_project(settings.root)
        self.project = project
        self.prefixes = PrefixMap.from_context(project.context_path)
        self.queries = {q.name: q for q in catalogue(project)}
        self.templates = Environment(loader=PackageLoader("kgtool.serve", "templates"),
                                     autoescape=select_autoescape(default=True),
                                     trim_blocks=True, lstrip_blocks=True)

    def views(self, labels: dict, language: str) -> TermViews:
        return TermViews(self.prefixes, labels, language)

    status_of = staticmethod(status_of)

    def page(self, request: Request, template: str, status_code: int = 200,
             **context) -> HTMLResponse:
        """A page of the web app in the request's language."""
        lang = request.state.lang
        nav = [("/", "home"), ("/queries", "queries"), ("/query", "query"), ("/check", "check")]
        if self.settings.pictures:  # kgtool.look's pictures
            nav.append(("/pictures/", "pictures"))
        here = {k: v for k, v in request.query_params.items() if k != "lang"}
        html = self.templates.get_template(template).render(
            lang=lang, dir=DIRECTION[lang], t=lambda key, **v: text(lang, key, **v),
            link=lambda path, **params: link(path, lang, **params), nav=nav,
            path=request.url.path, other=[(code, NAMES[code]) for code in LANGUAGES
                                          if code != lang], settings=self.settings,
            switch=lambda code: link(request.url.path, code, **here),
            fallback_note=lambda shown: text(lang, "fallback", page=NAMES[lang],
                                             shown=shown),
            version=__version__, **context)
        return HTMLResponse(html, status_code=status_code)


async def on_error(request: Request, error: Exception) -> Response:
    """A KgtoolError as its status: an error page for a page, two text lines otherwise."""
    assert isinstance(error, KgtoolError)
    status = status_of(error)
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, Busy) else {}
    if getattr(request.state, "html", False):
        server = request.app.state.server
        response = server.page(request, "error.html", status_code=status, error=error)
        response.headers.update(headers)
        return response
    lines = f"Error: {error.message}\n" + (f"Hint: {error.hint}\n" if error.hint else "")
    return PlainTextResponse(lines, status_code=status, headers=headers)


class Guard:
    """ASGI middleware: the security headers on every answer, the request's language, and
    the request-size cap (a submission may be ``max_size``, anything else ``max_body``)."""

    def __init__(self, app, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope["path"]
        limit = self.settings.max_size + 65536 if path == "/check" else self.settings.max_body
        state = scope.setdefault("state", {})
        query = dict(p.split("=", 1) for p in scope.get("query_string", b"").decode(
            "latin-1").split("&") if "=" in p)
        state["lang"] = query.get("lang") if query.get("lang") in LANGUAGES else "en"
        state["html"] = not path.startswith(("/sparql", "/static/"))
        received = 0

        async def capped_receive():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise TooLarge(f"the request has more than {limit:,} bytes, the server's cap",
                               hint="send less")
            return message

        async def secured_send(message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.decode("latin-1").lower() not in _LOWER_SECURITY]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, capped_receive, secured_send)


_LOWER_SECURITY = {k.lower() for k in SECURITY_HEADERS}


def create_app(settings: Settings, pool: WorkerPool) -> Starlette:
    """The app over a started pool of workers."""
    static = importlib.resources.files("kgtool.serve") / "static"
    routes = [
        Route("/", pages.home),
        Route("/search", pages.search),
        Route("/queries", pages.catalogue),
        Route("/queries.{suffix:str}", pages.catalogue),
        Route("/queries/{name:str}", pages.named),
        Route("/query", pages.query_page),
        Route("/id/{rest:path}", pages.entity),
        Route("/check", pages.check, methods=["GET", "POST"]),
        Route("/sparql", protocol.sparql, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=str(static)), name="static"),
    ]
    if settings.pictures:
        from kgtool.look import STATIC_DIR

        routes[-1:-1] = [Route("/pictures/", pages.pictures),
                         Route("/pictures/{name:str}", pages.picture),
                         Mount("/static/look", StaticFiles(directory=str(STATIC_DIR)),
                               name="look")]
    middleware = [Middleware(Guard, settings=settings)]
    if settings.cors:
        middleware.append(Middleware(CORSMiddleware, allow_origins=[settings.cors],
                                     allow_methods=["GET", "POST"], allow_headers=["Content-Type"],
                                     max_age=600))
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={KgtoolError: on_error})
    app.state.server = Server(settings, pool)
    return app
