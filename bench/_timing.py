"""Timing helper shared by the benchmarks (also imported by their MXNet subprocesses)."""
import time


def best_ms(fn, rounds: int = 5, min_time: float = 0.3, clock=time.perf_counter) -> float:
    """Best-of-``rounds`` milliseconds per call of ``fn``, each round calibrated to last about
    ``min_time / rounds`` seconds (a noisy machine's hiccups then hurt only some rounds).
    ``clock`` is wall time by default; ``time.process_time`` counts this process's CPU time."""
    fn()
    fn()
    n = 1
    while True:
        t0 = clock()
        for _ in range(n):
            fn()
        if clock() - t0 > min_time / rounds or n > 2000:
            break
        n *= 2
    best = float("inf")
    for _ in range(rounds):
        t0 = clock()
        for _ in range(n):
            fn()
        best = min(best, (clock() - t0) / n * 1e3)
    return best
