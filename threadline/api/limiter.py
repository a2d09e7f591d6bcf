"""The sign-in limit: an exponential back-off per client and name, and a cap per client.

Nothing is keyed on the name alone, so failures from one client can never lock the
real user, signing in from another, out of their account. A client that keeps
failing for one name waits longer and longer (`base` seconds after `free` failures,
doubling up to `cap`); a client failing for many names, or sending bad API tokens,
is held to `per_client` failures per `window` seconds.

An attempt is counted when it starts, and taken back when it succeeds, so a burst
of parallel guesses is counted in full before any of them is answered. State is in
memory, per process, and bounded; the server keeps the same counts in its database
instead (`threadline.api.limitstore`), shared by every process.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

MAX_KEYS = 10_000  # (client, name) pairs and clients remembered before pruning


class SignInLimited(Exception):
    """Too many failed sign-ins: wait `retry_after` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__("too many failed sign-ins; wait and try again")
        self.retry_after = max(1, int(retry_after + 0.999))


class SignInLimiter(Protocol):
    """What the sign-in and token checks ask of a limiter."""

    def attempt(self, client: str, name: str) -> None: ...

    def succeeded(self, client: str, name: str) -> None: ...

    def bad_token(self, client: str) -> None: ...


@dataclass
class _Pair:
    """The failures of one name from one client."""

    failures: int = 0
    last: float = 0.0
    locked_until: float = 0.0


class LoginLimiter:
    """Counts sign-in attempts and refuses those that come too fast."""

    def __init__(
        self,
        *,
        free: int = 5,
        base: float = 30.0,
        cap: float = 900.0,
        forget: float = 3600.0,
        per_client: int = 20,
        window: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free, self.base, self.cap, self.forget = free, base, cap, forget
        self.per_client, self.window = per_client, window
        self.clock = clock
        self._pairs: dict[tuple[str, str], _Pair] = {}
        self._clients: dict[str, deque[float]] = {}
        self._lock = threading.Lock()  # the server's worker threads share one limiter

    def remembered(self) -> int:
        """How many (client, name) pairs are remembered."""
        return len(self._pairs)

    def delay(self, failures: int) -> float:
        """How long a pair waits after this many failures (0 below `free`)."""
        if failures < self.free:
            return 0.0
        return float(min(self.cap, self.base * 2 ** (failures - self.free)))

    def attempt(self, client: str, name: str) -> None:
        """Count a sign-in attempt, or raise `SignInLimited` without counting it."""
        with self._lock:
            now = self.clock()
            pair = self._pairs.get((client, name)) or _Pair()
            if pair.locked_until > now:
                raise SignInLimited(pair.locked_until - now)
            self._check_client(client, now)
            if pair.failures and now - pair.last > self.forget:
                pair.failures = 0  # long quiet: start afresh
            self._pairs[(client, name)] = pair
            pair.failures += 1
            pair.last = now
            pair.locked_until = now + self.delay(pair.failures)
            self._clients.setdefault(client, deque()).append(now)
            self._prune(now)

    def succeeded(self, client: str, name: str) -> None:
        """Take back a good attempt: the pair starts afresh, the client's count drops."""
        with self._lock:
            self._pairs.pop((client, name), None)
            times = self._clients.get(client)
            if times:
                times.pop()

    def bad_token(self, client: str) -> None:
        """Count a request with an unknown API token against its client, or raise
        `SignInLimited` (without counting) if the client is over its cap."""
        with self._lock:
            now = self.clock()
            self._check_client(client, now)
            self._clients.setdefault(client, deque()).append(now)
            self._prune(now)

    def _check_client(self, client: str, now: float) -> None:
        times = self._clients.get(client)
        if times is None:
            return
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) >= self.per_client:
            raise SignInLimited(self.window - (now - times[0]))

    def _prune(self, now: float) -> None:
        """Forget quiet pairs and clients once too many are remembered."""
        if len(self._pairs) > MAX_KEYS:
            for key, pair in list(self._pairs.items()):
                if now - pair.last > self.forget and pair.locked_until <= now:
                    del self._pairs[key]
            if len(self._pairs) > MAX_KEYS:
                # Still too many: the longest quiet go first, down to nine tenths so
                # this sort is rare. Only a held pair could be let off early.
                oldest = sorted(self._pairs, key=lambda key: self._pairs[key].last)
                for key in oldest[: len(oldest) - MAX_KEYS * 9 // 10]:
                    del self._pairs[key]
        if len(self._clients) > MAX_KEYS:
            for client, times in list(self._clients.items()):
                if not times or now - times[-1] >= self.window:
                    del self._clients[client]
            if len(self._clients) > MAX_KEYS:
                # Still too many (more clients than that within one window): the
                # longest quiet go first, down to nine tenths, as for pairs. Without
                # this every later attempt scanned them all again.
                quiet = sorted(self._clients, key=lambda client: self._clients[client][-1])
                for client in quiet[: len(quiet) - MAX_KEYS * 9 // 10]:
                    del self._clients[client]
