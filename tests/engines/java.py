"""A Java runtime for the Spark tests: Debian's default-jre-headless."""

from __future__ import annotations

from tests.debian import ensure_program


def ensure_java() -> str:
    """The `java` executable, installed by the test set-up if it is missing."""
    return ensure_program("java", "default-jre-headless")
