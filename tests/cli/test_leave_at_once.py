"""The console script leaves at once after a read-only command (``LEAVE_AT_ONCE``), without
the interpreter's teardown: the output, the messages and the exit code are those of the
command, as CliRunner (which never skips the teardown) sees them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO

ASK_FALSE = "ASK { FILTER(false) }"


@pytest.mark.parametrize(("args", "stdin"), [
    (["query", "artemis-signatories", "-f", "csv"], None),
    (["query", "artemis-signatories", "--limit", "2"], None),
    (["query", "-"], ASK_FALSE),
    (["query", "no-such-query"], None),
    (["queries", "-f", "json"], None),
], ids=["csv", "limit", "ask-false", "unknown", "queries"])
def test_the_console_script_ends_as_the_command_does(run, args: list[str], stdin) -> None:
    process = subprocess.run([sys.executable, "-m", "kgtool", "--root", str(REPO), *args],
                             input=stdin, capture_output=True, text=True, timeout=60)
    expected = run(["--root", str(REPO), *args], input=stdin)
    assert process.returncode == expected.exit_code
    assert process.stdout == expected.stdout
    assert process.stderr == expected.stderr

