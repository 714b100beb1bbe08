"""Scheduling strategies: the order in which groups of ready calls run.

Both take the pending calls in recording order (a topological order: a call's inputs were
recorded before it) and yield groups of calls that share a signature and whose inputs are
computed. A call's depth is 1 + the deepest call it depends on.

- ``depth`` (the MXNet Gluon Fold prototype): all calls of one depth level, grouped by
  signature, level after level.
- ``agenda`` (DyNet's autobatching, the default): among the ready calls, run the signature
  whose ready calls have the lowest average depth. On unbalanced graphs (a long chain next to
  bushy trees) this lets a signature wait until more of its calls are ready, so groups are
  larger than depth levels allow.
"""
from __future__ import annotations

from collections.abc import Iterator


def by_depth(pending) -> Iterator[list]:
    levels: dict[int, dict] = {}
    for c in pending:
        levels.setdefault(c.depth, {}).setdefault(c.key, []).append(c)
    for depth in sorted(levels):
        yield from levels[depth].values()


def by_agenda(pending) -> Iterator[list]:
    # Dependency edges (``users``) and counts (``waiting``) were set when the calls were recorded.
    ready: dict = {}  # key -> [calls, sum of their depths]

    def make_ready(c) -> None:
        entry = ready.get(c.key)
        if entry is None:
            ready[c.key] = [[c], c.depth]
        else:
            entry[0].append(c)
            entry[1] += c.depth

    for c in pending:
        if c.waiting == 0:
            make_ready(c)
    while ready:
        best, best_avg = None, None
        for key, (calls, total) in ready.items():
            avg = total / len(calls)
            if best_avg is None or avg < best_avg:
                best, best_avg = key, avg
        group = ready.pop(best)[0]
        yield group
        for c in group:
            for u in c.users or ():
                u.waiting -= 1
                if u.waiting == 0:
                    make_ready(u)
            c.users = None


STRATEGIES = {"agenda": by_agenda, "depth": by_depth}
