"""Tips: what anonymous senders give the public form, kept for triage.

The domain half lives here (records, the SQL store, the vault that keeps files by
sha256, the ingest caps checked at intake); `threadline.app.verbs.tips` takes tips
in, and lets the configured triage group list, read, reject, or open one as a case,
each step audited.
"""

from __future__ import annotations

from threadline.tips.checks import check_file
from threadline.tips.errors import TipError, TipNotFound
from threadline.tips.records import Tip, TipFile, TipStatus, new_tip
from threadline.tips.sql import SQLTipStore
from threadline.tips.store import TipStore
from threadline.tips.vault import Vault

__all__ = [
    "SQLTipStore",
    "Tip",
    "TipError",
    "TipFile",
    "TipNotFound",
    "TipStatus",
    "TipStore",
    "Vault",
    "check_file",
    "new_tip",
]
