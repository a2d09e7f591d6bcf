"""Graph: links between entities, from followthemoney's edge schemata and references."""

from threadline.graph.links import direct_links

__all__ = ["direct_links"]
