"""The tools the resolution benchmark compares, each run in a fresh process with a timeout.

- **threadline**: `threadline.resolve.batch.resolve_records(rows, link_only)` on the
  match-frame rows; its `pairs` are the pairs it judged the same, `clusters` its clusters.
- **splink** (5, on DuckDB): the settings and training steps of Splink's own examples,
  `docs/demos/examples/duckdb/febrl4.ipynb` and `febrl3.ipynb` for the Febrl sets and
  `deduplicate_50k_synthetic.ipynb` (its person-data example) for the hard sets; pairs
  with a match probability of 0.5 or more, clusters from
  `cluster_pairwise_predictions_at_threshold` at the examples' thresholds.
- **recordlinkage** (0.16): blocking on several keys (union), the comparisons of its Febrl
  examples (`examples/dedup_deterministic.py`), and the unsupervised ECMClassifier;
  clusters are the connected components of the predicted links.

On the hard sets both anchors get the same cleaned input (`anchor_columns`): names split
from `name` where the record has no first/last name, transliterated to ASCII (normality),
lower-cased; identifiers and phones reduced to digits. That cleaning is timed with the
tool, as threadline's own normalisation is.

Run as a script the module is the child side: `python _linkage_tools.py JOB.json OUT.pkl`.
Each child measures only its tool's linkage (from the input read into memory to pairs and
clusters) and samples its process tree's RSS for the whole run.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _anchor_models import company_columns, recordlinkage_parts, splink_parts
from _common import TreeRSS, peak_rss_mb
from _linkage_metrics import components

TOOLS = ("threadline", "threadline-no-twin-rule", "splink", "recordlinkage")
# recordlinkage holds every candidate pair in a pandas MultiIndex and compares them in
# memory: above this size it needs far more time and memory than the budget.
MAX_RECORDS = {"recordlinkage": 100_000}
# Pairs sampled to estimate u, as in each example (febrl4 and febrl3 use 1e6 "so the demo
# runs faster"; the person-data example uses 1e7).
SPLINK_U_PAIRS = {"febrl4": 1e6, "febrl3": 1e6, "hard": 1e7, "patents": 1e7, "companies": 1e6}
# Splink's 'same' pairs are those with a match probability of 0.5 or more (the model's own
# decision boundary); its clusters are cut where its examples cut them: febrl4.ipynb at
# 0.99, the person-data example at 0.95 (febrl3.ipynb does not cluster; it gets 0.95).
# Connected components at 0.5 chain into one giant cluster at 1M records (clustered F1
# 0.02; 0.77 at 0.95, 0.80 at 0.99); on hard100k 0.5 and 0.95 give the same 0.850, on
# febrl4 0.9991 at 0.5 and 0.9953 at 0.99.
SPLINK_PAIRS_AT = 0.5
SPLINK_CLUSTERS_AT = {"febrl4": 0.99, "febrl3": 0.95, "hard": 0.95, "patents": 0.95,
                      "companies": 0.95}  # fmt: skip
# Kinds whose input is the match frame (frame.parquet), not Febrl's own columns.
FRAME_KINDS = ("hard", "patents", "companies")

Result = dict[str, Any]


class ToolUnavailable(RuntimeError):
    """The tool cannot run here (not installed, or not written yet)."""


@dataclass
class Outcome:
    """What one (set, tool) run gave, or why it gave nothing."""

    tool: str
    seconds: float | None = None  # the linkage only
    rss_mb: float | None = None  # peak of the child's process tree, whole run
    input_mb: float | None = None  # RSS when the linkage started (input in memory)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    clusters: dict[str, str] = field(default_factory=dict)
    error: str | None = None  # "not run: ...", "timed out ...", "crashed ..."


def skip_reason(tool: str, records: int) -> str | None:
    """Why `tool` is not run on a set of `records`, if it is not."""
    limit = MAX_RECORDS.get(tool)
    if limit is not None and records > limit:
        return (f"not run: above {limit:,} records (candidate pairs and their comparison "
                "vectors are held in pandas in memory)")  # fmt: skip
    return None


def run_isolated(
    tool: str, job: dict[str, Any], runs: Path, timeout: float, pythonpath: str
) -> Outcome:
    """Run `tool` on `job` in a new interpreter; kill it (and its children) on timeout."""
    runs.mkdir(parents=True, exist_ok=True)
    stem = runs / f"{job['set']}-{tool}"
    job_path, out_path, log_path = (stem.with_suffix(s) for s in (".json", ".pkl", ".log"))
    out_path.unlink(missing_ok=True)
    job_path.write_text(json.dumps({**job, "tool": tool}))
    env = {**os.environ, "PYTHONPATH": pythonpath}
    command = [sys.executable, str(Path(__file__).resolve()), str(job_path), str(out_path)]
    with log_path.open("w") as log:
        # A session of its own, so a timeout can end the child and whatever it started.
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env,
                                 start_new_session=True)  # fmt: skip
        try:
            code = child.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            return Outcome(tool, error=f"timed out after {timeout:,.0f} s")
    if code != 0 or not out_path.exists():
        lines = log_path.read_text(errors="replace").strip().splitlines()
        return Outcome(tool, error=f"crashed (exit {code}): {lines[-1] if lines else 'no output'}"
                       f" (log: {log_path})")  # fmt: skip
    result: Result = pickle.loads(out_path.read_bytes())
    return Outcome(tool, result.get("seconds"), result.get("rss_mb"), result.get("input_mb"),
                   result.get("pairs", []), result.get("clusters", {}), result.get("error"))  # fmt: skip


# The child side -------------------------------------------------------------------


def child_main(argv: list[str]) -> int:
    job_path, out_path = Path(argv[0]), Path(argv[1])
    job = json.loads(job_path.read_text())
    runner: Callable[[dict[str, Any]], Result] = {
        "threadline": run_threadline,
        "threadline-no-twin-rule": run_threadline,
        "splink": run_splink,
        "recordlinkage": run_recordlinkage,
    }[job["tool"]]
    with TreeRSS() as tree:
        try:
            result = runner(job)
        except ToolUnavailable as error:
            result = {"error": f"not run: {error}"}
    result["rss_mb"] = max(tree.peak_mb, peak_rss_mb())
    out_path.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return 0


def run_threadline(job: dict[str, Any]) -> Result:
    try:
        from threadline.resolve.batch import resolve_records
    except ImportError as error:
        raise ToolUnavailable(
            f"threadline.resolve.batch.resolve_records is not available ({error})"
        ) from error
    import pyarrow.parquet as pq

    # The Arrow table of match-frame fields, as Splink gets its table: the conversion
    # into threadline's columns happens inside the timed call.
    frame = pq.read_table(Path(job["folder"]) / "frame.parquet")
    input_mb = _rss_now()
    started = time.perf_counter()
    twin_rule = job["tool"] != "threadline-no-twin-rule"
    result = resolve_records(frame, link_only=job["link_only"], twin_rule=twin_rule)
    seconds = time.perf_counter() - started
    pairs = [(str(a), str(b)) for a, b, _score in result.pairs]
    return {"seconds": seconds, "input_mb": input_mb, "pairs": pairs,
            "clusters": {str(k): str(v) for k, v in result.clusters.items()}}  # fmt: skip


def run_splink(job: dict[str, Any]) -> Result:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from splink import DuckDBAPI, Linker

    kind, folder = job["kind"], Path(job["folder"])
    columns = pq.read_table(folder / ("frame.parquet" if kind in FRAME_KINDS else "raw.parquet"))
    data = columns.to_pydict()
    input_mb = _rss_now()
    started = time.perf_counter()
    if kind == "companies":
        data = company_columns(data)
    elif kind in FRAME_KINDS:
        country = data["country"]
        data = anchor_columns(data)
        if kind == "patents":  # its model compares countries; the hard set's does not
            data["country"] = country
        data["first_name_surname_concat"] = [
            f"{f} {s}" if f and s else None
            for f, s in zip(data["first_name"], data["last_name"], strict=True)
        ]
    model = _splink_model(kind)
    uid = model.settings.unique_id_column_name
    db_api = DuckDBAPI()
    if job["link_only"]:  # one table per dataset; Splink names the source itself
        tables = [db_api.register(pa.table(part), dataset_display_name=name)
                  for name, part in _split(data, "source_dataset")]  # fmt: skip
        linker = Linker(tables, model.settings, log_level=logging.WARNING)
    else:
        data.pop("source_dataset", None)
        linker = Linker(db_api.register(pa.table(data)), model.settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        model.deterministic, recall=model.recall
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=SPLINK_U_PAIRS[kind], seed=1)
    for rule in model.em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    predictions = linker.inference.predict(threshold_match_probability=SPLINK_PAIRS_AT)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=SPLINK_CLUSTERS_AT[kind]
    )
    pairs = predictions.as_duckdbpyrelation().select(f"{uid}_l, {uid}_r").fetchall()
    clusters = clustered.as_duckdbpyrelation().select(f"{uid}, cluster_id").fetchall()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "input_mb": input_mb,
            "pairs": [(str(a), str(b)) for a, b in pairs],
            "clusters": {str(r): str(c) for r, c in clusters}}  # fmt: skip


def run_recordlinkage(job: dict[str, Any]) -> Result:
    import pandas as pd  # type: ignore[import-untyped]  # pandas-stubs is not a dependency
    import pyarrow.parquet as pq
    import recordlinkage as rl  # type: ignore[import-untyped]  # it ships no type hints

    kind, folder = job["kind"], Path(job["folder"])
    table = pq.read_table(folder / ("frame.parquet" if kind in FRAME_KINDS else "raw.parquet"))
    data = table.to_pydict()
    input_mb = _rss_now()
    started = time.perf_counter()
    uid = "id" if kind in FRAME_KINDS else "rec_id"
    if kind == "companies":
        data = company_columns(data)
    elif kind in FRAME_KINDS:
        data = anchor_columns(data)
    index, compare = _recordlinkage_model(kind)
    if job["link_only"]:
        frames = [pd.DataFrame(part).set_index(uid) for _, part in _split(data, "source_dataset")]
        candidates = index.index(*frames)
        features = compare.compute(candidates, *frames)
    else:
        data.pop("source_dataset", None)
        frame = pd.DataFrame(data).set_index(uid)
        candidates = index.index(frame)
        features = compare.compute(candidates, frame)
    links = rl.ECMClassifier().fit_predict(features)
    pairs = [(str(a), str(b)) for a, b in links]
    clusters = components((str(r) for r in data[uid]), pairs)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "input_mb": input_mb, "pairs": pairs, "clusters": clusters}


# Tool configurations ----------------------------------------------------------------


@dataclass
class _SplinkModel:
    settings: Any  # a splink SettingsCreator
    deterministic: list[Any]  # rules for estimate_probability_two_random_records_match
    recall: float
    em_rules: list[Any]  # one expectation-maximisation session per rule


def _splink_model(kind: str) -> _SplinkModel:
    """Splink's settings for `kind`, as its examples write them (see the module docstring)."""
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    if kind in ("patents", "companies"):  # the product benchmark's sets
        return _SplinkModel(*splink_parts(kind))
    if kind == "febrl4":  # docs/demos/examples/duckdb/febrl4.ipynb, the "detailed" model
        rules: list[Any] = [block_on("given_name", "surname"),
                 "l.given_name = r.surname and l.surname = r.given_name",
                 block_on("date_of_birth"), block_on("soc_sec_id"),
                 block_on("state", "address_1"), block_on("street_number", "address_1"),
                 block_on("postcode")]  # fmt: skip
        comparisons: list[Any] = [
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                     datetime_format="%Y%m%d", invalid_dates_as_null=True),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True),
        ]  # fmt: skip
        return _SplinkModel(
            SettingsCreator(
                unique_id_column_name="rec_id",
                link_type="link_only",
                blocking_rules_to_generate_predictions=rules,
                comparisons=comparisons,
            ),
            [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")],
            0.8,
            [block_on("date_of_birth"), block_on("postcode")],
        )
    if kind == "febrl3":  # docs/demos/examples/duckdb/febrl3.ipynb
        rules = [block_on("soc_sec_id"), block_on("given_name"), block_on("surname"),
                 block_on("date_of_birth"), block_on("postcode")]  # fmt: skip
        comparisons = [
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                     datetime_format="%Y%m%d"),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ]  # fmt: skip
        return _SplinkModel(
            SettingsCreator(
                unique_id_column_name="rec_id",
                link_type="dedupe_only",
                blocking_rules_to_generate_predictions=rules,
                comparisons=comparisons,
            ),
            [
                block_on("soc_sec_id"),
                block_on("given_name", "surname", "date_of_birth"),
                "l.given_name = r.surname and l.surname = r.given_name "
                "and l.date_of_birth = r.date_of_birth",
            ],
            0.9,
            [block_on("date_of_birth"), block_on("postcode")],
        )
    # deduplicate_50k_synthetic.ipynb with our columns: postcode for postcode_fake, city
    # for birth_place; the Febrl examples' identifier comparison; email and phone added.
    # PostcodeComparison parses UK postcodes only, so postcodes are compared as in febrl4.
    # The first rule gained the birth year: as written for 50k records it alone made 36M
    # of 42M comparisons at 1M records; with the year, 7M in all, and about the same F1 on
    # hard100k (clustered 0.850 against 0.853).
    rules = [
        block_on("substr(first_name,1,3)", "substr(last_name,1,4)", "substr(birth_date,1,4)"),
        block_on("last_name", "birth_date"),
        block_on("first_name", "birth_date"),
        block_on("postcode", "first_name"),
        block_on("postcode", "last_name"),
        block_on("birth_date", "city"),
        block_on("substr(postcode,1,3)", "birth_date"),
        block_on("substr(postcode,1,3)", "first_name"),
        block_on("substr(postcode,1,3)", "last_name"),
        block_on("substr(first_name,1,2)", "substr(last_name,1,2)", "substr(birth_date,1,4)"),
        block_on("identifier"),
        block_on("email"),
    ]
    comparisons = [
        cl.ForenameSurnameComparison("first_name", "last_name",
                                     forename_surname_concat_col_name="first_name_surname_concat"),
        cl.DateOfBirthComparison("birth_date", input_is_string=True),
        cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
            term_frequency_adjustments=True),
        cl.ExactMatch("city").configure(term_frequency_adjustments=True),
        cl.JaroWinklerAtThresholds("address", [0.9, 0.7]),
        cl.DamerauLevenshteinAtThresholds("identifier", [1, 2]),
        cl.EmailComparison("email"),
        cl.ExactMatch("phone"),
    ]  # fmt: skip
    return _SplinkModel(
        SettingsCreator(
            unique_id_column_name="id",
            link_type="dedupe_only",
            blocking_rules_to_generate_predictions=rules,
            comparisons=comparisons,
        ),
        [
            block_on("first_name", "last_name", "birth_date"),
            block_on("substr(first_name,1,2)", "last_name", "substr(postcode,1,2)"),
            block_on("birth_date", "postcode"),
        ],
        0.6,
        [block_on("first_name", "last_name"), block_on("birth_date")],
    )


