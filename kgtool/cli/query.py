"""``kgtool queries``, ``kgtool query`` and ``kgtool describe``: ask the graph."""

from __future__ import annotations

import json
import sys

import click

from kgtool.cli.options import format_option

QUERY_FORMATS = ("table", "csv", "tsv", "json", "xml", "markdown", "turtle", "json-ld", "nt")


@click.command()
@format_option(("table", "json", "markdown"))
@click.pass_obj
def queries(session, fmt: str) -> None:
    """List the named queries: name, summary and parameters.

    -f markdown writes the whole catalogue, with each query's text (docs/queries.md).

    Example: kgtool queries -f json
    """
    from kgtool.output import render_rows
    from kgtool.query import catalogue, catalogue_markdown

    items = catalogue(session.project)
    if fmt == "markdown":
        click.echo(catalogue_markdown(items), nl=False)
        return
    if fmt == "json":
        click.echo(json.dumps([{"name": q.name, "summary": q.summary, "description": q.description,
                                "params": q.params, "defaults": q.defaults, "tags": list(q.tags)}
                               for q in items], ensure_ascii=False, indent=2))
        return
    rows = [[q.name, q.summary, ", ".join(f"{p} ({k})" for p, k in q.params.items())]
            for q in items]
    click.echo(render_rows(["name", "summary", "parameters"], rows,
                           footer=f"{len(rows)} named queries"))


@click.command()
@click.argument("ref", metavar="NAME|FILE|-")
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="VAR VALUE",
              help="Bind a declared parameter (IRI/CURIE, date, number or string).")
@format_option(QUERY_FORMATS)
@click.option("--limit", type=click.IntRange(min=0), help="Return at most N rows.")
@click.option("--max-rows", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              help="Fail (exit 4) when the answer has more rows than this.")
@click.option("--no-labels", is_flag=True, help="Show IRIs without their labels (table).")
@click.option("--allow-service", is_flag=True,
              help="Allow SERVICE and FROM, which can reach other servers or graphs.")
@click.pass_obj
def query(session, ref: str, params, fmt: str, limit, max_rows: int, no_labels: bool,
          allow_service: bool) -> None:
    """Run a named query, a .rq file, or SPARQL from stdin (-).

    SELECT prints rows; ASK prints true or false and exits 0 or 1;
    CONSTRUCT and DESCRIBE write RDF (-f turtle, json-ld or nt).

    Example: kgtool query artemis-signatories -f csv
    """
    from kgtool.engine import Boolean, Solutions
    from kgtool.errors import UsageError
    from kgtool.prefixes import PrefixMap
    from kgtool.query import (
        GRAPH_FORMATS,
        ask_streaming,
        cell_renderer,
        render_triples,
        stream_solutions,
        write_stream,
    )
    from kgtool.text import read_stdin_text

    project = session.project
    stdin_text = read_stdin_text() if ref == "-" else None
    prefixes = PrefixMap.from_context(project.context_path)
    labels = not no_labels and fmt in ("table", "markdown")  # only the views for people

    def render(variables, batches):  # runs in the query's worker, which writes the text
        def cell_for(rows):
            return cell_renderer(session.engine, prefixes, Solutions(variables, rows),
                                 with_labels=labels)

        return stream_solutions(variables, batches, fmt, cell_for)

    _, answer = ask_streaming(session.engine, project, ref, list(params),
                              timeout=session.timeout, limit=limit, max_rows=max_rows,
                              allow_service=allow_service, stdin_text=stdin_text,
                              render=render)
    result = answer.result
    if isinstance(result, Boolean):
        click.echo("true" if result.value else "false")
        click.get_current_context().exit(0 if result.value else 1)
    if isinstance(result, Solutions):
        if fmt in GRAPH_FORMATS:
            raise UsageError(f"-f {fmt} is for CONSTRUCT and DESCRIBE; this query is a SELECT",
                             hint="use -f table, csv, tsv, json, xml or markdown")
        write_stream(answer, answer.batches(), sys.stdout)
    else:
        if fmt not in GRAPH_FORMATS:
            fmt = "turtle" if fmt == "table" else fmt
        if fmt not in GRAPH_FORMATS:
            raise UsageError(f"-f {fmt} is for SELECT; this query returns triples",
                             hint="use -f turtle, json-ld or nt")
        sys.stdout.flush()
        sys.stdout.buffer.write(render_triples(result, fmt, prefixes.prefixes))
    if answer.truncated:
        click.echo(f"(stopped at --limit {limit})", err=True)


@click.command()
@click.argument("term")
@format_option(("text", "turtle", "json-ld"))
@click.pass_obj
def describe(session, term: str, fmt: str) -> None:
    """Show what the graph knows about one thing, found by IRI, CURIE or label.

    Example: kgtool describe "Saudi Space Agency"
    """
    from kgtool.prefixes import PrefixMap
    from kgtool.query import describe as describe_node
    from kgtool.query import (
        describe_triples,
        find_term,
        label_of,
        render_description,
        render_triples,
    )

    project = session.project
    prefixes = PrefixMap.from_context(project.context_path)
    engine = session.engine
    iri = find_term(engine, prefixes, term)
    if fmt != "text":
        triples = describe_triples(engine, iri)
        sys.stdout.buffer.write(render_triples(triples, fmt, prefixes.prefixes))
        return
    node = describe_node(engine, iri)
    click.echo(render_description(node, prefixes, lambda i: label_of(engine, i)))
