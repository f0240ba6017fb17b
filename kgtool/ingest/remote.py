"""``kgtool --endpoint URL ingest``: after data/ is written, the accepted triples go to the
triplestore too, one Graph Store Protocol POST per changed file of data/ into that file's
graph, the PROV-O record into the graph of data/submissions.ttl.

The store is asked first (:func:`reachable`), before data/ is touched, so an endpoint that is
down leaves both as they were. A failure after data/ is written says which graphs did not get
their triples, and that ``kgtool --endpoint URL load --replace`` makes the store equal to
data/ again (it replaces every graph from the files).

>>> from kgtool.engine.base import graph_iri
>>> graph_iri("data/submissions.ttl")
'https://w3id.org/spacecoop/graph/data/submissions.ttl'
"""

from __future__ import annotations

import urllib.parse

import pyoxigraph as ox

from kgtool.engine.base import graph_iri
from kgtool.engine.graphstore import store_url
from kgtool.engine.http import EndpointError, Http, check_status
from kgtool.engine.remote import RemoteEndpoint
from kgtool.errors import KgtoolError
from kgtool.ingest.merge import RECORDS, IngestResult


def reachable(endpoint: str, timeout: float) -> str:
    """The Graph Store URL of the endpoint's store, which must answer now."""
    return store_url(endpoint, RemoteEndpoint(endpoint, timeout=timeout).dialect.name)


def push(result: IngestResult, endpoint: str, store: str, *, timeout: float = 30.0) -> int:
    """POST each file's added triples (and the record) into its graph; the triples sent."""
    batches: dict[str, list[ox.Triple]] = {}
    for change in result.changes:
        batches.setdefault(change.path, []).extend(change.added)
    batches.setdefault(f"data/{RECORDS}", []).extend(result.recorded)
    http, done, sent = Http(timeout), [], 0
    for path, triples in batches.items():
        graph = graph_iri(path)
        what = f"adding the ingest to <{graph}>"
        try:
            response = http.send("POST", f"{store}?{urllib.parse.urlencode({'graph': graph})}",
                                 body=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
                                 headers={"Content-Type": "application/n-triples"}, what=what)
            check_status(response, store, what)
        except KgtoolError as error:
            left = [p for p in batches if p not in done]
            raise EndpointError(
                f"data/ holds the ingest, but the store at {endpoint} did not get it for "
                f"{', '.join(left)} ({error.message})",
                hint=f"rerun: kgtool --endpoint {endpoint} load --replace") from None
        done.append(path)
        sent += len(triples)
    return sent
