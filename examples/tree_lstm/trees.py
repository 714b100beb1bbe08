"""Trees for the Tree-LSTM examples: the Tree type, binarizations, a tokenizer, a vocabulary, random trees.

Plain Python (standard library only): nothing here imports gluonic, so the data side can be
tested and reused on its own. Everything that walks a tree does so with an explicit stack,
so deep (e.g. fully left-branching) trees never hit Python's recursion limit.

Contents
--------
- :class:`Tree` -- a labelled ordered tree; leaves carry a ``word`` (a token string or a
  token id), internal nodes have ``word=None``.
- Binary trees over a token list: :func:`right_branching`, :func:`left_branching`,
  :func:`balanced`; :func:`tokenize` splits a sentence into tokens.
- :class:`Vocab` -- token <-> id with ``<pad>`` = 0 and ``<unk>`` = 1.
- :func:`random_trees` -- synthetic full binary trees for benchmarks.

The data sets live beside this module: ListOps in :mod:`.listops`, the SST (PTB-style
trees) and SICK (sentence pairs) readers in :mod:`.treebanks`.

>>> t = balanced(tokenize("It's a lark"), label=3)
>>> t.size(), t.depth(), t.words()
(7, 3, ['it', "'s", 'a', 'lark'])
"""
from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Tree", "tokenize", "right_branching", "left_branching", "balanced", "Vocab", "random_trees"]

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


# -------------------------------------------------------------------------- binarizations, tokenize

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

    >>> v = Vocab.from_trees([balanced(["a", "b", "a"])])
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
