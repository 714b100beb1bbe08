"""Readers of the tree banks used with Tree-LSTMs: SST (PTB-style sentiment trees) and SICK (sentence pairs).

Plain Python (standard library only), like :mod:`.trees`.

- :func:`parse_ptb` -- one PTB-style bracketed tree into a :class:`~.trees.Tree`;
- :func:`parse_sst`, :func:`read_sst` -- Stanford Sentiment Treebank split files;
- :func:`read_sick` -- SICK sentence pairs (:class:`SickPair`); SICK has no trees, build them
  with :func:`~.trees.tokenize` and a binarization from :mod:`.trees`.

Nothing is downloaded: the readers take a local path and raise ``FileNotFoundError`` that
says what file to put there.

>>> t = parse_ptb("(3 (2 It) (4 (2 's) (3 (2 a) (3 lark))))")
>>> t.size(), t.depth(), t.words()
(7, 4, ['It', "'s", 'a', 'lark'])
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from .trees import Tree, _clip, _require_file

__all__ = ["parse_ptb", "parse_sst", "read_sst", "SickPair", "SICK_LABELS", "read_sick"]


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
