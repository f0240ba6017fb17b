"""``kgtool serve``: the graph on the web, read-only (the SPARQL Protocol, named queries,
entity pages, a bilingual web app); only click is imported until it starts."""

from __future__ import annotations

import os

import click

from kgtool.cli.validate import Size


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--workers", type=click.IntRange(1, 64), default=max(2, os.cpu_count() or 2),
              show_default="the number of cores, at least 2",
              help="Worker processes: how many queries run at once.")
@click.option("--queue", type=click.IntRange(0, 100_000), default=64, show_default=True,
              help="Requests that may wait for a worker; past that, 503 with Retry-After.")
@click.option("--max-rows", type=click.IntRange(min=1), default=100_000, show_default=True,
              help="Refuse (400) an answer with more rows than this.")
@click.option("--max-request", type=Size(), default="1MiB", show_default=True,
              help="Refuse (413) a request larger than this (a query).")
@click.option("--max-size", type=Size(), default="50MB", show_default=True,
              help="Refuse a submission larger than this on the check page.")
@click.option("--cors", metavar="ORIGIN",
              help="Let web pages of this origin call /sparql (CORS is off without it).")
@click.pass_obj
def serve(session, host: str, port: int, workers: int, queue: int, max_rows: int,
          max_request: int, max_size: int, cors: str | None) -> None:
    """Serve the graph over HTTP: a SPARQL 1.1 endpoint at /sparql, named
    queries at /queries/NAME, entity pages at /id/TYPE/SLUG, and a web app
    in English and Arabic with a query editor and a submission check.

    Read-only: SPARQL Update is refused, and so are SERVICE and FROM. Each
    query runs in a worker process, stopped at --timeout (504). Restart the
    server after an ingest. Stop it with Ctrl-C.

    Example: kgtool serve --port 8000
    """
    from kgtool.serve import Settings
    from kgtool.serve import serve as run

    project = session.project
    settings = Settings(root=str(project.root), endpoint=session.endpoint,
                        timeout=session.timeout, workers=workers, queue=queue,
                        max_rows=max_rows, max_body=max_request, max_size=max_size, cors=cors)
    run(settings, host, port, announce=lambda url: click.echo(
        f"Serving {project.root} on {url} (Ctrl-C stops)", err=False) or
        click.get_text_stream("stdout").flush())
