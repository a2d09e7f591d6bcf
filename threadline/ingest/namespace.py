"""Dataset namespaces for entity ids, so that a user's records cannot take another
collection's ids.

An FtM entity line chooses its own id, and so does a mapping's `id_column`; even a
mapping's hashed keys collide across datasets whose names are prefixes of each other.
A record written under an id that a collection the writer cannot read already uses
would join that collection's entity for everyone who reads both, and the answers of
`explain` or `judge` about it would tell the writer that the id exists. So ids written
by anyone but the local admin are signed with their dataset, as Aleph does with
followthemoney's `Namespace`: `id.hmac(dataset, id)`, in the record's own id and in
every entity reference it makes. The signature depends only on the dataset and the id,
never on what the store holds, so it tells nothing; an id already signed for the
dataset is kept, so re-ingesting an export of the dataset gives the same ids.

Unlike `Namespace.sign`, which cuts an id at its last dot (`a.b` and `a.c` would both
become `a.<sig>`), the whole id is signed.
"""

from __future__ import annotations

import hmac

from followthemoney.namespace import Namespace
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry
from followthemoney.util import get_entity_id


class DatasetNamespace:
    """Signs entity ids (and references) with one dataset's namespace."""

    def __init__(self, dataset: str) -> None:
        self.dataset = dataset
        self._namespace = Namespace(dataset)

    def _signature(self, entity_id: str) -> str:
        signature = self._namespace.signature(entity_id)
        assert signature is not None, "a dataset always has a name"
        return signature

    def signed(self, entity_id: str) -> bool:
        """Whether the id is already in this dataset's namespace. (Not
        `Namespace.verify`: it first cleans the id, and refuses ids that
        followthemoney's id pattern does not allow, which ingest keeps as given.)"""
        plain, sep, signature = entity_id.rpartition(Namespace.SEP)
        return bool(sep) and hmac.compare_digest(signature, self._signature(plain))

    def sign(self, entity_id: str) -> str:
        """The id in this dataset's namespace (unchanged if already signed for it)."""
        if self.signed(entity_id):
            return entity_id
        return f"{entity_id}{Namespace.SEP}{self._signature(entity_id)}"

    def apply(self, entity: EntityProxy) -> EntityProxy:
        """A copy of the entity with its id and entity references signed."""
        signed = entity.clone()
        if entity.id is not None:
            signed.id = self.sign(entity.id)
        for prop in entity.iterprops():
            if prop.type != registry.entity:
                continue
            values = signed.pop(prop)
            for value in values:
                target = get_entity_id(value)
                if target is not None:
                    signed.add(prop, self.sign(target), cleaned=True)
        return signed
