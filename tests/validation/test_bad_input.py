"""Bad input gets one clear ``Error:`` line (or a report), its exit code, and loses nothing.

Every input is tried with ``kgtool validate`` and, where it must not get in, with
``kgtool ingest`` on a copy of the project, whose data/ must stay byte-identical. Network
tests point only at a listener this test starts on 127.0.0.1 and check it heard nothing.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, make_project

KARI = (REPO / "examples" / "submissions" / "valid" / "kari.ttl").read_text(encoding="utf-8")
PREFIXES = "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
SUBJECT = "<https://w3id.org/spacecoop/id/agency/kari>"


def examples_project(root: Path) -> Path:
    return make_project(root, {p.name: p.read_text(encoding="utf-8")
                               for p in (REPO / "ontology" / "examples").glob("*.ttl")})


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of data/ (but the empty lock file) and its bytes."""
    return {p.name: p.read_bytes() for p in sorted((root / "data").iterdir())
            if p.name != ".kgtool.lock"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return examples_project(tmp_path / "p")


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections: list = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, address = self.sock.accept()
            except TimeoutError:
                continue
            self.connections.append(address)
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    time.sleep(0.1)  # a late connection would still be recorded
    server.close()
    assert server.connections == [], "kgtool connected to the network"


def refused(run, project: Path, path: Path, *extra: str, code: int = 3) -> str:
    """Validate and ingest ``path``: exit ``code``, one Error line, data/ unchanged."""
    before = snapshot(project)
    output = ""
    for command in ("validate", "ingest"):
        result = run(["--root", project, command, *extra, path])
        assert result.exit_code == code, result.output
        assert "Traceback" not in result.output
        if code == 3:
            errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
            assert len(errors) == 1, result.output
        output = result.output
    assert snapshot(project) == before
    return output


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# --- Turtle and friends --------------------------------------------------------------------

def test_empty_file(run, project: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "empty.ttl", b"")
    assert f"Error: {path}: the file is empty" in refused(run, project, path)


def test_comments_only(run, project: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "nothing.ttl", "# a comment\n")
    assert f"Error: {path}: the file holds no triples" in refused(run, project, path)


@pytest.mark.parametrize("data,message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "3:1: binary data (a NUL byte), not RDF text"),
    (bytes(range(128, 256)), "1:1: not UTF-8 text (byte 0x80; Latin-1 or Windows-1252?)"),
], ids=["png", "high-bytes"])
def test_binary_garbage(run, project: Path, tmp_path: Path, data: bytes, message: str) -> None:
    path = write(tmp_path, "garbage.ttl", data)
    assert f"Error: {path}:{message}" in refused(run, project, path)


def test_a_utf8_byte_order_mark_is_accepted(run, project: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "bom.ttl", b"\xef\xbb\xbf" + KARI.encode("utf-8"))
    result = run(["--root", project, "validate", path])
    assert result.exit_code == 0, result.output
    result = run(["--root", project, "ingest", path])
    assert result.exit_code == 0, result.output


def test_latin1_bytes(run, project: Path, tmp_path: Path) -> None:
    text = KARI.replace('"Korea Aerospace Research Institute"@en',
                        '"Korea Aerospace Research Institute"@en, "Institut coréen"@fr')
    path = write(tmp_path, "latin1.ttl", text.encode("latin-1", errors="replace"))
    line = text.splitlines().index(next(x for x in text.splitlines() if "coréen" in x)) + 1
    output = refused(run, project, path)
    assert f"Error: {path}:{line}:" in output
    assert "not UTF-8 text (byte 0xE9; Latin-1 or Windows-1252?)" in output
    assert "Hint: save the file as UTF-8" in output


def test_undefined_prefix(run, project: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "prefix.ttl", "ex:a ex:b ex:c .\n")
    assert f"Error: {path}:1:1: The prefix ex: has not been declared" in refused(
        run, project, path)


def test_relative_iri(run, project: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "relative.ttl", '<kari> <https://e.org/p> "x" .\n')
    output = refused(run, project, path)
    assert f"Error: {path}:1:1: No scheme found in an absolute IRI" in output
    assert "relative IRIs are not allowed in a submission" in output


def test_relative_iri_in_jsonld(run, project: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "relative.jsonld", '{"@id": "kari", "https://e.org/p": "x"}')
    assert f"Error: {path}: relative IRI <kari>" in refused(run, project, path)


def test_impossible_date_is_reported(run, project: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "date.ttl", KARI.replace('"1989-10-10"', '"2020-13-45"'))
    output = refused(run, project, path, code=1)
    assert 'sc:foundedOn = "2020-13-45"^^<http://www.w3.org/2001/XMLSchema#date>: ' \
           '"2020-13-45"^^xsd:date is not a valid xsd:date: write YYYY-MM-DD' in output


