"""The look room: pictures (one named query plus one chart spec in queries/ -> SVG, PNG
and a browser view) and the static documentation site of the model.
May import: query, the engine and the leaves; not validation, export or ingest.
Public: the names in ``__all__``.
"""

from kgtool.look.definitions import Picture, find_picture, pictures
from kgtool.look.drawing import OUTPUT_FORMATS, Drawing, draw
from kgtool.look.html import CSP, STATIC_DIR, Fragment, copy_assets, fragment_of, page
from kgtool.look.plot import picture_fragment, plot
from kgtool.look.site.build import SiteReport, build_site

__all__ = [
    "CSP", "OUTPUT_FORMATS", "STATIC_DIR", "Drawing", "Fragment", "Picture", "SiteReport",
    "build_site", "copy_assets", "draw", "find_picture", "fragment_of", "page",
    "picture_fragment", "pictures", "plot",
]
