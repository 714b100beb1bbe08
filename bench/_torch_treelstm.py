"""Pure-PyTorch child-sum Tree-LSTM baselines for the folding benchmark (no gluonic import).

Two programs compute the same thing on a batch of trees:

* ``per_node_step`` -- the naive program folding starts from: a recursion that runs a few small
  matmuls at every node;
* ``hand_batched_step`` -- the practical upper bound: nodes grouped by height, each height done
  with a handful of large ops.

Model (Tai et al. 2015, child-sum variant), for a node with input ``x`` and children ``k``::

    h~  = sum_k h_k
    i, o, u = sigmoid, sigmoid, tanh of  W_iou x + U_iou h~      (W_iou carries the bias)
    f_k = sigmoid(W_f x + U_f h_k)                               (one forget gate per child)
    c   = i * u + sum_k f_k * c_k
    h   = o * tanh(c)

A leaf has no children, so ``h~ = 0`` and the sum over ``k`` is empty. Every node takes an input
``x``: its word's embedding when it has a word id, else a zero vector (so ``W_iou x`` is just the
bias). ``random_trees`` gives words to all nodes of dependency-style trees and only to the leaves
of constituency-style (binarised) trees, so both cases occur. The root's ``h`` goes through a
linear classifier; the loss is the mean softmax cross-entropy over the batch.

Run ``python bench/_torch_treelstm.py`` for a samples/s table.
"""
from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import torch
from torch import nn
from torch.nn import functional as F

VOCAB, EMBED, HIDDEN, CLASSES = 5000, 300, 150, 5


# ----------------------------------------------------------------------------------------- trees
@dataclass(eq=False, repr=False)
class BenchTree:
    """A tree node: a word id (``None`` for a node without a word), its children, and a class label
    (used only at the root)."""

    word: int | None
    children: list[BenchTree] = field(default_factory=list)
    label: int = 0

    def __repr__(self) -> str:  # not recursive: chains may be deep
        return f"BenchTree(word={self.word}, {len(self.children)} children, label={self.label}, size={self.size()})"

    def size(self) -> int:
        """Number of nodes."""
        return len(_postorder(self))

    def height(self) -> int:
        """1 for a leaf, else 1 + the largest child height."""
        height: dict[int, int] = {}
        for node in _postorder(self):
            height[id(node)] = 1 + max((height[id(c)] for c in node.children), default=0)
        return height[id(self)]


SHAPES = ("balanced", "left", "right", "random")


def random_trees(n: int, min_nodes: int = 5, max_nodes: int = 40, vocab: int = VOCAB, seed: int = 0,
                 classes: int = CLASSES) -> list[BenchTree]:
    """``n`` random trees with a realistic mix of depths.

    Each tree draws its node count uniformly from ``[min_nodes, max_nodes]``, a root label uniformly
    from ``range(classes)``, and one of four shapes with equal probability:

    * ``balanced`` -- a complete k-ary tree (k = 2 or 3, equally likely) filled in breadth-first
      order; height about log_k(nodes), 3-5 for 5-40 nodes. Every node has a word (dependency style).
    * ``left`` / ``right`` -- a binarised left- / right-branching comb, as constituency parsers
      produce: each internal node has the rest of the spine and one leaf as children; height about
      nodes / 2 (up to 21). Only leaves have words (internal phrase nodes have ``word=None``).
    * ``random`` -- a random recursive tree: node i attaches to a uniformly chosen earlier node;
      height about e * ln(nodes), typically 3-10. Every node has a word (dependency style).

    Words are uniform in ``range(vocab)``. The same ``seed`` gives the same trees.
    """
    if n < 0 or not 1 <= min_nodes <= max_nodes:
        raise ValueError(f"random_trees: need n >= 0 and 1 <= min_nodes <= max_nodes. "
                         f"Received: n={n}, min_nodes={min_nodes}, max_nodes={max_nodes}.")
    rng = random.Random(seed)
    trees = []
    for _ in range(n):
        nodes = rng.randint(min_nodes, max_nodes)
        shape = rng.choice(SHAPES)
        if shape == "balanced":
            tree = _complete_tree(nodes, rng.choice((2, 3)), rng, vocab)
        elif shape == "random":
            tree = _recursive_tree(nodes, rng, vocab)
        else:
            tree = _comb(nodes, shape == "left", rng, vocab)
        tree.label = rng.randrange(classes)
        trees.append(tree)
    return trees