def test_malformed_language_tag(run, project: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "lang.ttl", KARI.replace('"KARI"', '"KARI"@en-toolongsubtag'))
    line = next(i for i, x in enumerate(KARI.splitlines(), 1) if '"KARI"' in x)
    output = refused(run, project, path)
    assert f"Error: {path}:{line}:" in output
    assert "A subtag may be eight characters in length at maximum" in output


def test_ten_megabyte_literal(run, project: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "big.ttl", f'{SUBJECT} <https://e.org/p> "{"x" * 10_485_760}" .\n')
    start = time.perf_counter()
    output = refused(run, project, path)
    assert time.perf_counter() - start < 20
    assert f"Error: {path}: a literal of 10,485,760 characters (limit 65,536)" in output


@pytest.mark.parametrize("nested", ["( " * 5000 + ") " * 5000, "[ <https://e.org/p> " * 5000
                                    + '"x" ' + "] " * 5000], ids=["collection", "blank-nodes"])
def test_deeply_nested_blank_nodes(run, project: Path, tmp_path: Path, nested: str) -> None:
    path = write(tmp_path, "deep.ttl", f"{SUBJECT} <https://e.org/p> {nested}.\n")
    assert f"Error: {path}: blank nodes nested more than 64 levels deep" in refused(
        run, project, path)


@pytest.mark.parametrize("depth", [1, 200])
def test_rdf12_triple_terms_are_refused_saying_what_failed(run, project: Path, tmp_path: Path,
                                                           depth: int) -> None:
    term = f'{SUBJECT} <https://e.org/p> "x"'
    for _ in range(depth):
        term = f"{SUBJECT} <https://e.org/p> <<( {term} )>>"
    path = write(tmp_path, "terms.ttl", f'VERSION "1.2"\n{term} .\n')
    output = refused(run, project, path)
    assert (f"Error: {path}: an RDF 1.2 triple term (<<( ... )>>) as the object of "
            f"{SUBJECT} <https://e.org/p>: the graph, its shapes and kgtool's SHACL engine hold "
            "RDF 1.1 triples only") in output
    assert "shapes could not be applied" not in output


def test_a_syntax_error_deep_in_triple_terms_is_located(run, project: Path,
                                                        tmp_path: Path) -> None:
    term = f'{SUBJECT} <https://e.org/p> "x"^^'
    for _ in range(50):
        term = f"{SUBJECT} <https://e.org/p> <<( {term} )>>"
    path = write(tmp_path, "terms.ttl", f'VERSION "1.2"\n{term} .\n')
    assert f"Error: {path}:2:" in refused(run, project, path)


def test_a_million_objects_on_one_subject_are_refused_at_the_triple_limit(
        run, project: Path, tmp_path: Path) -> None:
    from kgtool.validation.reading import MAX_TRIPLES

    objects = ", ".join(f'"c{i}"' for i in range(MAX_TRIPLES * 10))
    path = write(tmp_path, "wide.ttl", f"{SUBJECT} <http://www.w3.org/2000/01/rdf-schema#comment> "
                                       f"{objects} .\n")
    assert (f"Error: {path}: a submission of more than 100,000 triples (limit 100,000)"
            in refused(run, project, path))


def test_the_triple_limit_counts_every_file_of_a_submission(run, project: Path,
                                                            tmp_path: Path) -> None:
    from kgtool.validation.reading import MAX_TRIPLES

    half = MAX_TRIPLES // 2 + 1
    paths = [write(tmp_path, f"half{n}.ttl", f"{SUBJECT} <https://e.org/p{n}> "
                   + ", ".join(f'"c{i}"' for i in range(half)) + " .\n") for n in (1, 2)]
    result = run(["--root", project, "validate", *paths])
    assert result.exit_code == 3
    assert f"a submission of {2 * half:,} triples (limit 100,000)" in result.output


def test_a_long_flat_list_is_not_deep(run, project: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "list.ttl", f"{SUBJECT} <https://e.org/p> ({' 1' * 2000} ) .\n")
    result = run(["--root", project, "validate", "--no-checks", path])
    assert "nested" not in result.output


def test_file_over_the_size_cap(run, project: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "kari.ttl", KARI)
    output = refused(run, project, path, "--max-size", "1KB")
    assert f"Error: {path}: larger than the size cap of 1,000 bytes" in output
    sparse = tmp_path / "huge.ttl"
    with open(sparse, "wb") as handle:
        handle.truncate(50 * 1000**2 + 1)  # over the default cap, and never read
    assert "larger than the size cap of 50,000,000 bytes" in refused(run, project, sparse)


