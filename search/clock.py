"""The time budget of one search: a deadline the searching thread checks itself (no signal)."""

from __future__ import annotations

import time

from bahth.index.errors import SearchTimeoutError


class Clock:
    """The time budget of one search; `check()` raises SearchTimeoutError once it is spent."""

    def __init__(self, query: str, seconds: float):
        self.query, self.seconds = query, seconds
        self.started = time.perf_counter()
        self.deadline = self.started + seconds

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def check(self) -> None:
        if time.perf_counter() > self.deadline:
            raise SearchTimeoutError(self.query, self.seconds)

    def elapsed_ms(self) -> float:
        return (time.perf_counter() - self.started) * 1000
