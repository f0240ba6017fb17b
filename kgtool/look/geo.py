"""Country shapes for the map: Natural Earth's 1:50m admin-0 countries (edition 4.1.0), as
the TopoJSON file ``countries-50m.json`` of the npm package ``world-atlas`` 2.0.2, vendored
under ``static/vendor/world-atlas/``, so the map needs no network.

Its countries are keyed by ISO 3166-1 numeric codes; a nation's alpha-3 code is turned into
its numeric code by pycountry (a maintained copy of the ISO 3166-1 list), not by a table
typed here. The 1:50m file has every OIC member, Bahrain, Comoros and the Maldives
included (the 1:110m file has not). Natural Earth draws de facto boundaries; areas that it
draws without an ISO code are drawn as :data:`DRAWN_WITH` says (docs/pictures.md, Borders).

>>> numeric_code("SAU"), numeric_code("PSE")
('682', '275')
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

WORLD_ATLAS = Path(__file__).parent / "static" / "vendor" / "world-atlas" / "countries-50m.json"
EDITION = "Natural Earth 4.1.0, 1:50m admin-0 countries (world-atlas 2.0.2)"

#: Areas that Natural Earth draws as features of their own without an ISO 3166-1 code, and
#: the UN member state (ISO numeric code) whose colour they take, as the UN and ISO 3166-1
#: count them; None leaves one neutral (grey, no value): Kosovo and the Siachen Glacier,
#: which no ISO 3166-1 entry covers alone.
DRAWN_WITH = {
    "Somaliland": "706",  # Somalia
    "N. Cyprus": "196",  # Cyprus
    "Indian Ocean Ter.": "036",  # Australia (Christmas and Cocos Islands)
    "Kosovo": None,
    "Siachen Glacier": None,
}


def numeric_code(alpha3: str) -> str | None:
    """The ISO 3166-1 numeric code of an alpha-3 code, from pycountry (None if unknown)."""
    import pycountry

    country = pycountry.countries.get(alpha_3=alpha3.upper())
    return None if country is None else country.numeric


@cache
def _world_text() -> str:
    return WORLD_ATLAS.read_text(encoding="utf-8")


def world_topology() -> dict:
    """The countries as TopoJSON (the ``countries`` object only), each keyed ``id`` by its
    ISO numeric code, with the areas of :data:`DRAWN_WITH` given their state's code."""
    topology = json.loads(_world_text())
    topology["objects"] = {"countries": topology["objects"]["countries"]}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name")
        if "id" not in geometry and DRAWN_WITH.get(name):
            geometry["id"] = DRAWN_WITH[name]
    return topology


def shaped_codes() -> set[str]:
    """The ISO numeric codes that have a shape on the map."""
    return {g["id"] for g in world_topology()["objects"]["countries"]["geometries"] if "id" in g}


def with_numeric_codes(records: list[dict], alpha3: str, field: str = "iso") -> list[dict]:
    """The records, each with ``field`` set to the numeric code of its ``alpha3`` column.

    >>> with_numeric_codes([{"a": "BHR"}], "a")
    [{'a': 'BHR', 'iso': '048'}]
    """
    return [{**record, field: numeric_code(str(record.get(alpha3, "")))} for record in records]
