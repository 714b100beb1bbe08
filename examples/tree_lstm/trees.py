"""Trees and tree data sets for the Tree-LSTM examples: ListOps, SST, SICK and random trees.

Plain Python (standard library only): nothing here imports gluonic, so the data side can be
tested and reused on its own. Everything that walks a tree does so with an explicit stack,
so deep (e.g. fully left-branching) trees never hit Python's recursion limit.

Contents
--------
- :class:`Tree` -- a labelled ordered tree; leaves carry a ``word`` (a token string or a
  token id), internal nodes have ``word=None``.
- ListOps (Nangia & Bowman, 2018): :func:`generate_listops`, :func:`evaluate`,
  :func:`parse_listops`, :func:`listops_expression`, :func:`read_listops_tsv`,
  :func:`write_listops_tsv`.
- SST (PTB-style sentiment trees): :func:`parse_ptb`, :func:`parse_sst`, :func:`read_sst`.
- SICK (sentence pairs): :func:`read_sick`, :func:`tokenize`, :func:`right_branching`,
  :func:`left_branching`, :func:`balanced`.
- :class:`Vocab` -- token <-> id with ``<pad>`` = 0 and ``<unk>`` = 1.
- :func:`random_trees` -- synthetic full binary trees for benchmarks.

Nothing is downloaded: the readers take a local path and raise ``FileNotFoundError`` that
says what file to put there.

>>> t = parse_ptb("(3 (2 It) (4 (2 's) (3 (2 a) (3 lark))))")
>>> t.size(), t.depth(), t.words()
(7, 4, ['It', "'s", 'a', 'lark'])
>>> e = "[MAX 2 9 [MIN 4 7 ] 0 ]"
>>> evaluate(e), parse_listops(e).size(), listops_expression(parse_listops(e)) == e
(9, 9, True)
"""
from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "Tree", "LISTOPS_OPERATORS", "generate_listops", "evaluate", "parse_listops", "listops_expression",
    "read_listops_tsv", "write_listops_tsv", "parse_ptb", "parse_sst", "read_sst", "SickPair", "SICK_LABELS",
    "read_sick", "tokenize", "right_branching", "left_branching", "balanced", "Vocab", "random_trees",
]

Word = str | int | None


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _require_file(path: str | Path, what: str, hint: str) -> Path:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{what} not found: {path}. {hint}")
    return path


# --------------------------------------------------------------------------------------------- Tree


