"""A small investigation in four collections, and what a reader of some of them may see.

The world is built once (ingest, resolve, merges by the local admin, a review queue) and
copied for every test module that changes it. `Truth` reads the store directly, as the
source of truth, and computes what a scope may see from first principles: statements of
readable datasets, merged over canonical ids. It shares no filtering code with the
workbench, so a leak in the workbench cannot hide behind the same bug here.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import product
from pathlib import Path

from followthemoney import model
from followthemoney.schema import Schema

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench
from threadline.model.caption import end_ids, is_link, link_caption
from threadline.model.statement import StatementRow
from threadline.search.facets import YEAR_PROPS, years_of
from threadline.settings import Settings
from threadline.store.judgements import ReviewItem

DATASETS = ("alpha", "beta", "gamma", "delta")
MARKINGS = ("confidential", "source-protected")

SOURCES = {
    "alpha": [
        entity(
            "a-p1",
            "Person",
            name="Ivan Petrov",
            nationality="ru",
            birthDate="1970-01-02",
            notes="alphaword",
        ),
        entity("a-p2", "Person", name="Maria Lopez", country="es", notes="alphaword"),
        entity(
            "a-c1",
            "Company",
            name="Acme Holdings",
            jurisdiction="cy",
            notes="alphaword",
            addressEntity="a-ad1",
        ),
        entity("a-ad1", "Address", full="12 Harbour Road Limassol", country="cy"),
        entity("a-o1", "Ownership", owner="a-p1", asset="a-c1", percentage="50"),
        entity("a-o2", "Ownership", owner="a-p2", asset="a-c1", percentage="50"),
    ],
    "beta": [
        entity(
            "b-p1",
            "Person",
            name="Ivan Petrov",
            alias="Vanya Petrov",
            nationality="ua",
            notes="betaword",
        ),
        entity("b-p2", "Person", name="Olga Sokolova", country="ua", notes="betaword"),
        entity(
            "b-c1",
            "Company",
            name="Borealis Trading",
            jurisdiction="gb",
            registrationNumber="RN778",
            notes="betaword",
        ),
        entity("b-o1", "Ownership", owner="b-p1", asset="b-c1", startDate="2015-03-01"),
        # A link from this collection into another one's record.
        entity("b-d1", "Directorship", director="b-p2", organization="a-c1", role="nominee"),
    ],
    "gamma": [
        entity("c-p1", "Person", name="Ivan Petrov", birthDate="1970-01-02", notes="gammaword"),
        entity("c-p2", "Person", name="Maria Lopez", country="es", notes="gammaword"),
        entity(
            "c-c1",
            "Company",
            name="Cobalt Mining",
            jurisdiction="cd",
            registrationNumber="RN778",
            notes="gammaword",
        ),
        entity("c-o1", "Ownership", owner="b-p1", asset="c-c1", percentage="10"),
    ],
    "delta": [
        entity("d-p3", "Person", name="Ivan Petrov", country="cy", notes="deltaword"),
        entity("d-c1", "LegalEntity", name="Acme Holdings Ltd", country="cy", notes="deltaword"),
        entity("d-p1", "Person", name="Maria Lopez Garcia", country="mx", notes="deltaword"),
        entity("d-o1", "Ownership", owner="d-p1", asset="d-c1"),
    ],
}
RECORDS = sorted(e["id"] for rows in SOURCES.values() for e in rows)
PARTIES = sorted(
    e["id"]
    for rows in SOURCES.values()
    for e in rows
    if e["schema"] in ("Person", "Company", "LegalEntity")
)

# The local admin's decisions: Ivan Petrov across all four collections (a chain, so an
# explanation's path runs through each), Acme across alpha and delta (Company and
# LegalEntity: a delta reader must see a LegalEntity), Maria Lopez across alpha and delta.
JUDGEMENTS = [
    ("a-p1", "b-p1", "same"),
    ("b-p1", "c-p1", "same"),
    ("c-p1", "d-p3", "same"),
    ("a-c1", "d-c1", "same"),
    ("a-p2", "d-p1", "same"),
    ("a-p2", "c-p2", "not-same"),
    ("b-c1", "c-c1", "unsure"),
]
REVIEW = [
    ReviewItem("b-p2", "d-p1", 0.1, 1),
    ReviewItem("a-c1", "b-c1", -0.2, 1),
    ReviewItem("c-c1", "d-c1", 0.3, 1),
    ReviewItem("a-p1", "b-p2", -0.4, 1),
    ReviewItem("c-p2", "d-p1", 0.5, 1),
    ReviewItem("a-p2", "a-p1", 0.6, 1),
]
QUERIES = (
    "",
    "ivan",
    "petrov",
    "ivan petrov",
    "vanya",
    "maria",
    "lopez",
    "garcia",
    "acme",
    "holdings",
    "cobalt",
    "borealis",
    "olga",
    "alphaword",
    "betaword",
    "gammaword",
    "deltaword",
    "cy",
    "1970",
    "harbour",
    "rn778",
    "nominee",
)
SKIPPED_TYPES = {"entity", "checksum", "mimetype"}
_WORD = re.compile(r"\w+")


def settings(**changes: object) -> Settings:
    """Settings for a test world: one process, no config file surprises."""
    return Settings(workers=1, **changes)  # type: ignore[arg-type]


def build_world(folder: Path) -> Path:
    """Ingest, resolve and judge the world into `folder / "data"` as the local admin."""
    data = folder / "data"
    with Workbench(settings(), data_dir=data) as bench:
        for dataset, rows in SOURCES.items():
            bench.ingest([write_entities(folder / f"{dataset}.ijson", rows)], dataset)
        bench.resolve()
        for left, right, verdict in JUDGEMENTS:
            bench.judge(left, right, verdict)
        bench.store.judgements.set_review(REVIEW)
    return data


def copy_world(template: Path, folder: Path, second: Path | None = None) -> Path:
    """A private copy of a built world's data directory; with `second`, its signed
    checkpoints are copied there too, as if that second place had been named from
    the start (`Settings.checkpoint_dir`)."""
    target = folder / "data"
    shutil.copytree(template, target)
    if second is not None:
        shutil.copytree(target / "audit-checkpoints", second)
    return target


def words(text: str) -> set[str]:
    """Lower-case word tokens (the world is plain ASCII, so no folding is needed)."""
    return set(_WORD.findall(text.lower()))


def merged_schema_name(rows: Iterable[StatementRow]) -> str:
    """The most specific schema all the rows' schemata share."""
    names = sorted({r.schema for r in rows})
    schema = model.get(names[0])
    assert schema is not None
    for name in names[1:]:
        schema = model.common_schema(schema, name)
    return schema.name


