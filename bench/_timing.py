"""Timing helper shared by the benchmarks (also imported by their MXNet subprocesses)."""
import time


def best_ms(fn, rounds: int = 5, min_time: float = 0.3) -> float:
    """Best-of-``rounds`` milliseconds per call of ``fn``, each round calibrated to last about
    ``min_time / rounds`` seconds (a noisy machine's hiccups then hurt only some rounds)."""
    fn()
    fn()
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        if time.perf_counter() - t0 > min_time / rounds or n > 2000:
            break
        n *= 2
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t0) / n * 1e3)
    return best
