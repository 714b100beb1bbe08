"""ListOps (Nangia & Bowman, 2018): a generator, an evaluator, a parser into :class:`~.trees.Tree` and TSV files.

Plain Python (standard library only), like :mod:`.trees`.

- :func:`generate_listops` -- random expressions of a given size range with their values;
- :func:`evaluate`, :func:`parse_listops` (a tree labelled with the subexpressions' values)
  and its inverse :func:`listops_expression`;
- :func:`read_listops_tsv`, :func:`write_listops_tsv` -- the published file layouts.

>>> e = "[MAX 2 9 [MIN 4 7 ] 0 ]"
>>> evaluate(e), parse_listops(e).size(), listops_expression(parse_listops(e)) == e
(9, 9, True)
"""
from __future__ import annotations

import random
import statistics
from collections.abc import Iterable
from pathlib import Path

from .trees import Tree, _clip, _require_file

__all__ = [
    "LISTOPS_OPERATORS", "generate_listops", "evaluate", "parse_listops", "listops_expression", "read_listops_tsv",
    "write_listops_tsv",
]


LISTOPS_OPERATORS = ("[MAX", "[MIN", "[MED", "[SM")
"""The ListOps operator tokens: maximum, minimum, median and sum modulo 10."""
_CLOSE = "]"
_MEDIANS = ("low", "numpy")


def _apply(op: str, args: list[int], median: str) -> int:
    if op == "[MAX":
        return max(args)
    if op == "[MIN":
        return min(args)
    if op == "[SM":
        return sum(args) % 10
    if median == "low":
        return int(statistics.median_low(args))
    return int(statistics.median(args))  # mean of the two middle values, truncated, like int(numpy.median)


def parse_listops(expression: str, *, median: str = "low") -> Tree:
    """Parse a ListOps expression into a :class:`Tree` whose labels are the values of the subexpressions.

    Format: tokens separated by whitespace; an operator token (``[MAX``, ``[MIN``, ``[MED``,
    ``[SM``) opens a list, ``]`` closes it, and the arguments are digits ``0``-``9`` or nested
    lists, e.g. ``[MAX 2 9 [MIN 4 7 ] 0 ]`` (= 9). Parentheses tokens ``(`` and ``)``, which
    the published data files use to spell out a binarization, are ignored.

    Tree layout (made for a child-sum Tree-LSTM, whose cells take any number of children):

    - every list is an internal node (``word=None``) labelled with its value;
    - its children are the operator token as a leaf (``word="[MAX"``, ``label=None``) first,
      then its arguments in order; the ``]`` token is not part of the tree;
    - a digit is a leaf with ``word="7"`` and ``label=7``.

    So a list with *k* arguments adds ``2`` nodes plus its arguments' nodes, and
    ``[MAX 2 9 [MIN 4 7 ] 0 ]`` has 9 nodes and depth 3.

    Parameters
    ----------
    expression : str
        The expression.
    median : {"low", "numpy"}
        How ``[MED`` of an even number of values is computed: ``"low"`` (default) takes the
        lower of the two middle values (``statistics.median_low``); ``"numpy"`` takes their
        mean truncated to an integer (``int(numpy.median(values))``), the convention of some
        published ListOps files -- use it to check labels read with :func:`read_listops_tsv`.

    Raises
    ------
    ValueError
        On an unknown token, an unmatched ``]``, an unclosed or empty list, or text after
        the end of the expression; the message names the token position.
    """
    if median not in _MEDIANS:
        raise ValueError(f"median must be one of {_MEDIANS}. Received: {median!r}")
    tokens = [t for t in expression.split() if t not in ("(", ")")]

    def fail(message: str, pos: int) -> ValueError:
        tok = f" ({tokens[pos]!r})" if pos < len(tokens) else ""
        return ValueError(f"ListOps: {message} at token {pos}{tok}. Received: {_clip(expression)!r}")

    root: Tree | None = None
    frames: list[tuple[Tree, list[int]]] = []  # open lists and the values of their arguments
    for pos, tok in enumerate(tokens):
        if tok == _CLOSE:
            if not frames:
                raise fail("']' without an open list", pos)
            node, args = frames.pop()
            if not args:
                raise fail("a list needs at least one argument", pos)
            node.label = _apply(node.children[0].word, args, median)
            if frames:
                frames[-1][1].append(node.label)
            continue
        if tok in LISTOPS_OPERATORS:
            node = Tree(None, None, [Tree(None, tok)])
        elif len(tok) == 1 and tok.isdigit():
            node = Tree(int(tok), tok)
        else:
            raise fail(f"unknown token; expected a digit, ']' or one of {LISTOPS_OPERATORS}", pos)
        if frames:
            frames[-1][0].children.append(node)
            if node.label is not None:
                frames[-1][1].append(node.label)
        elif root is None:
            root = node
        else:
            raise fail("text after the end of the expression", pos)
        if tok in LISTOPS_OPERATORS:
            frames.append((node, []))
    if frames:
        raise fail(f"{len(frames)} list(s) not closed with ']'", len(tokens))
    if root is None:
        raise fail("empty expression", 0)
    return root