@dataclass(eq=False, repr=False)
class Tree:
    """An ordered tree node.

    Parameters
    ----------
    label : int, float or None
        The node's target (SST sentiment class, ListOps value, ...); ``None`` when unlabelled.
    word : str, int or None
        The token at a leaf (a string, or an id after :meth:`Vocab.encode`); ``None`` for
        internal nodes.
    children : list of Tree
        Ordered children; empty for a leaf.
    """

    label: int | float | None = None
    word: Word = None
    children: list[Tree] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def nodes_postorder(self) -> list[Tree]:
        """All nodes, children (left to right) before their parent; the root is last.

        This is the order a bottom-up Tree-LSTM evaluates nodes in.
        """
        out: list[Tree] = []
        stack: list[tuple[Tree, bool]] = [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded or not node.children:
                out.append(node)
            else:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.children))
        return out

    def leaves(self) -> list[Tree]:
        """The leaf nodes, left to right."""
        out: list[Tree] = []
        stack = [self]
        while stack:
            node = stack.pop()
            if node.children:
                stack.extend(reversed(node.children))
            else:
                out.append(node)
        return out

    def words(self) -> list[str | int]:
        """The leaves' words, left to right (leaves without a word are skipped)."""
        return [leaf.word for leaf in self.leaves() if leaf.word is not None]

    def size(self) -> int:
        """The number of nodes (leaves and internal nodes)."""
        count, stack = 0, [self]
        while stack:
            node = stack.pop()
            count += 1
            stack.extend(node.children)
        return count

    def depth(self) -> int:
        """The number of levels: nodes on the longest root-to-leaf path (a single leaf has depth 1).

        A level-by-level (folded) Tree-LSTM needs this many sequential steps.
        """
        best, stack = 0, [(self, 1)]
        while stack:
            node, d = stack.pop()
            best = max(best, d)
            stack.extend((child, d + 1) for child in node.children)
        return best

    def map_words(self, fn: Callable[[Word], Word]) -> Tree:
        """A copy with ``fn`` applied to every non-``None`` word."""
        return self._copy(fn, None)

    def map_labels(self, fn: Callable[[int | float | None], int | float | None]) -> Tree:
        """A copy with ``fn`` applied to every label (``None`` included)."""
        return self._copy(None, fn)

    def _copy(self, word_fn, label_fn) -> Tree:
        def clone(node: Tree) -> Tree:
            word = node.word if word_fn is None or node.word is None else word_fn(node.word)
            label = node.label if label_fn is None else label_fn(node.label)
            return Tree(label, word, [])

        root = clone(self)
        stack = [(self, root)]
        while stack:
            src, dst = stack.pop()
            for child in src.children:
                new = clone(child)
                dst.children.append(new)
                stack.append((child, new))
        return root

    def to_ptb(self) -> str:
        """The tree in PTB bracket form, ``(label word)`` or ``(label child ...)``; ``None`` labels print as ``_``.

        :func:`parse_ptb` reads it back.
        """
        parts: list[str] = []
        stack: list[Tree | str] = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, str):  # a closing bracket
                parts[-1] += item
                continue
            label = "_" if item.label is None else str(item.label)
            if item.children:
                parts.append(f"({label}")
                stack.append(")")
                stack.extend(reversed(item.children))
            else:
                parts.append(f"({label})" if item.word is None else f"({label} {item.word})")
        return " ".join(parts)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tree):
            return NotImplemented
        stack = [(self, other)]
        while stack:
            a, b = stack.pop()
            if a.label != b.label or a.word != b.word or len(a.children) != len(b.children):
                return False
            stack.extend(zip(a.children, b.children))
        return True

    __hash__ = None  # mutable

    def __repr__(self) -> str:
        text = self.to_ptb()
        if len(text) <= 100:
            return f"Tree({text})"
        return f"Tree({text[:80]} ... size={self.size()}, depth={self.depth()})"


def _binary_tree(leaves: list[Tree], shape: str, rng: random.Random | None = None) -> Tree:
    """Join ``leaves`` (left to right) into a full binary tree of the given shape.

    ``shape``: ``"balanced"`` (the left half gets the extra leaf), ``"left"`` (left-branching,
    ``((a b) c)``), ``"right"`` (right-branching, ``(a (b c))``) or ``"random"`` (uniform split
    point at every node; needs ``rng``).
    """
    if not leaves:
        raise ValueError("cannot build a tree from zero tokens. Received: []")
    root = Tree()
    stack = [(root, 0, len(leaves))]
    while stack:
        node, lo, hi = stack.pop()
        if hi - lo == 1:
            node.label, node.word, node.children = leaves[lo].label, leaves[lo].word, leaves[lo].children
            continue
        if shape == "balanced":
            mid = lo + (hi - lo + 1) // 2
        elif shape == "left":
            mid = hi - 1
        elif shape == "right":
            mid = lo + 1
        elif shape == "random":
            mid = rng.randint(lo + 1, hi - 1)
        else:
            raise ValueError(f"unknown tree shape {shape!r}; use 'balanced', 'left', 'right' or 'random'.")
        left, right = Tree(), Tree()
        node.children = [left, right]
        stack.append((right, mid, hi))
        stack.append((left, lo, mid))
    return root


# ------------------------------------------------------------------------------------------ ListOps

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


# ---------------------------------------------------------------------------------------- PTB / SST

_PTB_TOKEN = re.compile(r"\(|\)|[^\s()]+")
_LABEL_MODES = ("int", "number", "ignore")


def _parse_label(tok: str, mode: str) -> int | float | None:
    if mode == "ignore" or tok == "_":
        return None
    try:
        return int(tok)
    except ValueError:
        if mode == "number":
            return float(tok)
        raise


