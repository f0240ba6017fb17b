"""``kgtool docs -o site/``: the static documentation site, in English and Arabic.

Every class and property (``<lang>/class/``, ``<lang>/property/``), concept scheme
(``vocabulary/``), node shape (``shape/``, "what a record needs"), named query (``query/``,
with a sample result) and picture (``picture/``) has a page; ``coverage.html`` has the
coverage per member state with the map; ``docs/`` the project's Markdown pages. Pages are
Jinja2 templates over the library's own model; links are relative, so the site works from
any folder or URL prefix. With ``entity_base``, things of the graph link to the web app's
entity pages (``<entity_base>/id/<type>/<slug>``, as ``kgtool serve`` gives them).

>>> LANGUAGES
('en', 'ar')
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import InputError
from kgtool.look.definitions import LANGUAGES, pictures
from kgtool.look.html import CSP, STATIC_DIR, fragment_of
from kgtool.look.site.guides import find_guides, render_guide
from kgtool.look.site.helpers import Helpers, anchor
from kgtool.look.site.model import read_model
from kgtool.look.site.shapes import read_shapes, shapes_of_class
from kgtool.look.site.words import SITE_WORDS
from kgtool.prefixes import PrefixMap

TEMPLATES = Path(__file__).parent / "templates"
SAMPLE_ROWS = 10


@dataclass
class SiteReport:
    """What was written: the site's pages (paths from its folder), by kind."""

    pages: dict[str, list[str]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(paths) for paths in self.pages.values())


class Site:
    """The site's indexes and its page writer."""

    def __init__(self, engine, project, out: Path, entity_base: str | None,
                 timeout: float) -> None:
        from kgtool.engine import graph_iri, load_project
        from kgtool.query import catalogue

        self.engine, self.project, self.out, self.timeout = engine, project, out, timeout
        self.entity_base = entity_base
        self.prefixes = PrefixMap.from_context(project.context_path)
        local = load_project(project, parts=("ontology", "shapes"))
        self.model = read_model(local.quads(("ontology",)), self.prefixes,
                                graph_iri("ontology/alignments.ttl"))
        self.shapes = read_shapes(local.quads(("shapes",)), self.prefixes)
        self.queries = catalogue(project)
        self.pictures = pictures(project)
        self.guides = find_guides(project.root)
        self.concept_scheme = {c.iri: s.slug for s in self.model.schemes
                               for c in _concepts(s.top)}
        self.shape_pages = {s.iri: s.slug for s in self.shapes}
        self.labels = self._labels()
        self.report = SiteReport()
        self.env = _environment()

    def _labels(self) -> dict[str, dict[str, str]]:
        labels: dict[str, dict[str, str]] = {}
        for term in self.model.terms.values():
            labels[term.iri] = term.label
        for scheme in self.model.schemes:
            labels[scheme.iri] = scheme.label
            for concept in _concepts(scheme.top):
                labels[concept.iri] = concept.label
        for shape in self.shapes:
            labels[shape.iri] = shape.label
        return labels

    def write(self, kind: str, path: str, template: str, lang: str, title: str,
              assets: tuple[str, ...] = (), **context) -> None:
        helpers = Helpers(self, path, lang)
        other = "ar" if lang == "en" else "en"
        html = self.env.get_template(template).render(
            h=helpers, lang=lang, title=title, csp=CSP, assets=assets, site=self,
            other_url=helpers.url(other + path[len(lang):]) if path.startswith(lang) else None,
            other_lang=other, words=SITE_WORDS, **context)
        target = self.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        self.report.pages.setdefault(kind, []).append(path)

    def copy_file(self, repo_path: str) -> str:
        """Copy a file of the checkout into ``files/`` and return its site path."""
        site_path = f"files/{repo_path}"
        (self.out / site_path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.project.root / repo_path, self.out / site_path)
        return site_path


def _concepts(concepts) -> list:
    out = []
    for concept in concepts:
        out.append(concept)
        out += _concepts(concept.narrower)
    return out


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


def _sample(site: Site, query, lang: str, limit: int | None = SAMPLE_ROWS) -> dict:
    """The query's first rows with its default parameters, as labels and links."""
    from kgtool.engine import Solutions
    from kgtool.errors import KgtoolError
    from kgtool.look.table import labels_in
    from kgtool.query import bindings, execute

    try:
        result = execute(site.engine, query, bindings(query, [], site.prefixes),
                         timeout=site.timeout).result
    except KgtoolError as error:
        return {"error": error.message, "variables": [], "rows": [], "total": 0}
    if not isinstance(result, Solutions):
        return {"variables": [], "rows": [], "total": 0}
    rows = result.rows[:limit]
    iris = {t.value for row in rows for t in row if isinstance(t, ox.NamedNode)}
    labels = labels_in(site.engine, iris, lang)
    for iri, label in labels.items():
        site.labels.setdefault(iri, {})[lang] = label
    return {"variables": result.variables, "rows": rows, "total": len(result.rows)}


