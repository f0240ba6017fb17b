"""`kgtool --endpoint URL serve`: the same app over a remote store (a real `oxigraph serve`
on 127.0.0.1, loaded with `kgtool load`), answering as the embedded store does."""

from __future__ import annotations

import html
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import REPO
from serving import running_server


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, cli):
    binary = Path(sys.executable).with_name("oxigraph")
    binary = str(binary) if binary.exists() else shutil.which("oxigraph")
    assert binary, "the oxigraph server comes with the test extra (pip install '.[test]')"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([binary, "serve", "--location",
                                str(tmp_path_factory.mktemp("oxigraph")), "--bind",
                                f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(200):
            try:
                httpx.get(url, params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.05)
        loaded = cli(["--root", REPO, "load", "--endpoint", url])
        assert loaded.exit_code == 0, loaded.output
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def cli():
    from click.testing import CliRunner

    from kgtool.cli import cli as group

    return lambda args: CliRunner().invoke(group, [str(a) for a in args])


def test_a_remote_store_answers_as_the_embedded_one(endpoint, cli) -> None:
    embedded = cli(["--root", REPO, "query", "artemis-signatories", "-f", "csv"])
    with running_server("--workers", "1", endpoint=endpoint, timeout=10.0) as url:
        served = httpx.get(f"{url}/queries/artemis-signatories.csv", timeout=30)
        assert served.status_code == 200
        assert served.content == embedded.stdout_bytes
        page = httpx.get(f"{url}/id/nation/sau", timeout=30)
        assert page.status_code == 200 and "Saudi Arabia" in page.text
        name = "typo-in-reference.ttl"
        data = (REPO / "examples" / "submissions" / "invalid" / name).read_bytes()
        check = httpx.post(f"{url}/check", files={"file": (name, data, "text/turtle")},
                           data={"format": ""}, timeout=60)
        assert check.status_code == 200, check.text  # validated over the endpoint
    with running_server("--workers", "1", timeout=10.0) as url:
        local = httpx.post(f"{url}/check", files={"file": (name, data, "text/turtle")},
                           data={"format": ""}, timeout=60)
    report = [html.unescape(page.text.split('<pre class="report" dir="ltr" lang="en">')[1]
                            .split("</pre>")[0]) for page in (check, local)]
    assert report[0] == report[1] and "Does not conform" in check.text
