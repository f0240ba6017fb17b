"""The ingest room, the only writer of data/: validate a submission, place each node in its
collection file, write every file or none, record the ingest in PROV-O, recover after a crash.
May import: validation, export (canonical Turtle), the engine and the leaves.
Public: the names in ``__all__``.
"""

from kgtool.ingest.files import recover, write_files
from kgtool.ingest.merge import FileChange, IngestResult, ingest, record_triples, recover_project
from kgtool.ingest.placement import Placement, collection_fallback

__all__ = [
    "FileChange", "IngestResult", "Placement", "collection_fallback", "ingest", "record_triples",
    "recover", "recover_project", "write_files",
]