def build_site(engine, project, out: Path, *, entity_base: str | None = None,
               timeout: float = 30.0) -> SiteReport:
    """Write the documentation site into ``out`` (replacing the pages it held)."""
    from kgtool.look.drawing import draw

    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: is not a folder", hint="give a folder for the site")
    site = Site(engine, project, out, entity_base, timeout)
    for folder in ("en", "ar", "static", "files"):
        shutil.rmtree(out / folder, ignore_errors=True)
    shutil.copytree(STATIC_DIR, out / "static", ignore=shutil.ignore_patterns("MANIFEST.json"))
    shutil.copyfile(TEMPLATES / "site.css", out / "static" / "site.css")
    site.write("root", "index.html", "root.html", "en", SITE_WORDS["site"]["en"])
    fragments = {}
    for lang in LANGUAGES:
        w = SITE_WORDS
        site.write("home", f"{lang}/index.html", "index.html", lang, w["overview"][lang])
        site.write("list", f"{lang}/classes.html", "terms.html", lang, w["classes"][lang],
                   terms=site.model.classes())
        site.write("list", f"{lang}/properties.html", "terms.html", lang,
                   w["properties"][lang], terms=site.model.properties())
        for term in site.model.terms.values():
            shapes = (shapes_of_class(site.shapes, term.iri, _ancestors(site, term))
                      if term.kind == "class" else [])
            site.write(term.kind, f"{lang}/{term.kind}/{term.slug}.html", "term.html", lang,
                       term.label.get(lang) or term.curie, term=term, shapes=shapes,
                       own=[p.iri for p in site.model.properties() if term.iri in p.domain],
                       pointing=[p.iri for p in site.model.properties() if term.iri in p.range])
        site.write("list", f"{lang}/vocabularies.html", "schemes.html", lang,
                   w["vocabularies"][lang])
        for scheme in site.model.schemes:
            site.write("vocabulary", f"{lang}/vocabulary/{scheme.slug}.html", "scheme.html",
                       lang, scheme.label.get(lang) or scheme.curie, scheme=scheme,
                       anchor=anchor)
        site.write("list", f"{lang}/records.html", "records.html", lang, w["records"][lang])
        for shape in site.shapes:
            site.write("shape", f"{lang}/shape/{shape.slug}.html", "shape.html", lang,
                       shape.label.get(lang) or shape.curie, shape=shape)
        for picture in site.pictures:
            drawing = draw(engine, project, picture.name, [], lang=lang, timeout=timeout)
            fragments[lang, picture.name] = fragment_of(drawing, entity_base=entity_base)
        site.write("list", f"{lang}/queries.html", "queries.html", lang, w["queries"][lang])
        for query in site.queries:
            site.write("query", f"{lang}/query/{query.name}.html", "query.html", lang,
                       query.name, query=query, sample=_sample(site, query, lang),
                       drawn=[p for p in site.pictures if p.query == query.name])
        site.write("list", f"{lang}/pictures.html", "pictures.html", lang, w["pictures"][lang])
        for picture in site.pictures:
            fragment = fragments[lang, picture.name]
            site.write("picture", f"{lang}/picture/{picture.name}.html", "picture.html", lang,
                       fragment.title, assets=fragment.assets, picture=picture,
                       fragment=fragment)
        _coverage(site, lang, fragments.get((lang, "map")))
        for guide in site.guides:
            path = f"{lang}/docs/{guide.name}.html"
            body = render_guide(guide, site.guides, project.root, path, site.copy_file)
            site.write("guide", path, "guide.html", lang, guide.title, guide=guide, body=body)
    return site.report


def _ancestors(site: Site, term) -> list[str]:
    seen, todo = [], list(term.supers)
    while todo:
        iri = todo.pop()
        if iri not in seen:
            seen.append(iri)
            todo += site.model.terms[iri].supers if iri in site.model.terms else []
    return seen


def _coverage(site: Site, lang: str, fragment) -> None:
    """The coverage page: the ``coverage`` query per member state, and the map."""
    from kgtool.look.geo import EDITION

    query = next((q for q in site.queries if q.name == "coverage"), None)
    sample = (_sample(site, query, lang, limit=None) if query is not None
              else {"variables": [], "rows": [], "total": 0})
    site.write("coverage", f"{lang}/coverage.html", "coverage.html", lang,
               SITE_WORDS["member-states"][lang], assets=fragment.assets if fragment else (),
               fragment=fragment, sample=sample, edition=EDITION)