def parse_ptb(text: str, *, labels: str = "int", line_number: int | None = None) -> Tree:
    """Parse one PTB-style bracketed tree, e.g. SST's ``(3 (2 It) (4 (2 's) (3 (2 a) (3 lark))))``.

    Every node is ``(label word)`` (a leaf) or ``(label child child ...)``. Labels become
    ``Tree.label``; ``_`` means no label.

    Parameters
    ----------
    text : str
        The tree (one line; surrounding whitespace is ignored).
    labels : {"int", "number", "ignore"}
        ``"int"`` (SST): labels must be integers; ``"number"``: integers or floats;
        ``"ignore"``: labels are read and dropped (``None``), e.g. for constituency parses
        labelled ``NP``, ``VP`` -- the way to feed your own parses of SICK sentences.
    line_number : int, optional
        Named in error messages.

    Raises
    ------
    ValueError
        On unbalanced brackets, a missing or non-numeric label, a node with two words, or
        text after the tree; the message names the line (if given) and the token position.
    """
    if labels not in _LABEL_MODES:
        raise ValueError(f"labels must be one of {_LABEL_MODES}. Received: {labels!r}")
    toks = _PTB_TOKEN.findall(text)
    where = f"line {line_number}: " if line_number is not None else ""

    def fail(message: str, pos: int) -> ValueError:
        return ValueError(f"PTB tree {where}{message} at token {pos}. Received: {_clip(text.strip())!r}")

    root: Tree | None = None
    stack: list[Tree] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok == ")":
            if not stack:
                raise fail("unbalanced ')'", i)
            stack.pop()
            i += 1
            continue
        if tok != "(":
            raise fail(f"expected '(' or ')', found the word {tok!r}", i)
        if root is not None and not stack:
            raise fail("text after the end of the tree", i)
        if i + 1 >= len(toks) or toks[i + 1] in ("(", ")"):
            raise fail("expected a label after '('", i + 1)
        try:
            node = Tree(_parse_label(toks[i + 1], labels))
        except ValueError:
            raise fail(f"label {toks[i + 1]!r} is not a number (labels='ignore' drops category labels "
                       "such as NP)", i + 1) from None
        if stack:
            stack[-1].children.append(node)
        else:
            root = node
        stack.append(node)
        i += 2
        if i < len(toks) and toks[i] not in ("(", ")"):
            node.word = toks[i]
            i += 1
            if i >= len(toks) or toks[i] != ")":
                raise fail("expected ')' after the word of a leaf", i)
    if stack:
        raise fail(f"{len(stack)} unclosed '('", len(toks))
    if root is None:
        raise fail("empty tree", 0)
    return root


def _sentiment_to_binary(label: int | float | None) -> int | None:
    if label is None or label == 2:
        return None
    if label in (0, 1):
        return 0
    if label in (3, 4):
        return 1
    raise ValueError(f"SST labels are 0-4. Received: {label!r}")


def parse_sst(lines: str | Iterable[str], *, binary: bool = False) -> list[Tree]:
    """Parse SST trees, one per line (blank lines skipped).

    Fine-grained (default): every node keeps its label 0-4 (very negative .. very positive).
    ``binary=True``: labels 0, 1 become 0 (negative), 3, 4 become 1 (positive), 2 becomes
    ``None`` (no target) at every node, and sentences whose root is neutral (2) are dropped
    -- the usual binary SST setup.

    Raises
    ------
    ValueError
        On a malformed line, naming its line number (1-based).
    """
    if isinstance(lines, str):
        lines = lines.splitlines()
    trees = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        tree = parse_ptb(line, line_number=number)
        if binary:
            if tree.label == 2:
                continue
            try:
                tree = tree.map_labels(_sentiment_to_binary)
            except ValueError as err:
                raise ValueError(f"SST line {number}: {err}") from None
        trees.append(tree)
    return trees


def read_sst(path: str | Path, *, binary: bool = False) -> list[Tree]:
    """Read an SST split file (``train.txt``, ``dev.txt`` or ``test.txt``) with :func:`parse_sst`."""
    path = _require_file(path, "SST file", "Put the Stanford Sentiment Treebank PTB trees there: unpack "
                         "trainDevTestTrees_PTB.zip (https://nlp.stanford.edu/sentiment/) and pass "
                         "trees/train.txt, trees/dev.txt or trees/test.txt.")
    with path.open(encoding="utf-8") as f:
        return parse_sst(f, binary=binary)


