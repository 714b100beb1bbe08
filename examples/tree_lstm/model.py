"""Tree-LSTMs (Tai, Socher & Manning 2015) written the natural recursive way, one tree at a time.

``ChildSumTreeLSTM`` (any number of children) and ``BinaryTreeLSTM`` (N-ary with N = 2) are
Gluon ``Block``s whose ``encode(tree)`` recurses over a :class:`trees.Tree` with integer word
ids (``Vocab.encode``). Run them inside ``gluonic.fold.batching()`` and the per-node calls are
batched across nodes and trees; outside, they run node by node.

>>> import gluonic as mx
>>> from examples.tree_lstm.trees import Tree
>>> net = ChildSumTreeLSTM(vocab_size=10, embed=4, hidden=3, classes=2)
>>> net.initialize()
>>> tree = Tree(word=1, children=[Tree(word=2), Tree(word=3)])
>>> net(tree).shape
(1, 2)
"""
from __future__ import annotations

from gluonic import gluon, nd
from gluonic.gluon import nn


class _Gates(gluon.HybridBlock):
    """``act(W x + U h (+ b))`` for ``units`` outputs (the building block of every gate)."""

    def __init__(self, embed, hidden, units, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.x2h = nn.Dense(units, in_units=embed)
            self.h2h = nn.Dense(units, in_units=hidden, use_bias=False)

    def hybrid_forward(self, F, x, h):
        return self.x2h(x) + self.h2h(h)


class _IOU(_Gates):
    """Input, output and update gates from the node input and (summed) child state."""

    def __init__(self, embed, hidden, **kwargs):
        super().__init__(embed, hidden, 3 * hidden, **kwargs)

    def hybrid_forward(self, F, x, h):
        i, o, u = F.split(super().hybrid_forward(F, x, h), num_outputs=3, axis=1)
        return F.sigmoid(i), F.sigmoid(o), F.tanh(u)


class _Forget(_Gates):
    """One child's forget gate ``sigmoid(W_f x + U_f h_child + b_f)``."""

    def __init__(self, embed, hidden, **kwargs):
        super().__init__(embed, hidden, hidden, **kwargs)

    def hybrid_forward(self, F, x, h):
        return F.sigmoid(super().hybrid_forward(F, x, h))


class _TreeModel(gluon.Block):
    def __init__(self, vocab_size, embed, hidden, classes, **kwargs):
        super().__init__(**kwargs)
        self.hidden = hidden
        self._zero = None
        with self.name_scope():
            self.embed = nn.Embedding(vocab_size, embed)
            self.out = nn.Dense(classes, in_units=hidden)

    def word(self, tree):
        """The node input: its word's embedding (internal nodes without a word use id 0, ``<pad>``)."""
        return self.embed(nd.array([tree.word if isinstance(tree.word, int) else 0]))

    def zeros(self):
        """The zero state of a missing child, (1, hidden) (created once)."""
        if self._zero is None:
            self._zero = nd.zeros((1, self.hidden))
        return self._zero

    def forward(self, tree):
        """Class scores of the root, shape (1, classes)."""
        h, _ = self.encode(tree)
        return self.out(h)


class ChildSumTreeLSTM(_TreeModel):
    """Child-sum Tree-LSTM: children are summed for the input/output/update gates and each
    child gets its own forget gate (suits dependency trees and any branching)."""

    def __init__(self, vocab_size=5000, embed=300, hidden=150, classes=5, **kwargs):
        super().__init__(vocab_size, embed, hidden, classes, **kwargs)
        with self.name_scope():
            self.iou = _IOU(embed, hidden)
            self.forget = _Forget(embed, hidden)

    def encode(self, tree):
        """``(h, c)`` of ``tree``'s root, each (1, hidden)."""
        x = self.word(tree)
        if not tree.children:
            i, o, u = self.iou(x, self.zeros())
            c = i * u
            return o * nd.tanh(c), c
        states = [self.encode(child) for child in tree.children]
        h_sum = states[0][0]
        for h, _ in states[1:]:
            h_sum = h_sum + h
        i, o, u = self.iou(x, h_sum)
        c = i * u
        for h, c_child in states:
            c = c + self.forget(x, h) * c_child
        return o * nd.tanh(c), c


class _BinaryCell(gluon.HybridBlock):
    """The N-ary (N = 2) Tree-LSTM step: separate weights for the left and right child."""

    def __init__(self, embed, hidden, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.x2h = nn.Dense(5 * hidden, in_units=embed)
            self.left = nn.Dense(5 * hidden, in_units=hidden, use_bias=False)
            self.right = nn.Dense(5 * hidden, in_units=hidden, use_bias=False)

    def hybrid_forward(self, F, x, h_l, c_l, h_r, c_r):
        i, f_l, f_r, o, u = F.split(self.x2h(x) + self.left(h_l) + self.right(h_r), num_outputs=5, axis=1)
        c = F.sigmoid(i) * F.tanh(u) + F.sigmoid(f_l) * c_l + F.sigmoid(f_r) * c_r
        return F.sigmoid(o) * F.tanh(c), c


class BinaryTreeLSTM(_TreeModel):
    """N-ary Tree-LSTM for binary trees (constituency trees, SST): leaves have zero child states;
    a node with one child treats the missing one as zeros; more than two children are an error."""

    def __init__(self, vocab_size=5000, embed=300, hidden=150, classes=5, **kwargs):
        super().__init__(vocab_size, embed, hidden, classes, **kwargs)
        with self.name_scope():
            self.cell = _BinaryCell(embed, hidden)

    def encode(self, tree):
        if len(tree.children) > 2:
            raise ValueError(f"BinaryTreeLSTM needs binary trees; a node has {len(tree.children)} children. "
                             "Binarize first (trees.balanced / right_branching).")
        zero = self.zeros()
        left = self.encode(tree.children[0]) if tree.children else (zero, zero)
        right = self.encode(tree.children[1]) if len(tree.children) > 1 else (zero, zero)
        return self.cell(self.word(tree), left[0], left[1], right[0], right[1])
