"""The README's command reference is the `--help` text of each command, kept equal by this test.

Blocks look like ``<!-- help: kgtool query -->`` followed by a fenced text block. After
changing a command, rewrite them with ``python tests/test_readme.py --update``.
"""

from __future__ import annotations

import re
import sys

from click.testing import CliRunner

from conftest import REPO
from kgtool.cli import COMMANDS, cli

README = REPO / "README.md"
BLOCK = re.compile(r"<!-- help: (kgtool(?: [a-z-]+)?) -->\n```text\n(.*?)```", re.DOTALL)


def help_text(command: str) -> str:
    args = [*command.split()[1:], "--help"]
    result = CliRunner().invoke(cli, args, terminal_width=100, prog_name="kgtool")
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_is_documented_with_its_current_help() -> None:
    blocks = dict(BLOCK.findall(README.read_text(encoding="utf-8")))
    wanted = ["kgtool"] + [f"kgtool {name}" for name in sorted(COMMANDS)]
    assert sorted(blocks) == sorted(wanted)
    for command in wanted:
        assert blocks[command] == help_text(command), f"README help of '{command}' is stale"


if __name__ == "__main__" and "--update" in sys.argv:
    text = README.read_text(encoding="utf-8")
    text = BLOCK.sub(lambda m: f"<!-- help: {m[1]} -->\n```text\n{help_text(m[1])}```", text)
    README.write_text(text, encoding="utf-8")
