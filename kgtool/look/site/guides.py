"""The project's Markdown pages (README.md, CONTRIBUTING.md, docs/*.md) as pages of the
site, rendered by markdown-it-py.

Links between those pages point at their site pages; a link to another file under docs/
(a picture) points at a copy under ``files/``; a link to any other file of the checkout
keeps its text and loses its link (the site does not carry the code). Headings get the
ids GitHub gives them, so ``#anchors`` keep working.

>>> heading_id("The `who-flew` query!")
'the-who-flew-query'
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Guide:
    name: str  # the page's stem: readme, contributing, cli, ...
    source: Path
    title: str


def heading_id(text: str) -> str:
    """GitHub's id for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", text.strip().lower(), flags=re.UNICODE)
    return text.replace(" ", "-")


def find_guides(root: Path) -> list[Guide]:
    """The Markdown pages of a checkout (none for an installed wheel's bundled project)."""
    sources = [root / "README.md", root / "CONTRIBUTING.md", *sorted((root / "docs").glob("*.md"))]
    guides = []
    for path in sources:
        if path.is_file():
            first = path.read_text(encoding="utf-8").splitlines()[:1] or [path.stem]
            title = first[0].lstrip("# ").strip() or path.stem
            guides.append(Guide(path.stem.lower(), path, title))
    return guides


def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table")


def render_guide(guide: Guide, guides: list[Guide], root: Path, page: str,
                 copy_file) -> str:
    """The guide's HTML body; ``copy_file(repo_path) -> site path`` copies a linked file
    into the site; ``page`` is the site path of the page being written."""
    md = _parser()
    tokens = md.parse(guide.source.read_text(encoding="utf-8"))
    pages = {g.source.resolve(): g for g in guides}
    base = guide.source.parent

    def target(link: str) -> str | None:
        if re.match(r"^[a-z][a-z0-9+.\-]*:", link, re.I) or link.startswith("#"):
            return link
        path, _, fragment = link.partition("#")
        resolved = (base / path).resolve()
        fragment = f"#{fragment}" if fragment else ""
        if resolved in pages:
            return posixpath.relpath(f"{page.split('/')[0]}/docs/{pages[resolved].name}.html",
                                     posixpath.dirname(page)) + fragment
        docs = (root / "docs").resolve()
        if resolved.is_file() and docs in resolved.parents:
            copied = copy_file(resolved.relative_to(root.resolve()).as_posix())
            return posixpath.relpath(copied, posixpath.dirname(page)) + fragment
        return None

    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            token.attrSet("id", heading_id("".join(c.content for c in inline.children or [])))
        opened = []
        for child in token.children or []:
            if child.type == "link_open":
                new = target(str(child.attrGet("href") or ""))
                if new is None:  # a file the site does not carry: keep the text only
                    child.attrs.pop("href", None)
                    child.tag = "span"
                else:
                    child.attrSet("href", new)
                opened.append(child)
            elif child.type == "link_close" and opened:
                child.tag = opened.pop().tag
            elif child.type == "image":
                child.attrSet("src", target(str(child.attrGet("src") or "")) or "")
    return md.renderer.render(tokens, md.options, {})
