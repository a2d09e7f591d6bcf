"""The sign-in limiter on its own, with a clock the test moves: back-off per client and
name, the cap per client, and that nothing keys on the name alone. The rules hold for
the in-memory limiter and for the one the server keeps in its database (SQLite and
PostgreSQL), which every server process shares."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.api.limiter import MAX_KEYS, LoginLimiter, SignInLimited
from threadline.api.limitstore import SQLLoginLimiter

Limiter = LoginLimiter | SQLLoginLimiter
Make = Callable[..., Limiter]


class Clock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "sqlite-file", "postgres"])
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Make]:
    """Makes limiters of one kind (their parameters are LoginLimiter's)."""
    made: list[SQLLoginLimiter] = []

    def build(**limits: object) -> Limiter:
        if request.param == "memory":
            return LoginLimiter(**limits)
        url = (
            request.getfixturevalue("postgres_url")
            if request.param == "postgres"
            else f"sqlite:///{tmp_path / 'store.sqlite3'}"
        )
        limiter = SQLLoginLimiter(url, **limits)
        made.append(limiter)
        return limiter

    yield build
    for limiter in made:
        limiter.close()


def fail(limiter: Limiter, client: str, name: str, times: int) -> None:
    """Count `times` attempts that then fail (nothing takes them back)."""
    for _ in range(times):
        limiter.attempt(client, name)


def test_the_back_off_doubles_up_to_its_cap(make: Make) -> None:
    limiter = make(free=3, base=10, cap=100)
    assert [limiter.delay(n) for n in range(1, 9)] == [0, 0, 10, 20, 40, 80, 100, 100]


def test_a_pair_waits_its_back_off_then_may_try_again(make: Make) -> None:
    clock = Clock()
    limiter = make(free=2, base=10, cap=1000, clock=clock)
    fail(limiter, "c", "bob", 2)
    with pytest.raises(SignInLimited) as held:
        limiter.attempt("c", "bob")
    assert held.value.retry_after == 10
    clock.now += 10
    limiter.attempt("c", "bob")  # the third failure: 20 s this time
    clock.now += 19
    with pytest.raises(SignInLimited) as held:
        limiter.attempt("c", "bob")
    assert held.value.retry_after == 1
    clock.now += 1
    limiter.attempt("c", "bob")


def test_a_refused_attempt_is_not_counted(make: Make) -> None:
    clock = Clock()
    limiter = make(free=1, base=10, clock=clock)
    limiter.attempt("c", "bob")
    for _ in range(50):  # hammering while held does not make the wait longer
        with pytest.raises(SignInLimited):
            limiter.attempt("c", "bob")
    clock.now += 10
    limiter.attempt("c", "bob")


def test_success_starts_the_pair_afresh(make: Make) -> None:
    limiter = make(free=3, clock=Clock())
    fail(limiter, "c", "bob", 2)
    limiter.attempt("c", "bob")  # the third: would hold the next one back...
    limiter.succeeded("c", "bob")  # ...but it was the right password
    fail(limiter, "c", "bob", 2)  # two more are free again
    limiter.attempt("c", "bob")


def test_failures_are_forgotten_after_a_quiet_spell(make: Make) -> None:
    clock = Clock()
    limiter = make(free=3, base=1, forget=600, clock=clock)
    fail(limiter, "c", "bob", 2)
    clock.now += 601
    fail(limiter, "c", "bob", 2)  # counting from one again, so no wait
    limiter.attempt("c", "bob")


def test_a_client_is_capped_across_names_within_its_window(make: Make) -> None:
    clock = Clock()
    limiter = make(per_client=3, window=300, clock=clock)
    for name in ("a", "b", "c"):
        limiter.attempt("spray", name)
    with pytest.raises(SignInLimited) as held:
        limiter.attempt("spray", "d")
    assert held.value.retry_after == 300
    limiter.attempt("elsewhere", "d")  # other clients are not held
    clock.now += 300
    limiter.attempt("spray", "d")


def test_bad_tokens_count_against_the_client(make: Make) -> None:
    limiter = make(per_client=2, clock=Clock())
    limiter.bad_token("c")
    limiter.bad_token("c")
    with pytest.raises(SignInLimited):
        limiter.bad_token("c")
    with pytest.raises(SignInLimited):
        limiter.attempt("c", "bob")


@settings(max_examples=60, deadline=None)
@given(
    attacks=st.lists(
        st.tuples(st.sampled_from(["a1", "a2", "a3"]), st.sampled_from(["bob", "cat"])),
        max_size=80,
    ),
    elapsed=st.lists(st.floats(min_value=0, max_value=120), max_size=80),
)
def test_no_attack_from_other_clients_locks_out_the_owner(
    attacks: list[tuple[str, str]], elapsed: list[float]
) -> None:
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    for n, (client, name) in enumerate(attacks):
        clock.now += elapsed[n] if n < len(elapsed) else 0
        with contextlib.suppress(SignInLimited):
            limiter.attempt(client, name)
    limiter.attempt("owner", "bob")  # never refused, whatever came before
    limiter.attempt("owner", "cat")


def test_memory_stays_bounded() -> None:
    clock = Clock()
    limiter = LoginLimiter(per_client=10**6, clock=clock)
    for n in range(MAX_KEYS + 500):
        clock.now += 0.001
        limiter.attempt(f"10.0.{n // 250}.{n % 250}", f"user{n}")
    assert limiter.remembered() <= MAX_KEYS


def test_processes_share_the_counts_and_a_restart_keeps_them(tmp_path: Path) -> None:
    """Two server processes over one database: a guesser gets no more tries by
    spreading them over both, nor by waiting for a restart."""
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    clock = Clock()
    first = SQLLoginLimiter(url, free=2, base=10, clock=clock)
    second = SQLLoginLimiter(url, free=2, base=10, clock=clock)
    first.attempt("c", "bob")
    second.attempt("c", "bob")
    for limiter in (first, second):
        with pytest.raises(SignInLimited):
            limiter.attempt("c", "bob")
    first.close()
    second.close()
    restarted = SQLLoginLimiter(url, free=2, base=10, clock=clock)
    with pytest.raises(SignInLimited) as held:
        restarted.attempt("c", "bob")
    assert held.value.retry_after == 10
    assert restarted.remembered() == 1
    restarted.close()