def evaluate(expression: str, *, median: str = "low") -> int:
    """The integer value (0-9) of a ListOps expression; see :func:`parse_listops` for the format.

    >>> evaluate("[SM 5 [MED 1 8 3 ] 9 ]")
    7
    """
    return parse_listops(expression, median=median).label


def listops_expression(tree: Tree) -> str:
    """The expression string of a tree made by :func:`parse_listops` (its inverse)."""
    out: list[str] = []
    stack: list[Tree | str] = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif item.children:
            stack.append(_CLOSE)
            stack.extend(reversed(item.children))
        else:
            out.append(str(item.word))
    return " ".join(out)


def _spread(total: int, parts: int, cap: int, mode: str, rng: random.Random) -> list[int]:
    """``parts`` integers in ``[0, cap]`` summing to ``total`` (``total <= parts * cap``).

    ``mode``: ``"even"`` (as equal as possible), ``"concentrated"`` (fill one part after
    another) or ``"random"`` (random proportions).
    """
    out = [0] * parts
    if mode == "concentrated":
        order = list(range(parts))
        rng.shuffle(order)
        for i in order:
            out[i] = min(cap, total)
            total -= out[i]
        return out
    weights = [1.0] * parts if mode == "even" else [rng.random() + 1e-9 for _ in range(parts)]
    scale = total / sum(weights)
    out = [min(cap, int(w * scale)) for w in weights]
    left = total - sum(out)
    order = list(range(parts))
    while left > 0:
        rng.shuffle(order)
        for i in order:
            if left and out[i] < cap:
                out[i] += 1
                left -= 1
    return out


