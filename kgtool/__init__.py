"""kgtool: query, export and guard the spacecoop knowledge graph.

>>> from kgtool import __version__
>>> __version__.count(".") >= 2
True
"""

__version__ = "0.1.0"