def _recordlinkage_model(kind: str) -> tuple[Any, Any]:
    """recordlinkage's index and comparisons for `kind` (see the module docstring)."""
    import recordlinkage as rl
    from recordlinkage.compare import Exact, String  # type: ignore[import-untyped]  # as above
    from recordlinkage.index import Block  # type: ignore[import-untyped]  # as above

    if kind == "companies":
        return recordlinkage_parts()
    index = rl.Index()
    compare = rl.Compare()
    if kind in ("febrl4", "febrl3"):
        # examples/dedup_deterministic.py blocks on these three; date of birth is added so
        # a record with typos in both names can still be found.
        for key in ("given_name", "surname", "soc_sec_id", "date_of_birth"):
            index.add(Block(key))
        compare.add(Exact("given_name", "given_name", label="given_name"))
        compare.add(String("surname", "surname", method="jarowinkler", threshold=0.85,
                           label="surname"))  # fmt: skip
        compare.add(Exact("date_of_birth", "date_of_birth", label="date_of_birth"))
        compare.add(Exact("suburb", "suburb", label="suburb"))
        compare.add(Exact("state", "state", label="state"))
        compare.add(String("address_1", "address_1", threshold=0.85, label="address_1"))
        compare.add(String("address_2", "address_2", threshold=0.85, label="address_2"))
        compare.add(Exact("soc_sec_id", "soc_sec_id", label="soc_sec_id"))
        return index, compare
    for keys in (["first_name", "last_name"], "birth_date", ["postcode", "last_name"],
                 "identifier", "email"):  # fmt: skip
        index.add(Block(keys))
    for column in ("first_name", "last_name", "address"):
        compare.add(String(column, column, method="jarowinkler", threshold=0.85, label=column))
    for column in ("birth_date", "postcode", "city", "identifier", "email", "phone"):
        compare.add(Exact(column, column, label=column))
    return index, compare


