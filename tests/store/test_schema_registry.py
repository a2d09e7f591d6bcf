"""The migrations' table registry points downward: the store names only its own
tables, and the app passes in the registry of every table. A database opened with the
registry is made from the models; one opened without it (a store used on its own) is
made by the revisions, with the same tables."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

import threadline.store
from threadline.app.schema import SCHEMA
from threadline.store.migrations import HEAD
from threadline.store.migrations.schema import STORE, STORE_MODULES
from threadline.store.migrations.versioning import read_version
from threadline.store.sql import SQLStore

ABOVE = re.compile(r"^threadline\.(access|cases|watch|api|app|audit|tips|web|cli|workbench)\b")


def _named(tree: ast.Module) -> list[str]:
    """The modules a source imports or names in a string (docstrings aside)."""
    docstrings = {
        id(body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and (body := node.body)
        and isinstance(body[0], ast.Expr)
    }
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            names.append(node.value)
    return names


def test_the_store_names_no_package_above_it() -> None:
    root = Path(threadline.store.__file__).parent
    above = {
        f"{path.relative_to(root)}: {name}"
        for path in sorted(root.rglob("*.py"))
        for name in _named(ast.parse(path.read_text()))
        if ABOVE.match(name)
    }
    assert above == set()
    assert set(STORE.target().tables) < set(SCHEMA.target().tables)
    assert SCHEMA.modules[: len(STORE_MODULES)] == STORE_MODULES


def test_without_the_registry_the_revisions_build_every_table(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'alone.sqlite3'}"
    store = SQLStore(url)  # no registry: a new database goes through Alembic
    assert store.schema_upgrade == (None, HEAD)
    store.close()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert read_version(conn) == HEAD
            assert set(inspect(conn).get_table_names()) == {
                *SCHEMA.target().tables,
                "alembic_version",
            }
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert list(compare_metadata(context, SCHEMA.target())) == []
    finally:
        engine.dispose()


def test_with_the_registry_a_new_database_is_made_from_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    store = SQLStore(url, SCHEMA)
    assert store.schema_upgrade == (None, HEAD)
    store.close()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) == {
                *SCHEMA.target().tables,
                "alembic_version",
            }
    finally:
        engine.dispose()
