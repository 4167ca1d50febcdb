"""Benchmarks of the atlas at scale: synthetic data (`bench.generate`), the runner (`python -m bench`)
and the browser figure (`python -m bench.browser`). Nothing here is imported by the app."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def median_seconds(fn: Callable[[], Any], reps: int) -> float:
    """The median wall-clock time of `reps` calls of `fn`."""
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