# --------------------------------------------------------------------------------------------- SICK

SICK_LABELS = ("NEUTRAL", "ENTAILMENT", "CONTRADICTION")
"""The SICK entailment classes, in the order used as class ids."""


class SickPair(NamedTuple):
    """One SICK sentence pair: relatedness in [1, 5] and an entailment class from :data:`SICK_LABELS`."""

    pair_id: str
    sentence_a: str
    sentence_b: str
    relatedness: float
    entailment: str
    split: str | None  # TRAIN / TRIAL / TEST from SICK.txt's SemEval_set column; None without it


def read_sick(path: str | Path, *, split: str | None = None) -> list[SickPair]:
    """Read SICK sentence pairs from a tab-separated file with a header line.

    Works with the full ``SICK.txt`` (columns ``pair_ID, sentence_A, sentence_B,
    entailment_label, relatedness_score, ..., SemEval_set``) and the SemEval-2014 split files
    ``SICK_train.txt``/``SICK_trial.txt``/``SICK_test_annotated.txt`` (``pair_ID, sentence_A,
    sentence_B, relatedness_score, entailment_judgment``): columns are found by header name.

    SICK has no trees. The Tree-LSTM paper (Tai et al., 2015) used dependency (child-sum)
    and constituency (binary) parses of the sentences; without a parser, build trees from
    :func:`tokenize` with :func:`right_branching` or :func:`balanced`, or parse your own
    parses written in PTB form with ``parse_ptb(line, labels="ignore")``.

    Parameters
    ----------
    path : str or Path
        The file.
    split : str, optional
        Keep only pairs of this ``SemEval_set`` (``"TRAIN"``, ``"TRIAL"``, ``"TEST"``; any case).

    Raises
    ------
    FileNotFoundError
        If ``path`` is not a file.
    ValueError
        On a missing column, a short row or a bad score (naming the line), or ``split`` for
        a file without ``SemEval_set``.
    """
    path = _require_file(path, "SICK file", "Put the SICK corpus there (Marelli et al., 2014): SICK.txt, or the "
                         "SemEval-2014 task 1 files SICK_train.txt / SICK_trial.txt / SICK_test_annotated.txt.")
    with path.open(encoding="utf-8") as f:
        lines = [line.rstrip("\r\n") for line in f]
    if not lines:
        raise ValueError(f"{path}: empty file; expected a header line such as 'pair_ID<TAB>sentence_A<TAB>...'.")
    header = [h.strip() for h in lines[0].split("\t")]
    label_column = next((c for c in ("entailment_judgment", "entailment_label") if c in header), None)
    needed = ["pair_ID", "sentence_A", "sentence_B", "relatedness_score"]
    missing = [c for c in needed if c not in header] + ([] if label_column else ["entailment_judgment"])
    if missing:
        raise ValueError(f"{path}: the header lacks column(s) {missing}. Received header: {header}")
    idx = {name: header.index(name) for name in [*needed, label_column]}
    split_idx = header.index("SemEval_set") if "SemEval_set" in header else None
    if split is not None and split_idx is None:
        raise ValueError(f"{path} has no SemEval_set column, so split={split!r} cannot be applied; "
                         "use the split's own file instead.")
    pairs = []
    for number, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) < len(header):
            raise ValueError(f"{path}, line {number}: expected {len(header)} tab-separated columns, found "
                             f"{len(cols)}. Received: {_clip(line)!r}")
        set_name = cols[split_idx].strip() if split_idx is not None else None
        if split is not None and set_name.upper() != split.upper():
            continue
        try:
            score = float(cols[idx["relatedness_score"]])
        except ValueError:
            raise ValueError(f"{path}, line {number}: relatedness_score {cols[idx['relatedness_score']]!r} is "
                             f"not a number. Received: {_clip(line)!r}") from None
        pairs.append(SickPair(cols[idx["pair_ID"]].strip(), cols[idx["sentence_A"]].strip(),
                              cols[idx["sentence_B"]].strip(), score, cols[idx[label_column]].strip().upper(),
                              set_name))
    return pairs


