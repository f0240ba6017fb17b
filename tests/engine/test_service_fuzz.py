"""No spelling of a query lets SERVICE or FROM past the refusal: generated escape, comment,
string, IRI and keyword-gluing variants run against pyoxigraph itself, with a listener on
127.0.0.1. Whenever the engine calls the listener (or a FROM changes the dataset), kgtool's
analysis must have said so; the CLI then refuses and the listener sees nothing."""

from __future__ import annotations

import contextlib
import time

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import tcp_listener
from kgtool.engine.sparql import analyse

# Fragments that a naive tokenizer could take for the start of a comment or of a string,
# or for the end of a name: each is valid SPARQL on its own inside a group.
HIDERS = [
    "BIND (ex:a\\#x AS ?h{n})",
    "BIND (ex:\\#\\#x AS ?h{n})",
    "BIND (ex:a\\.b\\#c AS ?h{n})",
    "BIND (ex:%23x AS ?h{n})",
    "BIND (<http://e.org/\\u0041#x> AS ?h{n})",
    "BIND (<http://e.org/a#b> AS ?h{n})",
    "BIND ('a#b' AS ?h{n})",
    'BIND ("a\\"#b" AS ?h{n})',
    "BIND ('''a'#''' AS ?h{n})",
    'BIND ("""a\n#b""" AS ?h{n})',
    "BIND (\"x\"@en AS ?h{n})",
    "BIND (1 AS ?h{n})",
    "FILTER (1 < 2)",
    "?s{n} ?p{n} ex:a\\#b .",
]
GLUES = ["", " ", "\t", "\n", "\r\n", "  ", "\n# SERVICE <http://e.org/> {}\n"]
KEYWORDS = ["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "SERVICESILENT",
            "service silent", "SERVICE\tSILENT"]


@pytest.fixture(scope="module")
def listener():
    """One listener for the module (hypothesis runs many examples)."""
    with tcp_listener() as found:
        yield found


@st.composite
def service_queries(draw, port: int) -> str:
    hiders = draw(st.lists(st.sampled_from(HIDERS), max_size=3))
    body = " ".join(h.replace("{n}", str(i)) for i, h in enumerate(hiders))
    glue = draw(st.sampled_from(GLUES))
    keyword = draw(st.sampled_from(KEYWORDS))
    target = draw(st.sampled_from([f"<http://127.0.0.1:{port}/sparql>", "s:sparql",
                                   f"<http://127.0.0.1:{port}/\\u0073parql>"]))
    after = draw(st.sampled_from(["", " ", "\n"]))
    return (f"PREFIX ex: <http://e.org/>\nPREFIX s: <http://127.0.0.1:{port}/>\n"
            f"SELECT * WHERE {{ {body}{glue}{keyword}{after}{target}{after}{{ ?s ?p ?o }} }}")


def engine_calls_out(query: str, seen: list[int]) -> bool:
    """Run the query on pyoxigraph; True when the listener got a connection from it."""
    before = len(seen)
    with contextlib.suppress(SyntaxError, OSError, RuntimeError):
        list(ox.Store().query(query))
    deadline = time.monotonic() + 1.0
    while len(seen) == before and time.monotonic() < deadline and "SILENT" not in query.upper():
        time.sleep(0.01)
    return len(seen) > before


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_whenever_the_engine_calls_out_the_analysis_saw_service(listener, data) -> None:
    port, seen = listener
    query = data.draw(service_queries(port))
    if engine_calls_out(query, seen):
        assert analyse(query).uses_service, query


@pytest.mark.parametrize("query", [
    "PREFIX ex: <http://e.org/>\nSELECT * WHERE { BIND (ex:a\\#x AS ?z) "
    "SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
    "PREFIX : <http://127.0.0.1:{port}/>\nSELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICESILENT<http://127.0.0.1:{port}/>{ ?s ?p ?o } }",
    "SELECT * WHERE { BIND (<http://e.org/\\u0041#> AS ?z) SERVICE <http://127.0.0.1:{port}/> "
    "{ ?s ?p ?o } }",
])
def test_known_bypasses_reach_the_engine_but_not_past_kgtool(run, mini, tmp_path, listener,
                                                              query) -> None:
    port, seen = listener
    text = query.replace("{port}", str(port))
    construct = tmp_path / "q.rq"
    construct.write_text(text.replace("SELECT *", "CONSTRUCT { ?s ?p ?o }"), encoding="utf-8")
    assert engine_calls_out(text, seen) or "SILENT" in text, "the engine no longer calls out"
    before = len(seen)
    for args in (["query", "-"], ["export", "--query", construct]):
        result = run(["--root", mini, *args], input=text)
        assert result.exit_code == 2, result.output
        assert "SERVICE would make the engine call another server" in result.output
    time.sleep(0.2)
    assert len(seen) == before


FROM_FORMS = ["FROM <{g}>", "FROMNAMED <{g}>", "from <{g}>", "FROM\t<{g}>", "FROM NAMED <{g}>"]


@settings(max_examples=60, deadline=None)
@given(hiders=st.lists(st.sampled_from(HIDERS), max_size=2), form=st.sampled_from(FROM_FORMS),
       glue=st.sampled_from(GLUES))
def test_whenever_from_changes_the_dataset_the_analysis_saw_from(hiders, form, glue) -> None:
    store = ox.Store()
    for name in ("g", "h"):
        graph = ox.NamedNode(f"http://e.org/{name}")
        store.add(ox.Quad(graph, graph, graph, graph))
    body = " ".join(h.replace("{n}", str(i)) for i, h in enumerate(hiders))
    # without a dataset clause: nothing in the default graph, one triple in each named graph
    query = (f"PREFIX ex: <http://e.org/>\nSELECT (COUNT(*) AS ?n) {glue}"
             f"{form.format(g='http://e.org/g')} WHERE {{ {body} {{ ?a ?b ?c }} UNION "
             "{ GRAPH ?x { ?a ?b ?c } } }")
    try:
        count = int(next(iter(store.query(query)))["n"].value)
    except SyntaxError:
        return
    if count != 2:
        assert analyse(query).uses_dataset, query
