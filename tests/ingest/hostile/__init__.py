"""A corpus of hostile files, generated in the test (nothing downloaded, nothing copied).

Each maker returns the bytes of one file an attacker could put in a leak: compression
bombs, traversal names, XML entities reaching for a host file or the network, pixel
floods, broken PDFs and polyglots, active content, e-mails with hostile headers. The
host file they reach for is the `Target`'s canary, whose content must never show up
in anything ingest stores; the network address is a local listener that must never
be called. `corpus.build` writes them all (and the on-disk symlink tricks) to a folder.
"""

from tests.ingest.hostile.corpus import build
from tests.ingest.hostile.entry import Entry
from tests.ingest.hostile.target import Target

__all__ = ["Entry", "Target", "build"]
