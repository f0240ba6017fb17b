"""The command line as a whole: version, help for every command, lazy imports, python -m."""

from __future__ import annotations

import subprocess
import sys

from kgtool import __version__
from kgtool.cli import COMMANDS, cli


def test_version(run) -> None:
    result = run(["--version"])
    assert result.exit_code == 0
    assert result.output == f"kgtool, version {__version__}\n"


def test_every_command_has_help_with_an_example(run) -> None:
    listed = run(["--help"]).output
    for name in COMMANDS:
        assert f"  {name} " in listed
        result = run([name, "--help"])
        assert result.exit_code == 0, name
        assert "Example: kgtool" in result.output, name


def test_unknown_command_is_a_usage_error(run) -> None:
    result = run(["no-such-command"])
    assert result.exit_code == 2
    assert "No such command 'no-such-command'" in result.output


def test_help_imports_no_rdf_library() -> None:
    code = (
        "import sys\n"
        "from kgtool.cli import cli\n"
        "try:\n"
        "    cli.main(['--help'], standalone_mode=False)\n"
        "finally:\n"
        "    heavy = [m for m in ('rdflib', 'pyshacl', 'pyoxigraph', 'pyld') if m in sys.modules]\n"
        "    print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY []"


def test_python_dash_m_runs_the_same_cli() -> None:
    out = subprocess.run([sys.executable, "-m", "kgtool", "--version"],
                         capture_output=True, text=True, check=True)
    assert out.stdout == f"kgtool, version {__version__}\n"


def test_group_help_lists_the_exit_codes() -> None:
    assert "4 a limit was hit" in (cli.help or "")


def test_the_command_line_offers_exactly_the_library_formats() -> None:
    """The CLI keeps its own copies (so --help imports no RDF library): equal to the library's."""
    from kgtool.cli.export import FORMAT_NAMES
    from kgtool.cli.validate import INPUT_FORMAT_NAMES
    from kgtool.export import FORMATS
    from kgtool.validation import INPUT_FORMATS

    assert tuple(FORMATS) == FORMAT_NAMES
    assert tuple(INPUT_FORMATS) == INPUT_FORMAT_NAMES
