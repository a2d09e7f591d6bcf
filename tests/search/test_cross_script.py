"""A name written in another script finds its Latin spelling, and the reverse, where
rigour's transliteration spells it alike (benchmarks/cross_script.py measures it on
Wikidata's country names)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench
from threadline.search.text import name_tokens

# Each a country's name in one script, and its English name.
PAIRS = [
    ("अर्मेनिया", "Armenia"),  # Devanagari: the vowel signs and viramas are kept
    ("सेनेगल", "Senegal"),
    ("हाइती", "Haiti"),  # the transliteration's syllable break is not a word break
    ("Σρι Λάνκα", "Sri Lanka"),
    ("Бруней", "Brunei"),
]


def test_names_in_indic_scripts_keep_their_vowels() -> None:
    assert name_tokens("अर्मेनिया") == ["armeniya"]
    assert name_tokens("सेनेगल") == ["senegala"]


def test_a_syllable_break_of_the_transliteration_is_not_a_word_break() -> None:
    assert name_tokens("हाइती") == ["haiti"]
    assert name_tokens("Σρι Λάνκα") == ["sri", "lanka"]
    # An apostrophe of the name itself is as before.
    assert name_tokens("O'Brien Ltd") == ["obrien", "ltd"]


def test_each_spelling_finds_the_other(tmp_path: Path) -> None:
    entities = []
    for number, (other, latin) in enumerate(PAIRS):
        entities.append(entity(f"o-{number}", "Organization", name=other))
        entities.append(entity(f"l-{number}", "Organization", name=latin))
    with Workbench(data_dir=tmp_path / "data") as bench:
        bench.ingest([write_entities(tmp_path / "names.ijson", entities)], "names")
        for number, (other, latin) in enumerate(PAIRS):
            assert f"l-{number}" in {h.id for h in bench.search(other).hits}, other
            assert f"o-{number}" in {h.id for h in bench.search(latin).hits}, latin
