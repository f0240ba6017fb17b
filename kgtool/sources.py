"""What kind of page a source URL is, from the one list kept as data: ``data/source-kinds.csv``
(``host,kind,note``; a row covers the host and its subdomains, and the most specific row wins,
so ``nssdc.gsfc.nasa.gov`` can be a catalogue inside the primary ``nasa.gov``).

Kinds: primary (agency, government, operator, maker, UN and intergovernmental pages),
catalogue (satellite catalogues and databases), encyclopedia, news, other, and the two that
must not be cited: mirror (copies of encyclopedia articles) and proxy (proxy, spam and
unrelated hosts).

>>> kinds = SourceKinds({"nasa.gov": "primary", "nssdc.gsfc.nasa.gov": "catalogue"})
>>> kinds.kind("https://nssdc.gsfc.nasa.gov/x"), kinds.kind("https://www.nasa.gov/y")
('catalogue', 'primary')
>>> kinds.kind("https://unknown.example/") is None
True
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kgtool.errors import InputError

KINDS = ("primary", "catalogue", "encyclopedia", "news", "other", "mirror", "proxy")
STRONG = frozenset({"primary", "catalogue"})
FORBIDDEN = frozenset({"mirror", "proxy"})
FILE = "source-kinds.csv"


@dataclass(frozen=True)
class SourceKinds:
    """Host -> kind, looked up from the most specific host suffix of a URL."""

    hosts: dict[str, str]

    @classmethod
    def load(cls, data_dir: Path) -> SourceKinds:
        """Read ``data/source-kinds.csv``; an unknown kind is an InputError with its line."""
        path = data_dir / FILE
        hosts: dict[str, str] = {}
        try:
            with open(path, encoding="utf-8", newline="") as handle:
                for line, row in enumerate(csv.DictReader(handle), start=2):
                    if row.get("kind") not in KINDS:
                        raise InputError(f"{path}:{line}: unknown source kind "
                                         f"{row.get('kind')!r}",
                                         hint="kinds are " + ", ".join(KINDS))
                    hosts[row["host"].strip().lower()] = row["kind"]
        except FileNotFoundError:
            return cls({})
        except (OSError, csv.Error) as error:
            raise InputError(f"{path}: cannot read the source kinds ({error})",
                             hint="restore data/source-kinds.csv from git") from None
        return cls(hosts)

    def kind(self, url: str) -> str | None:
        """The kind of the page at ``url``, or None when no row covers its host."""
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        labels = host.removeprefix("www.").split(".")
        for start in range(len(labels)):
            found = self.hosts.get(".".join(labels[start:]))
            if found:
                return found
        return None