def test_an_endless_input_is_cut_at_the_size_cap(project: Path) -> None:
    for command in ("validate", "ingest"):
        with open("/dev/zero", "rb") as zeros:
            result = subprocess.run([sys.executable, "-m", "kgtool", "--root", str(project),
                                     command, "--max-size", "1MB", "-"], stdin=zeros,
                                    capture_output=True, text=True, timeout=60)
        assert result.returncode == 3
        assert "Error: <stdin>: larger than the size cap of 1,000,000 bytes" in result.stderr


def test_a_device_is_not_a_submission(run, project: Path) -> None:
    output = refused(run, project, Path("/dev/zero"), "--input-format", "turtle")
    assert "Error: /dev/zero: not a regular file (a character device)" in output


def test_bad_max_size_is_a_usage_error(run, project: Path) -> None:
    result = run(["--root", project, "validate", "--max-size", "lots", "x.ttl"])
    assert result.exit_code == 2
    assert "'lots' is not a size such as 50MB" in result.output


# --- JSON-LD contexts: refused, nothing fetched or read -----------------------------------

@pytest.mark.parametrize("form", ["string", "array", "import", "scoped", "local", "file"])
def test_jsonld_foreign_context_is_refused(run, project: Path, tmp_path: Path, listener,
                                           form: str) -> None:
    url = listener.url + "/context.jsonld"
    context = {"string": f'"{url}"', "array": f'["{url}", {{"ex": "https://e.org/"}}]',
               "import": f'{{"@import": "{url}"}}',
               "scoped": f'{{"ex": "https://e.org/", "ex:p": {{"@context": "{url}"}}}}',
               "local": '"/dev/zero"', "file": '"file:///etc/passwd"'}[form]
    path = write(tmp_path, "remote.jsonld",
                 f'{{"@context": {context}, "@id": "https://e.org/a", "https://e.org/q": "x"}}')
    output = refused(run, project, path)
    assert f"Error: {path}: JSON-LD context " in output
    assert "is refused: kgtool never fetches or reads a context" in output
    assert "root:" not in output


def test_invalid_json(run, project: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.jsonld", '{"@id": "https://e.org/a",\n "p": }')
    assert f"Error: {path}:2:7: not valid JSON (Expecting value)" in refused(run, project, path)


# --- RDF/XML: no DTD, no entity, nothing read or expanded ----------------------------------

RDF_START = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
             'xmlns:ex="https://e.org/"><rdf:Description rdf:about="https://e.org/a">')
RDF_END = "</rdf:Description></rdf:RDF>"


def xxe(target: str) -> str:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "{target}">]>\n'
            f"{RDF_START}<ex:p>&x;</ex:p>{RDF_END}")


def billion_laughs(levels: int = 9) -> str:
    entities = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, levels + 1)]
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [{"".join(entities)}]>\n'
            f"{RDF_START}<ex:p>&l{levels};</ex:p>{RDF_END}")


def test_rdfxml_external_entity_is_refused(run, project: Path, tmp_path: Path,
                                           listener) -> None:
    for target in (listener.url + "/secret", "file:///etc/passwd"):
        path = write(tmp_path, "xxe.rdf", xxe(target))
        output = refused(run, project, path)
        assert f"Error: {path}: RDF/XML with a DTD (<!DOCTYPE ...>) is refused" in output
        assert "root:" not in output


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le"])
def test_rdfxml_billion_laughs_is_refused_before_any_parser(project: Path, tmp_path: Path,
                                                            encoding: str) -> None:
    # In a child process: were the DTD to reach pyoxigraph, it would abort the process.
    text = billion_laughs()
    if encoding != "utf-8":
        text = text.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    path = write(tmp_path, "lol.rdf", text.encode(encoding))
    before = snapshot(project)
    for command in ("validate", "ingest"):
        out = subprocess.run([sys.executable, "-m", "kgtool", "--root", str(project), command,
                              str(path)], capture_output=True, text=True, timeout=60)
        assert out.returncode == 3, out.stderr
        assert out.stderr.startswith(f"Error: {path}: RDF/XML with a DTD (<!DOCTYPE ...>) is "
                                     "refused"), out.stderr
        assert "lollol" not in out.stdout + out.stderr
    assert snapshot(project) == before


def test_rdfxml_not_well_formed(run, project: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.rdf", f"{RDF_START}<ex:p>x</ex:q>{RDF_END}")
    assert f"Error: {path}:1:" in refused(run, project, path)


# --- a submission may not change the ontology or the shapes --------------------------------

def test_redefining_ontology_terms_is_refused(run, project: Path) -> None:
    path = REPO / "examples" / "submissions" / "invalid" / "redefines-ontology.ttl"
    output = refused(run, project, path, code=1)
    assert "a submission cannot define or change ontology terms (sc:Nation is one)" in output
    assert "a submission cannot carry SHACL (sh:) triples" in output