@dataclass(frozen=True)
class Seen:
    """The part of one canonical entity a scope may read."""

    id: str
    rows: tuple[StatementRow, ...]
    members: tuple[str, ...]  # members with at least one readable statement

    @property
    def datasets(self) -> list[str]:
        return sorted({r.dataset for r in self.rows})

    @property
    def schema(self) -> str:
        return merged_schema_name(self.rows)

    def values(self) -> dict[str, set[str]]:
        """Property values as followthemoney would keep them: in the merged schema."""
        schema = model.get(self.schema)
        assert schema is not None
        found: dict[str, set[str]] = {}
        for row in self.rows:
            if row.prop in schema.properties:
                found.setdefault(row.prop, set()).add(row.value)
        return found

    def names(self) -> set[str]:
        return {r.value for r in self.rows if r.prop_type == "name"}

    def captions(
        self, truth: Truth | None = None, readable: frozenset[str] = frozenset()
    ) -> set[str]:
        """What a caption may be: a readable value (a name, an address's text, a role),
        or a schema's label; for a link (an Ownership...), its wording from its readable
        values, naming each end by nothing or by any readable value of that end."""
        labels = {model.get(r.schema).label for r in self.rows}  # type: ignore[union-attr]
        values = {r.value for r in self.rows if r.prop != "id"}
        found = values | labels | {model.get(self.schema).label}  # type: ignore[union-attr]
        schema = model.get(self.schema)
        if schema is not None and is_link(schema):
            found |= self._link_captions(schema, truth, readable)
        return found

    def _link_captions(
        self, schema: Schema, truth: Truth | None, readable: frozenset[str]
    ) -> set[str]:
        shown: dict[str, list[str]] = {}
        for row in self.rows:
            if row.prop in schema.properties and row.value not in shown.get(row.prop, []):
                shown.setdefault(row.prop, []).append(row.value)
        ends = end_ids(schema, shown)
        choices: list[list[tuple[str, str] | None]] = []
        for end in ends:
            names: set[str] = set()
            if truth is not None:
                part = truth.seen(truth.head(end), readable)
                names = part.captions() if part is not None else set()
                names |= {r.value for r in truth.rows.get(end, []) if r.dataset in readable}
            choices.append([None, *((end, n) for n in sorted(names))])
        return {
            link_caption(schema, shown, dict(c for c in combo if c is not None))
            for combo in product(*choices)
        }

    def countries(self) -> set[str]:
        schema = model.get(self.schema)
        assert schema is not None
        return {
            r.value for r in self.rows if r.prop_type == "country" and r.prop in schema.properties
        }

    def years(self) -> list[str]:
        """The year facet of the readable part: the first dated property's years."""
        values: dict[str, list[str]] = {}
        for row in self.rows:
            if row.prop in YEAR_PROPS:
                values.setdefault(row.prop, []).append(row.value)
        return years_of(values)

    def tokens(self) -> set[str]:
        """Searchable words: every value but entity references and machine codes."""
        schema = model.get(self.schema)
        assert schema is not None
        found: set[str] = set()
        for row in self.rows:
            if row.prop in schema.properties and row.prop_type not in SKIPPED_TYPES:
                found |= words(row.value)
        return found

    def is_a(self, schema: str) -> bool:
        found = model.get(self.schema)
        return found is not None and found.is_a(schema)


