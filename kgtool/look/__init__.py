"""The look room: pictures (one named query plus one chart spec in queries/ -> SVG, PNG
and a browser view) and the static documentation site of the model.
May import: query, the engine and the leaves; not validation, export or ingest.
Public: the names in ``__all__``.
"""

from kgtool.look.definitions import Picture, find_picture, pictures
from kgtool.look.drawing import OUTPUT_FORMATS, Drawing, draw

__all__ = ["OUTPUT_FORMATS", "Drawing", "Picture", "draw", "find_picture", "pictures"]