_WORD = re.compile(r"n't|'(?:s|re|ve|ll|d|m)\b|\w+(?=n't)|\w+|[^\w\s]", re.IGNORECASE)


def tokenize(sentence: str, *, lower: bool = True) -> list[str]:
    """Split a sentence into PTB-like tokens: words, clitics (``n't``, ``'s``, ...) and punctuation.

    Deterministic and dependency-free; a stand-in for a real tokenizer.

    >>> tokenize("The man isn't playing a guitar.")
    ['the', 'man', 'is', "n't", 'playing', 'a', 'guitar', '.']
    """
    return _WORD.findall(sentence.lower() if lower else sentence)


def _leaves(tokens: Sequence[Word]) -> list[Tree]:
    return [Tree(None, tok) for tok in tokens]


def right_branching(tokens: Sequence[Word], *, label: int | float | None = None) -> Tree:
    """A binary right-branching tree over ``tokens``: ``(a (b (c d)))``; ``label`` goes on the root.

    Leaves carry the tokens, internal nodes ``word=None``; all labels but the root's are ``None``.
    """
    tree = _binary_tree(_leaves(tokens), "right")
    tree.label = label
    return tree


def left_branching(tokens: Sequence[Word], *, label: int | float | None = None) -> Tree:
    """A binary left-branching tree over ``tokens``: ``(((a b) c) d)``; ``label`` goes on the root."""
    tree = _binary_tree(_leaves(tokens), "left")
    tree.label = label
    return tree


def balanced(tokens: Sequence[Word], *, label: int | float | None = None) -> Tree:
    """A balanced binary tree over ``tokens`` (depth ``ceil(log2 n) + 1``); ``label`` goes on the root.

    >>> balanced(["a", "b", "c"]).to_ptb()
    '(_ (_ (_ a) (_ b)) (_ c))'
    """
    tree = _binary_tree(_leaves(tokens), "balanced")
    tree.label = label
    return tree


# -------------------------------------------------------------------------------------------- Vocab


class Vocab:
    """Token <-> id mapping with ``<pad>`` = 0 and ``<unk>`` = 1, then tokens by falling frequency.

    Ties are broken alphabetically, so the ids depend only on the token counts.

    Parameters
    ----------
    tokens : iterable of str
        The corpus (with repeats; counts decide the order).
    min_freq : int
        Tokens seen fewer times map to ``<unk>``.
    max_size : int, optional
        Most entries, the two special tokens included.

    >>> v = Vocab.from_trees([parse_ptb("(1 (2 a) (3 (2 b) (2 a)))")])
    >>> v.idx_to_token, v["a"], v["zebra"], v[["b", "a"]]
    (['<pad>', '<unk>', 'a', 'b'], 2, 1, [3, 2])
    """

    PAD = "<pad>"
    UNK = "<unk>"
    pad_id = 0
    unk_id = 1

    def __init__(self, tokens: Iterable[str] = (), *, min_freq: int = 1, max_size: int | None = None):
        counts = Counter(tokens)
        for tok in counts:
            if not isinstance(tok, str):
                raise TypeError(f"Vocab takes string tokens. Received: {tok!r} of type {type(tok).__name__}")
        kept = sorted((t for t, c in counts.items() if c >= min_freq and t not in (self.PAD, self.UNK)),
                      key=lambda t: (-counts[t], t))
        if max_size is not None:
            kept = kept[: max(0, max_size - 2)]
        self.idx_to_token: list[str] = [self.PAD, self.UNK, *kept]
        self.token_to_idx: dict[str, int] = {t: i for i, t in enumerate(self.idx_to_token)}

    @classmethod
    def from_trees(cls, trees: Iterable[Tree], *, min_freq: int = 1, max_size: int | None = None) -> Vocab:
        """A vocabulary of the leaf words of ``trees``."""
        return cls((w for tree in trees for w in tree.words()), min_freq=min_freq, max_size=max_size)

    def __len__(self) -> int:
        return len(self.idx_to_token)

    def __contains__(self, token: object) -> bool:
        return token in self.token_to_idx

    def __getitem__(self, tokens: str | Sequence[str]) -> int | list[int]:
        """The id of a token (``<unk>``'s for unknown ones), or a list of ids for a list of tokens."""
        if isinstance(tokens, str):
            return self.token_to_idx.get(tokens, self.unk_id)
        return [self.token_to_idx.get(t, self.unk_id) for t in tokens]

    def to_tokens(self, ids: int | Sequence[int]) -> str | list[str]:
        """The token of an id, or the tokens of a list of ids."""
        if isinstance(ids, int):
            return self.idx_to_token[ids]
        return [self.idx_to_token[i] for i in ids]

    def encode(self, tree: Tree) -> Tree:
        """A copy of ``tree`` whose leaf words are ids."""
        return tree.map_words(self.__getitem__)

    def __repr__(self) -> str:
        return f"Vocab(size={len(self)})"