def _complete_tree(n: int, k: int, rng: random.Random, vocab: int) -> BenchTree:
    nodes = [BenchTree(rng.randrange(vocab)) for _ in range(n)]
    for i in range(1, n):
        nodes[(i - 1) // k].children.append(nodes[i])
    return nodes[0]


def _recursive_tree(n: int, rng: random.Random, vocab: int) -> BenchTree:
    nodes = [BenchTree(rng.randrange(vocab))]
    for _ in range(1, n):
        node = BenchTree(rng.randrange(vocab))
        rng.choice(nodes).children.append(node)
        nodes.append(node)
    return nodes[0]


def _comb(n: int, left: bool, rng: random.Random, vocab: int) -> BenchTree:
    root = spine = BenchTree(None)
    remaining = n - 1
    while remaining >= 2:
        leaf, rest = BenchTree(rng.randrange(vocab)), BenchTree(None)
        spine.children = [rest, leaf] if left else [leaf, rest]
        spine, remaining = rest, remaining - 2
    if remaining:
        spine.children = [BenchTree(rng.randrange(vocab))]
    else:  # the spine ends in a leaf, and leaves carry words
        spine.word = rng.randrange(vocab)
    return root


def _postorder(tree: BenchTree) -> list[BenchTree]:
    """All nodes, every node after its children (reversed pre-order; no recursion, chains may be deep)."""
    order, stack = [], [tree]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(node.children)
    order.reverse()
    return order


# ----------------------------------------------------------------------------------------- model
class ChildSumTreeLSTM(nn.Module):
    """Child-sum Tree-LSTM with a root classifier (see the module docstring for the equations).

    Parameters: ``embed`` (vocab, embed_size); ``W_iou`` embed_size -> 3*hidden (with bias, gate
    order i, o, u); ``U_iou`` hidden -> 3*hidden (no bias); ``W_f`` embed_size -> hidden (with bias);
    ``U_f`` hidden -> hidden (no bias); ``classifier`` hidden -> classes. PyTorch's default
    initialization, drawn under ``torch.manual_seed(seed)`` (the global RNG state is restored after)
    unless ``seed`` is None.
    """

    def __init__(self, vocab: int = VOCAB, embed_size: int = EMBED, hidden: int = HIDDEN,
                 classes: int = CLASSES, seed: int | None = 0):
        super().__init__()
        gen_state = torch.random.get_rng_state()
        if seed is not None:
            torch.manual_seed(seed)
        self.hidden = hidden
        self.embed = nn.Embedding(vocab, embed_size)
        self.W_iou = nn.Linear(embed_size, 3 * hidden)
        self.U_iou = nn.Linear(hidden, 3 * hidden, bias=False)
        self.W_f = nn.Linear(embed_size, hidden)
        self.U_f = nn.Linear(hidden, hidden, bias=False)
        self.classifier = nn.Linear(hidden, classes)
        if seed is not None:
            torch.random.set_rng_state(gen_state)

    def cell(self, x: torch.Tensor, child_h: torch.Tensor | None,
             child_c: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor]:
        """One node: input ``x`` (E,), children's ``h`` and ``c`` (K, H) or ``None`` for a leaf
        -> ``(h, c)``, each (H,)."""
        if child_h is None:
            i, o, u = self.W_iou(x).chunk(3)
            c = torch.sigmoid(i) * torch.tanh(u)
        else:
            i, o, u = (self.W_iou(x) + self.U_iou(child_h.sum(0))).chunk(3)
            f = torch.sigmoid(self.W_f(x) + self.U_f(child_h))
            c = torch.sigmoid(i) * torch.tanh(u) + (f * child_c).sum(0)
        return torch.sigmoid(o) * torch.tanh(c), c


def _sgd(model: nn.Module, lr: float) -> None:
    with torch.no_grad():
        for p in model.parameters():
            if p.grad is not None:
                p.add_(p.grad, alpha=-lr)
                p.grad = None


def _labels(trees: Sequence[BenchTree], device: torch.device) -> torch.Tensor:
    return torch.tensor([t.label for t in trees], dtype=torch.long, device=device)


# ----------------------------------------------------------------------------------------- naive
def per_node_loss(model: ChildSumTreeLSTM, trees: Sequence[BenchTree]) -> torch.Tensor:
    """Mean cross-entropy of the root classifier, computed by recursion, node by node.

    The embedding is looked up once for all words of the batch and unbound into rows: a lookup per
    node would make every node's backward allocate a dense (vocab, embed) gradient, which would
    measure the embedding rather than the recursion. Everything else runs per node. The recursion
    is Python's, so a tree deeper than about ``sys.getrecursionlimit()`` raises ``RecursionError``.
    """
    weight = model.embed.weight
    worded = [node for tree in trees for node in _postorder(tree) if node.word is not None]
    words = torch.tensor([node.word for node in worded], dtype=torch.long, device=weight.device)
    x_of = {id(node): x for node, x in zip(worded, model.embed(words).unbind(0))}
    zero = weight.new_zeros(weight.shape[1])

    def node_state(node: BenchTree) -> tuple[torch.Tensor, torch.Tensor]:
        x = x_of.get(id(node), zero)
        states = [node_state(child) for child in node.children]
        child_h = torch.stack([h for h, _ in states]) if states else None
        child_c = torch.stack([c for _, c in states]) if states else None
        return model.cell(x, child_h, child_c)

    roots = torch.stack([node_state(tree)[0] for tree in trees])
    return F.cross_entropy(model.classifier(roots), _labels(trees, weight.device))


def per_node_step(model: ChildSumTreeLSTM, trees: Sequence[BenchTree], train: bool, lr: float = 0.01) -> float:
    """The naive program: loss by per-node recursion, then backward and an SGD step if ``train``.
    Returns the loss."""
    if not train:
        with torch.no_grad():
            return per_node_loss(model, trees).item()
    loss = per_node_loss(model, trees)
    loss.backward()
    _sgd(model, lr)
    return loss.item()


# ----------------------------------------------------------------------------------------- batched
class _Level(NamedTuple):
    """Nodes of one height. Their children (``edges`` of them) come from lower levels:
    ``sources`` lists ``(child level, child positions in it)``, concatenated in that order, and
    ``parent`` gives each edge's parent position in this level."""

    size: int
    sources: list[tuple[int, torch.Tensor]]
    parent: torch.Tensor | None


class Plan(NamedTuple):
    """A batch of trees flattened by height. Nodes are numbered level by level (level 0 = leaves)."""

    words: torch.Tensor  # (W,) word ids, for the nodes in ``word_nodes``
    word_nodes: torch.Tensor  # (W,) global node numbers that have a word
    levels: list[_Level]
    roots: list[tuple[int, torch.Tensor]]  # (level, positions) of the roots, grouped by level
    labels: torch.Tensor  # (B,) labels in the order of ``roots``


def plan_batch(trees: Sequence[BenchTree], device: torch.device | str = "cpu") -> Plan:
    """Group the nodes of ``trees`` by height (1 + max child height) for ``hand_batched_loss``.

    One post-order pass: a node's children are placed before it, so its level and its edges are
    known when it is reached.
    """
    where: dict[int, tuple[int, int]] = {}  # id(node) -> (level, position in level)
    sizes: list[int] = []
    word_pos: list[list[int]] = []
    word_ids: list[list[int]] = []
    edges: list[dict[int, tuple[list[int], list[int]]]] = []  # per level: child level -> (children, parents)
    for tree in trees:
        for node in _postorder(tree):
            kids = [where[id(child)] for child in node.children]
            level = 1 + max((lv for lv, _ in kids), default=-1)
            if level == len(sizes):
                sizes.append(0)
                word_pos.append([])
                word_ids.append([])
                edges.append({})
            pos = sizes[level]
            sizes[level] += 1
            where[id(node)] = (level, pos)
            if node.word is not None:
                word_pos[level].append(pos)
                word_ids[level].append(node.word)
            for child_level, child_pos in kids:
                children, parents = edges[level].setdefault(child_level, ([], []))
                children.append(child_pos)
                parents.append(pos)

    def tensor(values: list[int]) -> torch.Tensor:
        return torch.tensor(values, dtype=torch.long, device=device)

    levels, start, word_nodes = [], 0, []
    for level, size in enumerate(sizes):
        word_nodes += [start + p for p in word_pos[level]]
        start += size
        sources = sorted(edges[level].items())
        parent = tensor([p for _, (_, parents) in sources for p in parents]) if sources else None
        levels.append(_Level(size, [(src, tensor(children)) for src, (children, _) in sources], parent))
    root_groups: dict[int, tuple[list[int], list[int]]] = {}
    for tree in trees:
        level, pos = where[id(tree)]
        positions, labels = root_groups.setdefault(level, ([], []))
        positions.append(pos)
        labels.append(tree.label)
    root_items = sorted(root_groups.items())
    return Plan(tensor([w for ids in word_ids for w in ids]), tensor(word_nodes), levels,
                 [(lv, tensor(pos)) for lv, (pos, _) in root_items],
                 tensor([label for _, (_, labels) in root_items for label in labels]))


def hand_batched_loss(model: ChildSumTreeLSTM, trees: Sequence[BenchTree] | Plan) -> torch.Tensor:
    """The same loss as ``per_node_loss``, computed level by level.

    Input projections ``W_iou x`` (all nodes) and ``W_f x`` (internal nodes) run once. Each level then gathers its
    children's ``h``/``c`` (one ``index_select`` per source level), runs ``U_f`` over all its edges
    and ``U_iou`` over its child sums in one matmul each, and sums per parent with ``index_add``.
    """
    weight = model.embed.weight
    plan = trees if isinstance(trees, Plan) else plan_batch(trees, weight.device)
    sizes = [lv.size for lv in plan.levels]
    x = weight.new_zeros(sum(sizes), weight.shape[1]).index_copy(0, plan.word_nodes, model.embed(plan.words))
    wx_iou = model.W_iou(x).split(sizes)
    wx_f = (None,) + model.W_f(x[sizes[0]:]).split(sizes[1:])  # level 0 = leaves: no forget gates
    hs: list[torch.Tensor] = []
    cs: list[torch.Tensor] = []
    for n, level in enumerate(plan.levels):
        if not level.sources:  # leaves
            i, o, u = wx_iou[n].chunk(3, dim=1)
            c = torch.sigmoid(i) * torch.tanh(u)
        else:
            child_h = torch.cat([hs[src].index_select(0, pos) for src, pos in level.sources])
            child_c = torch.cat([cs[src].index_select(0, pos) for src, pos in level.sources])
            h_sum = child_h.new_zeros(level.size, model.hidden).index_add(0, level.parent, child_h)
            i, o, u = (wx_iou[n] + model.U_iou(h_sum)).chunk(3, dim=1)
            f = torch.sigmoid(wx_f[n].index_select(0, level.parent) + model.U_f(child_h))
            fc_sum = child_c.new_zeros(level.size, model.hidden).index_add(0, level.parent, f * child_c)
            c = torch.sigmoid(i) * torch.tanh(u) + fc_sum
        hs.append(torch.sigmoid(o) * torch.tanh(c))
        cs.append(c)
    roots = torch.cat([hs[level].index_select(0, pos) for level, pos in plan.roots])
    return F.cross_entropy(model.classifier(roots), plan.labels)


def hand_batched_step(model: ChildSumTreeLSTM, trees: Sequence[BenchTree] | Plan, train: bool,
                      lr: float = 0.01) -> float:
    """The hand-batched program: loss level by level, then backward and an SGD step if ``train``.
    Returns the loss. Given trees, the step includes grouping them (``plan_batch``); given a ``Plan``
    made beforehand, it times the tensor work alone."""
    if not train:
        with torch.no_grad():
            return hand_batched_loss(model, trees).item()
    loss = hand_batched_loss(model, trees)
    loss.backward()
    _sgd(model, lr)
    return loss.item()


# ----------------------------------------------------------------------------------------- checks
def check_equal(seed: int = 0, trees: Sequence[BenchTree] | None = None, dtype: torch.dtype = torch.float32,
                rtol: float = 1e-4, atol: float = 1e-6) -> float:
    """Assert that per-node and hand-batched give the same loss and parameter gradients.

    Uses 20 ``random_trees(min_nodes=1, seed=seed)`` unless ``trees`` is given. Returns the largest
    absolute difference seen. Raises ``AssertionError`` naming the seed and the first mismatch.
    """
    trees = list(trees) if trees is not None else random_trees(20, min_nodes=1, seed=seed)
    model = ChildSumTreeLSTM(seed=seed).to(dtype)
    results = []
    for loss_fn in (per_node_loss, hand_batched_loss):
        model.zero_grad(set_to_none=True)
        loss = loss_fn(model, trees)
        loss.backward()
        grads = {name: torch.zeros_like(p) if p.grad is None else p.grad.clone()  # unused: None
                 for name, p in model.named_parameters()}
        results.append((loss.detach(), grads))
    (loss_a, grads_a), (loss_b, grads_b) = results
    worst = 0.0
    for name, a, b in [("loss", loss_a, loss_b)] + [(k, grads_a[k], grads_b[k]) for k in grads_a]:
        try:
            torch.testing.assert_close(b, a, rtol=rtol, atol=atol)
        except AssertionError as err:
            raise AssertionError(f"check_equal(seed={seed}): per-node and hand-batched differ in {name}.\n{err}") from None
        worst = max(worst, (a - b).abs().max().item())
    return worst


def measure(fn: Callable[..., float], model: ChildSumTreeLSTM, trees_batches: Sequence[Sequence[BenchTree]],
            rounds: int = 3, min_time: float = 1.0, train: bool = True) -> float:
    """Samples (trees) per second of ``fn(model, batch, train)``, best of ``rounds`` rounds.

    Each round cycles through ``trees_batches`` until it has run at least ``min_time / rounds``
    seconds (and at least one batch); one warm-up batch runs first. A batch may also be a ``Plan``
    (for ``hand_batched_step``).
    """
    fn(model, trees_batches[0], train)
    best = 0.0
    for _ in range(rounds):
        samples, k = 0, 0
        t0 = time.perf_counter()
        while True:
            batch = trees_batches[k % len(trees_batches)]
            fn(model, batch, train)
            samples, k = samples + (len(batch.labels) if isinstance(batch, Plan) else len(batch)), k + 1
            elapsed = time.perf_counter() - t0
            if elapsed >= min_time / rounds:
                break
        best = max(best, samples / elapsed)
    return best


def main(argv: Sequence[str] | None = None) -> None:
    """Print a samples/s table: per-node vs hand-batched (planning included, and pre-planned),
    training and inference, per batch size and thread count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 16, 64, 256])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--min-time", type=float, default=1.5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    model = ChildSumTreeLSTM()
    pool = random_trees(1024, seed=1)
    print(f"child-sum Tree-LSTM, hidden {HIDDEN}, embed {EMBED}, vocab {VOCAB}, "
          f"{sum(t.size() for t in pool) / len(pool):.1f} nodes/tree, samples/s (best of {args.rounds})")
    print(f"{'threads':>7} {'batch':>5} {'mode':>6} {'per-node':>10} {'batched':>10} {'speedup':>8} {'pre-planned':>12}")
    for threads in args.threads:
        torch.set_num_threads(threads)
        for batch in args.batches:
            batches = [pool[i:i + batch] for i in range(0, len(pool) - batch + 1, batch)][:8]
            plans = [plan_batch(b) for b in batches]
            for train in (True, False):
                naive = measure(per_node_step, model, batches, args.rounds, args.min_time, train)
                fast = measure(hand_batched_step, model, batches, args.rounds, args.min_time, train)
                planned = measure(hand_batched_step, model, plans, args.rounds, args.min_time, train)
                print(f"{threads:>7} {batch:>5} {'train' if train else 'infer':>6} {naive:>10.1f} {fast:>10.1f} "
                      f"{fast / naive:>7.1f}x {planned:>12.1f}", flush=True)


if __name__ == "__main__":
    main()
