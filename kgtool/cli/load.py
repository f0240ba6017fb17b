"""``kgtool load``: push the project into a triplestore over the SPARQL 1.1 Graph Store Protocol."""

from __future__ import annotations

import sys
import time

import click


@click.command()
@click.option("--endpoint", metavar="URL",
              help="The triplestore's SPARQL query endpoint (default: the global --endpoint).")
@click.option("--store", "store", metavar="URL",
              help="Its Graph Store Protocol endpoint (default: the query endpoint with /query "
                   "or /sparql replaced by /store, as Oxigraph serves it).")
@click.option("--graph", metavar="IRI",
              help="Load every file into this one graph instead of one graph per file.")
@click.option("--replace", is_flag=True,
              help="Replace each graph (HTTP PUT) instead of adding to it (POST).")
@click.option("--batch-size", type=click.IntRange(min=1), default=50_000, show_default=True,
              metavar="TRIPLES", help="Triples per request.")
@click.pass_obj
def load(session, endpoint: str | None, store: str | None, graph: str | None, replace: bool,
         batch_size: int) -> None:
    """Push ontology, shapes and data into a triplestore, one named graph per file.

    Each file goes into https://w3id.org/spacecoop/graph/<path>, the graphs that
    'kgtool --endpoint URL query ...' reads. Credentials come from the environment only:
    KGTOOL_ENDPOINT_USER and KGTOOL_ENDPOINT_PASSWORD (Basic, or Digest when the server
    asks for it, as Virtuoso does), or KGTOOL_ENDPOINT_TOKEN. The Graph Store endpoint of
    a Virtuoso server is found by itself (/sparql-graph-crud-auth).

    Example: kgtool load --endpoint http://127.0.0.1:7878/query --replace
    """
    from kgtool.engine import project_loader

    started = time.monotonic()
    loader = project_loader(session.project, endpoint or session.endpoint, store, graph=graph,
                            replace=replace, size=batch_size, timeout=session.timeout)
    if sys.stdout.isatty():
        with click.progressbar(length=loader.total, label="Loading", file=sys.stdout) as bar:
            triples, graphs = loader.run(bar.update)
    else:
        triples, graphs = loader.run()
    click.echo(f"Loaded {triples} triples from {len(loader.files)} files into {graphs} "
               f"graph{'s' if graphs != 1 else ''} at {loader.url} in "
               f"{time.monotonic() - started:.1f} s.")