class Truth:
    """The store as the local admin sees it, and what a set of datasets shows of it."""

    def __init__(self, bench: Workbench) -> None:
        store = bench.store
        self.rows: dict[str, list[StatementRow]] = store.statements_for(RECORDS)
        self.canonical = store.judgements.canonical_map()
        self.clusters: dict[str, list[str]] = {}
        for record in sorted(self.rows):
            head = self.canonical.get(record, record)
            self.clusters.setdefault(head, []).append(record)
        self.judgements = store.judgements.all(active=True)
        self.review = store.judgements.review(1000, 0)
        self.sources = {s.sha256: (s.dataset, s.name) for s in store.sources()}
        self._visible: dict[frozenset[str], dict[str, Seen]] = {}
        self._captions: dict[tuple[Seen, frozenset[str]], set[str]] = {}

    def captions(self, seen: Seen, readable: frozenset[str]) -> set[str]:
        """`seen.captions(self, readable)`, worked out once per part and readable set:
        the matrix asks again for every state that reads the same datasets."""
        key = (seen, readable)
        if key not in self._captions:
            self._captions[key] = seen.captions(self, readable)
        return self._captions[key]

    def head(self, record: str) -> str:
        return self.canonical.get(record, record)

    def seen(self, head: str, readable: frozenset[str]) -> Seen | None:
        """The readable part of a canonical entity, or None if nothing of it is readable."""
        rows: list[StatementRow] = []
        members = []
        for member in self.clusters.get(head, []):
            mine = [r for r in self.rows[member] if r.dataset in readable]
            if mine:
                members.append(member)
                rows.extend(mine)
        return Seen(head, tuple(rows), tuple(members)) if rows else None

    def visible(self, readable: frozenset[str]) -> dict[str, Seen]:
        """Every canonical entity with a readable part."""
        if readable not in self._visible:
            found = {}
            for head in self.clusters:
                part = self.seen(head, readable)
                if part is not None:
                    found[head] = part
            self._visible[readable] = found
        return self._visible[readable]

    def whole(self, record: str, readable: frozenset[str]) -> bool:
        """Whether every statement of a record (not its cluster) is readable."""
        rows = self.rows.get(record, [])
        return bool(rows) and all(r.dataset in readable for r in rows)

    def readable_values(self, readable: frozenset[str]) -> set[str]:
        return {r.value for rows in self.rows.values() for r in rows if r.dataset in readable}