# ------------------------------------------------------------------------------------- random trees

_SHAPES = ("balanced", "left", "right", "random")
_MIXED_WEIGHTS = (1, 1, 1, 2)


def random_trees(n: int, min_nodes: int = 5, max_nodes: int = 40, vocab_size: int = 5000, seed: int = 0,
                 shape: str = "mixed", *, num_classes: int | None = 5) -> list[Tree]:
    """``n`` random full binary trees with word ids at the leaves, for benchmarks; deterministic in ``seed``.

    Node counts: every internal node has two children, so a tree with *L* leaves has
    ``2L - 1`` nodes; *L* is uniform over the values that put the node count in
    ``[min_nodes, max_nodes]``, i.e. node counts are uniform over the odd numbers in that
    range (defaults: 5, 7, ..., 39; mean 22).

    Shapes (``shape``): ``"balanced"`` (depth ``ceil(log2 L) + 1``), ``"left"`` / ``"right"``
    (branching chains, depth ``L``), ``"random"`` (uniform split point at every node; depth
    about ``2 ln L`` to ``4 ln L``) or ``"mixed"`` (default; per tree: balanced, left, right,
    random with probabilities 1/5, 1/5, 1/5, 2/5), which gives a realistic spread of depths
    for one batch, from ``log2 L`` to ``L``.

    Word ids are drawn Zipf-like (probability ~ 1 / rank) from ``2 .. vocab_size - 1``; ids
    0 and 1 are left for ``<pad>`` and ``<unk>`` as in :class:`Vocab`. Each node gets a label
    uniform in ``0 .. num_classes - 1`` (``None`` when ``num_classes`` is None).

    >>> [t.size() for t in random_trees(4, seed=1)] == [t.size() for t in random_trees(4, seed=1)]
    True
    """
    if shape != "mixed" and shape not in _SHAPES:
        raise ValueError(f"shape must be 'mixed' or one of {_SHAPES}. Received: {shape!r}")
    if vocab_size < 3:
        raise ValueError(f"vocab_size must be at least 3 (ids 0 and 1 are <pad> and <unk>). Received: {vocab_size}")
    lo, hi = max(1, (min_nodes + 2) // 2), (max_nodes + 1) // 2  # leaf counts with 2L - 1 in range
    if lo > hi:
        raise ValueError(f"no full binary tree has between {min_nodes} and {max_nodes} nodes (sizes are odd).")
    rng = random.Random(seed)
    ranks = range(2, vocab_size)
    cum_weights, total = [], 0.0
    for r in range(1, vocab_size - 1):
        total += 1.0 / r
        cum_weights.append(total)
    trees = []
    for _ in range(n):
        n_leaves = rng.randint(lo, hi)
        tree_shape = rng.choices(_SHAPES, _MIXED_WEIGHTS)[0] if shape == "mixed" else shape
        words = rng.choices(ranks, cum_weights=cum_weights, k=n_leaves)
        tree = _binary_tree(_leaves(words), tree_shape, rng)
        if num_classes is not None:
            for node in tree.nodes_postorder():
                node.label = rng.randrange(num_classes)
        trees.append(tree)
    return trees
