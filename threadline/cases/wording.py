"""Dated facts in words: "Payment 12,500 EUR: A paid B", "Ownership: X owns Y".

Everything comes from followthemoney's schema model: an edge schema names its source,
its target and the verb between them (`edge_source`, `edge_target`, `edge_label`), and
a `Value` schema carries an amount and a currency. Nothing here knows Payment or
Ownership by name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from followthemoney.schema import Schema

from threadline.model.statement import StatementRow

VALUE = "Value"  # the followthemoney schema of things with an amount and a currency
# Props is an entity's values by property name, in a stable order.
Props = Mapping[str, Sequence[str]]


def values_of(rows: Sequence[StatementRow]) -> dict[str, list[str]]:
    """An entity's distinct values by property, in statement order."""
    found: dict[str, list[str]] = {}
    for row in rows:
        values = found.setdefault(row.prop, [])
        if row.value not in values:
            values.append(row.value)
    return found


def money(schema: Schema, props: Props) -> str:
    """`12,500 EUR` for a schema with an amount (a followthemoney Value), else nothing."""
    if not schema.is_a(VALUE):
        return ""
    amounts, currencies = props.get("amount", ()), props.get("currency", ())
    if not amounts:
        return ""
    try:
        number = float(amounts[0])
    except ValueError:
        shown = amounts[0]
    else:
        shown = f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"
    return f"{shown} {currencies[0].upper()}" if currencies else shown


def _names(ids: Sequence[str], captions: Mapping[str, str]) -> str:
    if not ids:
        return "(unknown)"
    return " and ".join(captions.get(i, i) for i in ids[:3]) + (" …" if len(ids) > 3 else "")


def describe(schema: Schema, entity_id: str, props: Props, captions: Mapping[str, str]) -> str:
    """What an entity is, in words: an edge as "Schema amount: source verb target",
    anything else as "Schema: caption"."""
    head = schema.label
    amount = money(schema, props)
    if amount:
        head = f"{head} {amount}"
    source, target = schema.edge_source, schema.edge_target
    if schema.edge and source and target:
        sources = _names(props.get(source, ()), captions)
        targets = _names(props.get(target, ()), captions)
        return f"{head}: {sources} {schema.edge_label or 'linked to'} {targets}"
    return f"{head}: {captions.get(entity_id, entity_id)}"
