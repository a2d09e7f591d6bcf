"""The data model: statements with provenance, and entities assembled from them on read."""

from threadline.model.entity import Entity, Fact
from threadline.model.provenance import SourceInfo
from threadline.model.statement import BASE_PROP, StatementRow, entity_statements

__all__ = ["BASE_PROP", "Entity", "Fact", "SourceInfo", "StatementRow", "entity_statements"]
