"""The documentation says what the code does: docs/cli.md holds the ``--help`` of every
command, docs/queries.md the catalogue as ``kgtool queries -f markdown`` writes it, every link
between the pages resolves, and the README stays a front door (at most 250 lines).

After changing a command or a query header, rewrite them with
``PYTHONPATH=tests python tests/cli/test_docs.py --update``.
"""

from __future__ import annotations

import re
import sys

from click.testing import CliRunner

from conftest import REPO
from kgtool.cli import COMMANDS, cli

CLI_DOC = REPO / "docs" / "cli.md"
QUERIES_DOC = REPO / "docs" / "queries.md"
BLOCK = re.compile(r"<!-- help: (kgtool(?: [a-z-]+)?) -->\n```text\n(.*?)```", re.DOTALL)
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def help_text(command: str) -> str:
    args = [*command.split()[1:], "--help"]
    result = CliRunner().invoke(cli, args, terminal_width=100, prog_name="kgtool")
    assert result.exit_code == 0, result.output
    return result.output


def catalogue_page() -> str:
    result = CliRunner().invoke(cli, ["--root", str(REPO), "queries", "-f", "markdown"])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_is_documented_with_its_current_help() -> None:
    blocks = dict(BLOCK.findall(CLI_DOC.read_text(encoding="utf-8")))
    wanted = ["kgtool"] + [f"kgtool {name}" for name in sorted(COMMANDS)]
    assert sorted(blocks) == sorted(wanted)
    for command in wanted:
        assert blocks[command] == help_text(command), f"docs/cli.md help of '{command}' is stale"


def test_the_query_catalogue_page_is_generated_from_the_headers() -> None:
    assert QUERIES_DOC.read_text(encoding="utf-8") == catalogue_page()


def test_the_readme_is_a_front_door() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    assert "make demo" in text and "make test" in text


def test_every_link_between_the_pages_resolves() -> None:
    pages = [REPO / "README.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").glob("*.md"))]
    for page in pages:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


if __name__ == "__main__" and "--update" in sys.argv:
    text = CLI_DOC.read_text(encoding="utf-8")
    text = BLOCK.sub(lambda m: f"<!-- help: {m[1]} -->\n```text\n{help_text(m[1])}```", text)
    CLI_DOC.write_text(text, encoding="utf-8")
    QUERIES_DOC.write_text(catalogue_page(), encoding="utf-8")
