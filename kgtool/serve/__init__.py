"""The serve room: ``kgtool serve``, an ASGI app (Starlette under Uvicorn) with the SPARQL 1.1
Protocol, named queries as routes, entity pages and a bilingual web app; read-only.
May import: every capability below it (validation, export, query), the engine and the leaves.
Public: ``Settings``, ``serve`` and ``create_app``.

The server never runs the engine itself: a pool of worker processes
(:mod:`kgtool.serve.pool`) answers each request's job under a deadline, and is killed and
replaced when a job runs too long or crashes.
"""

from kgtool.serve.settings import Settings


def __getattr__(name: str):
    """``serve`` and ``create_app`` import Starlette and Uvicorn on first use."""
    if name == "serve":
        from kgtool.serve.run import serve

        return serve
    if name == "create_app":
        from kgtool.serve.app import create_app

        return create_app
    raise AttributeError(f"module 'kgtool.serve' has no attribute {name!r}")


__all__ = ["Settings", "create_app", "serve"]