class _ListOpsBuilder:
    """Builds one expression of an exact tree size (see :func:`parse_listops` for how nodes are counted)."""

    def __init__(self, rng: random.Random, max_args: int, max_depth: int, median: str):
        self.rng, self.max_args, self.median = rng, max_args, median
        # caps[d]: the largest list that nests at most d lists deep (caps[0] = 0: no list fits).
        self.caps = [0, 2 + max_args]
        for _ in range(max_depth - 1):
            self.caps.append(2 + max_args * self.caps[-1])

    def build(self, size: int, levels: int, style: str) -> tuple[list[str], int] | None:
        """Tokens and value of a list of ``size`` nodes nesting at most ``levels`` deep, or None."""
        rng = self.rng
        sizes = self._argument_sizes(size - 2, levels, style)
        if sizes is None:
            return None
        op = rng.choice(LISTOPS_OPERATORS)
        tokens, values = [op], []
        for s in sizes:
            if s == 1:
                digit = rng.randrange(10)
                tokens.append(str(digit))
                values.append(digit)
            else:
                sub = self.build(s, levels - 1, style)
                if sub is None:
                    return None
                tokens.extend(sub[0])
                values.append(sub[1])
        tokens.append(_CLOSE)
        return tokens, _apply(op, values, self.median)

    def _argument_sizes(self, total: int, levels: int, style: str) -> list[int] | None:
        # k arguments: digits are 1 node, a nested list 4..caps[levels - 1] nodes (3.. "extra" nodes).
        room = self.caps[levels - 1] - 1  # most extra nodes one nested argument can take
        options = []
        for k in range(2, self.max_args + 1):
            extra = total - k
            if extra < 0:
                break
            if extra == 0:
                options.append((k, 0, 0))
            elif room >= 3:
                lo, hi = max(1, -(-extra // room)), min(k, extra // 3)
                if lo <= hi:
                    options.append((k, lo, hi))
        if not options:
            return None
        rng = self.rng
        if style == "bushy":  # many arguments, many of them nested, sizes even: shallow and wide
            k, lo, hi = options[-1] if rng.random() < 0.7 else rng.choice(options)
            nested, mode = hi, "even"
        elif style == "deep":  # few arguments, one nested list takes the rest: long chains
            k, lo, hi = options[0] if rng.random() < 0.7 else rng.choice(options)
            nested, mode = lo, "concentrated"
        else:
            k, lo, hi = rng.choice(options)
            nested, mode = rng.randint(lo, hi), "random"
        extra = total - k
        sizes = [1] * k
        if nested:
            extras = _spread(extra - 3 * nested, nested, room - 3, mode, rng)
            for slot, e in zip(rng.sample(range(k), nested), extras):
                sizes[slot] = 4 + e
        return sizes


_LISTOPS_STYLES = ("bushy", "deep", "random")


def generate_listops(n: int, min_nodes: int = 5, max_nodes: int = 40, max_args: int = 5, max_depth: int = 10,
                     seed: int = 0, *, median: str = "low") -> list[tuple[str, int]]:
    """``n`` random ListOps expressions with their values, deterministic in ``seed``.

    Each expression's size -- its node count as a :func:`parse_listops` tree, so between
    ``max(min_nodes, 4)`` and ``max_nodes`` -- is drawn uniformly first; then the expression
    is grown to exactly that size in one of three styles, drawn per expression with
    probabilities 1/4, 1/4, 1/2:

    - ``bushy``: many arguments per list, the budget split evenly among nested lists
      (shallow, wide trees);
    - ``deep``: two or three arguments per list, one nested list taking nearly all the rest
      (long unbalanced chains, up to ``max_depth`` lists deep);
    - ``random``: the argument count, the number of nested lists and their sizes uniform.

    Operators and digits are uniform; every list has 2 to ``max_args`` arguments. Values are
    spread over 0-9 (no value above ~25 %, see the tests).

    Parameters
    ----------
    n : int
        Number of expressions.
    min_nodes, max_nodes : int
        Size range (inclusive) in tree nodes.
    max_args : int
        Most arguments of one list (>= 2).
    max_depth : int
        Most nesting levels of lists (>= 1); ``[MAX 1 2 ]`` has one level.
    seed : int
        Seed of the private ``random.Random``; the global random state is untouched.
    median : {"low", "numpy"}
        How values of ``[MED`` are computed (see :func:`parse_listops`).

    Returns
    -------
    list of (str, int)
        ``(expression, value)`` pairs.

    >>> generate_listops(2, max_nodes=12, seed=3) == generate_listops(2, max_nodes=12, seed=3)
    True
    """
    if max_args < 2 or max_depth < 1:
        raise ValueError(f"need max_args >= 2 and max_depth >= 1. Received: max_args={max_args}, max_depth={max_depth}")
    if median not in _MEDIANS:
        raise ValueError(f"median must be one of {_MEDIANS}. Received: {median!r}")
    rng = random.Random(seed)
    builder = _ListOpsBuilder(rng, max_args, max_depth, median)
    lo, hi = max(min_nodes, 4), min(max_nodes, builder.caps[max_depth])
    if lo > hi:
        raise ValueError(f"no ListOps expression has between {min_nodes} and {max_nodes} nodes with max_args={max_args}, "
                         f"max_depth={max_depth} (possible sizes: 4 to {builder.caps[max_depth]}).")
    out = []
    for _ in range(n):
        for _attempt in range(200):
            built = builder.build(rng.randint(lo, hi), max_depth, rng.choices(_LISTOPS_STYLES, (1, 1, 2))[0])
            if built is not None:
                break
        else:
            raise ValueError(f"could not build expressions of {lo} to {hi} nodes with max_args={max_args}, "
                             f"max_depth={max_depth}; widen the size range or raise max_args.")
        out.append((" ".join(built[0]), built[1]))
    return out


_LISTOPS_HINT = ("Put a ListOps TSV file there: one example per line, 'value<TAB>expression' (the original "
                 "release), or with a 'Source<TAB>Target' header (the Long Range Arena release); "
                 "write_listops_tsv(path, generate_listops(n)) makes one.")


def read_listops_tsv(path: str | Path) -> list[tuple[str, int]]:
    """Read a ListOps TSV file into ``(expression, value)`` pairs.

    Two layouts are understood: lines ``value<TAB>expression`` without a header (the
    original release), and a header naming the columns ``Source`` (expression) and
    ``Target`` (value) in either order (e.g. the Long Range Arena release). Without a
    header, the column holding an integer is taken as the value. Blank lines are skipped.

    Raises
    ------
    FileNotFoundError
        If ``path`` is not a file.
    ValueError
        On a line without two tab-separated columns or a non-integer value (names the line).
    """
    path = _require_file(path, "ListOps file", _LISTOPS_HINT)
    rows: list[tuple[str, int]] = []
    order: tuple[int, int] | None = None  # (value column, expression column)
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            cols = line.split("\t")
            if len(cols) != 2:
                raise ValueError(f"{path}, line {number}: expected 2 tab-separated columns, found {len(cols)}. "
                                 f"Received: {_clip(line)!r}")
            if order is None:
                names = [c.strip().lower() for c in cols]
                if sorted(names) == ["source", "target"]:
                    order = (names.index("target"), names.index("source"))
                    continue
                order = (1, 0) if cols[1].strip().isdigit() and not cols[0].strip().isdigit() else (0, 1)
            value, expression = cols[order[0]].strip(), cols[order[1]].strip()
            try:
                rows.append((expression, int(value)))
            except ValueError:
                raise ValueError(f"{path}, line {number}: the value column holds {value!r}, not an integer. "
                                 f"Received: {_clip(line)!r}") from None
    return rows


def write_listops_tsv(path: str | Path, examples: Iterable[tuple[str, int]], *, header: bool = False) -> None:
    """Write ``(expression, value)`` pairs as a ListOps TSV file.

    ``header=False`` writes the original layout, ``value<TAB>expression`` per line;
    ``header=True`` writes a ``Source<TAB>Target`` header and ``expression<TAB>value`` lines.
    """
    with Path(path).open("w", encoding="utf-8") as f:
        if header:
            f.write("Source\tTarget\n")
        for expression, value in examples:
            f.write(f"{expression}\t{value}\n" if header else f"{value}\t{expression}\n")
