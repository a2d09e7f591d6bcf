"""A corpus of mappings that try to make ingest read a file outside its folder.

Each trick is a mapping YAML that an attacker uploads beside `data.csv`. The folder
layout (`lay_out`) puts a secret CSV outside the upload folder, a fake signing key and
store in the data directory, and symlinks inside the upload folder that lead out. A
trick "escapes" if any secret value ends up in the store; every value a secret file
holds starts with SECRET.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SECRET = "SECRET-7f3a"
HARMLESS = "harmless"
QUERY_TAIL = """      entities:
        r:
          schema: Person
          keys: [name]
          properties:
            name: {column: name}
"""


@dataclass(frozen=True)
class Layout:
    """Where the upload folder, the outside secret and the data directory are."""

    upload: Path
    outside: Path
    data_dir: Path


def lay_out(base: Path, data_dir: Path) -> Layout:
    """Create the upload folder, the secrets and the symlinks under `base`."""
    upload = base / "upload"
    outside = base / "outside"
    upload.mkdir(parents=True)
    outside.mkdir()
    (upload / "data.csv").write_text(f"name\n{HARMLESS}\n")
    (outside / "secret.csv").write_text(f"name\n{SECRET}-outside\n")
    keys = data_dir / "audit-keys"
    keys.mkdir(parents=True, exist_ok=True)
    (keys / "fake.pem").write_text(f"name\n{SECRET}-key\n")
    (data_dir / "fake-store.csv").write_text(f"name\n{SECRET}-store\n")
    (upload / "link.csv").symlink_to(outside / "secret.csv")
    (upload / "sub").symlink_to(outside, target_is_directory=True)
    (upload / "keys").symlink_to(keys, target_is_directory=True)
    (upload / "chain.csv").symlink_to(upload / "link.csv")
    return Layout(upload, outside, data_dir)


def _one(url: str) -> str:
    return f"x:\n  queries:\n    - csv_url: {url}\n{QUERY_TAIL}"


def _quoted(url: str) -> str:
    return _one('"' + url.replace("\\", "\\\\").replace('"', '\\"') + '"')


def tricks(layout: Layout) -> list[tuple[str, str]]:
    """(name, mapping text) for every trick; at least 40."""
    secret = layout.outside / "secret.csv"
    rel_key = Path("..") / ".." / layout.data_dir.name / "audit-keys" / "fake.pem"
    up = "../" * (len(layout.upload.parts) + 2)
    cases: list[tuple[str, str]] = [
        (
            "duplicate key, bad first",
            "x:\n  queries:\n    - csv_url: ../outside/secret.csv\n"
            f"      csv_url: data.csv\n{QUERY_TAIL}",
        ),
        (
            "duplicate key, bad last",
            "x:\n  queries:\n    - csv_url: data.csv\n"
            f"      csv_url: ../outside/secret.csv\n{QUERY_TAIL}",
        ),
        (
            "duplicate quoted key",
            'x:\n  queries:\n    - "csv_url": ../outside/secret.csv\n'
            f"      csv_url: data.csv\n{QUERY_TAIL}",
        ),
        (
            "duplicate in flow style",
            "x:\n  queries:\n    - {csv_url: data.csv, "
            "csv_url: ../outside/secret.csv, entities: {r: {schema: Person, keys: [name], "
            "properties: {name: {column: name}}}}}\n",
        ),
        (
            "explicit key duplicate",
            "x:\n  queries:\n    - ? csv_url\n      : data.csv\n"
            f"      csv_url: ../outside/secret.csv\n{QUERY_TAIL}",
        ),
        (
            "csv_url and csv_urls",
            "x:\n  queries:\n    - csv_url: data.csv\n"
            f"      csv_urls: [../outside/secret.csv]\n{QUERY_TAIL}",
        ),
        ("null tag", _one(f"!!null {secret}")),
        ("str tag", _one(f"!!str {secret}")),
        ("local tag", _one(f"!path {secret}")),
        ("binary tag", _one("!!binary Li4vb3V0c2lkZS9zZWNyZXQuY3N2")),
        ("python tag", _one("!!python/object:os.system ls")),
        ("map tag", f"x: !!map\n  queries:\n    - csv_url: data.csv\n{QUERY_TAIL}"),
        (
            "anchor and alias",
            f"a: &p ../outside/secret.csv\nx:\n  queries:\n    - csv_url: *p\n{QUERY_TAIL}",
        ),
        (
            "merge key",
            "base: &b {csv_url: ../outside/secret.csv}\nx:\n  queries:\n"
            f"    - <<: *b\n{QUERY_TAIL}",
        ),
        ("two documents", f"{_one('data.csv')}---\n{_one('../outside/secret.csv')}"),
        (
            "csv_urls list",
            f"x:\n  queries:\n    - csv_urls: [data.csv, ../outside/secret.csv]\n{QUERY_TAIL}",
        ),
        ("absolute path", _one(str(secret))),
        ("etc passwd", _one("/etc/passwd")),
        ("proc environ", _one("/proc/self/environ")),
        ("dev zero", _one("/dev/zero")),
        ("dot dot", _one("../outside/secret.csv")),
        ("dot slash dot dot", _one("./../outside/secret.csv")),
        ("down then up", _one("sub/../../outside/secret.csv")),
        ("many dot dots", _one(up + str(secret).lstrip("/"))),
        ("double slash", _one("..//outside//secret.csv")),
        ("file url", _one(f"file://{secret}")),
        ("file scheme relative", _one("file:../outside/secret.csv")),
        ("http url", _one("http://127.0.0.1:9/secret.csv")),
        ("percent-encoded dots", _one("%2e%2e/outside/secret.csv")),
        ("percent-encoded slashes", _one("..%2foutside%2fsecret.csv")),
        ("double percent-encoding", _one("%252e%252e%252foutside%252fsecret.csv")),
        ("one-dot leaders", _one("\u2024\u2024/outside/secret.csv")),
        ("fullwidth dots", _one("\uff0e\uff0e/outside/secret.csv")),
        ("fullwidth slash", _one("..\uff0foutside\uff0fsecret.csv")),
        ("division slash", _one("..\u2215outside\u2215secret.csv")),
        ("NUL byte", _quoted("data.csv\x00../outside/secret.csv")),
        (
            "NUL escape",
            f'x:\n  queries:\n    - csv_url: "data.csv\\0/../../outside/secret.csv"\n{QUERY_TAIL}',
        ),
        ("very long name", _one("a" * 5000 + ".csv")),
        ("very long climb", _one("../" * 3000 + "etc/passwd")),
        ("windows separators", _quoted("..\\outside\\secret.csv")),
        ("windows drive", _quoted("C:\\Windows\\win.ini")),
        ("windows share", _quoted("\\\\server\\share\\secret.csv")),
        ("symlinked file", _one("link.csv")),
        ("symlink chain", _one("chain.csv")),
        ("symlinked folder", _one("sub/secret.csv")),
        ("symlink into data dir", _one("keys/fake.pem")),
        ("data dir key relative", _one(str(rel_key))),
        ("data dir key absolute", _one(str(layout.data_dir / "audit-keys" / "fake.pem"))),
        ("data dir store", _one(str(layout.data_dir / "fake-store.csv"))),
        ("home tilde", _one("~/../../" + str(secret).lstrip("/"))),
        ("folder itself", _one(".")),
        ("csv_url as a mapping", _one("{path: ../outside/secret.csv}")),
        ("csv_url as a number", _one("12")),
        ("csv_url empty", _one('""')),
        (
            "database query",
            "x:\n  queries:\n    - database: sqlite:///../outside/secret.db\n"
            f"      csv_url: data.csv\n{QUERY_TAIL}",
        ),
    ]
    return cases


def escaped(values: set[str]) -> set[str]:
    """The secret values among those read back from a store."""
    return {v for v in values if SECRET in v}


KEY_MARK = "PRIVATE KEY"


def server_tricks(data_dir: Path, outside: Path, dataset: str) -> list[tuple[str, str]]:
    """The corpus aimed at a server: the outside secret is a real file, and the
    relative climbs lead from `uploads/<job>/` to the data directory's signing key."""
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.csv").write_text(f"name\n{SECRET}-outside\n")
    layout = Layout(upload=data_dir / "uploads" / "job", outside=outside, data_dir=data_dir)
    key = "-----BEGIN PRIVATE KEY-----"
    reproduction = (
        "x:\n  queries:\n    - csv_url: ../../audit-keys/signing.pem\n"
        "      csv_url: data.csv\n      entities:\n        r:\n          schema: Person\n"
        f'          keys: ["{key}"]\n          properties:\n            name:\n'
        f'              column: "{key}"\n'
    )
    extra = [
        ("the issue's reproduction", reproduction),
        ("signing key relative", reproduction.replace("      csv_url: data.csv\n", "")),
        (
            "signing key absolute",
            reproduction.replace(
                "../../audit-keys/signing.pem", str(data_dir / "audit-keys" / "signing.pem")
            ).replace("      csv_url: data.csv\n", ""),
        ),
    ]
    every = [*tricks(layout), *extra]
    return [(name, text.replace("x:\n", f"{dataset}:\n", 1)) for name, text in every]


def leaks(text: str) -> bool:
    return SECRET in text or KEY_MARK in text or "root:" in text