# The anchors' input on the hard sets -------------------------------------------------

_NOT_NAME = re.compile(r"[^a-z' -]+")
_NOT_DIGIT = re.compile(r"\D+")
_SPACES = re.compile(r"\s+")


def anchor_columns(data: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The hard set as both anchors get it: generic cleaning, no knowledge of the generator.

    Records without first/last name get them split from `name` ("Last, First" at the
    comma, else the last word is the surname). Text is transliterated to ASCII and
    lower-cased; identifiers and phone numbers keep their digits only. Each distinct value
    is cleaned once.
    """
    from normality import ascii_text

    def fold(value: str) -> str | None:
        text = _SPACES.sub(" ", ascii_text(value).lower()).strip()
        return text or None

    def name(value: str) -> str | None:
        text = _SPACES.sub(" ", _NOT_NAME.sub(" ", ascii_text(value).lower())).strip()
        return text or None

    def digits(value: str) -> str | None:
        return _NOT_DIGIT.sub("", value) or None

    first, last = list(data["first_name"]), list(data["last_name"])
    for i, full in enumerate(data["name"]):
        if full and first[i] is None and last[i] is None:
            first[i], last[i] = _split_name(full)
    out = {"id": data["id"], "birth_date": data["birth_date"],
           "first_name": _each(first, name), "last_name": _each(last, name)}  # fmt: skip
    for column in ("address", "postcode", "city", "email"):
        out[column] = _each(data[column], fold)
    for column in ("identifier", "phone"):
        out[column] = _each(data[column], digits)
    return out


def _split_name(full: str) -> tuple[str | None, str | None]:
    if "," in full:
        last, _, first = full.partition(",")
        return first.strip() or None, last.strip() or None
    words = full.split()
    if len(words) < 2:
        return None, full.strip() or None
    return " ".join(words[:-1]), words[-1]


def _each(values: list[Any], clean: Callable[[str], str | None]) -> list[str | None]:
    cache: dict[str, str | None] = {}
    out: list[str | None] = []
    for value in values:
        if value is None:
            out.append(None)
            continue
        if value not in cache:
            cache[value] = clean(value)
        out.append(cache[value])
    return out


def _split(data: dict[str, list[Any]], column: str) -> list[tuple[str, dict[str, list[Any]]]]:
    """The rows of `data` by their value in `column` (which is left out), sorted by it."""
    parts = []
    for value in sorted(set(data[column])):
        keep = [i for i, v in enumerate(data[column]) if v == value]
        parts.append((value, {k: [v[i] for i in keep] for k, v in data.items() if k != column}))
    return parts


def _rss_now() -> float:
    """This process's resident set size now, in MiB (Linux; 0 elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:  # not Linux
        pass
    return 0.0


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
