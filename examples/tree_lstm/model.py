"""Tree-LSTMs (Tai, Socher & Manning 2015) written the natural recursive way, one tree at a time.

``ChildSumTreeLSTM`` (any number of children) and ``BinaryTreeLSTM`` (N-ary with N = 2) are
Gluon ``Block``s whose ``encode(tree)`` recurses over a :class:`trees.Tree` with integer word
ids (``trees.Vocab.encode``; data sets in ``listops`` and ``treebanks``). Run them inside
``gluonic.fold.batching()`` and the per-node calls are batched across nodes and trees;
outside, they run node by node. :class:`Similarity` is the sentence-pair head for SICK
relatedness.

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


class _ChildSumCell(gluon.HybridBlock):
    """One child-sum Tree-LSTM node: its input ``x`` and its children's states -> ``(h, c)``.

    ``child_h`` and ``child_c`` are lists of (batch, hidden) arrays, one per child (empty for a
    leaf)::

        h~  = sum_k h_k
        i, o, u = sigmoid, sigmoid, tanh of  W_iou x + U_iou h~
        f_k = sigmoid(W_f x + U_f h_k)                 (one forget gate per child)
        c   = i * u + sum_k f_k * c_k,    h = o * tanh(c)
    """

    def __init__(self, embed, hidden, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.iou_x = nn.Dense(3 * hidden, in_units=embed)
            self.iou_h = nn.Dense(3 * hidden, in_units=hidden, use_bias=False)
            self.f_x = nn.Dense(hidden, in_units=embed)
            self.f_h = nn.Dense(hidden, in_units=hidden, use_bias=False)

    def hybrid_forward(self, F, x, child_h, child_c):
        iou = self.iou_x(x)
        if child_h:
            iou = iou + self.iou_h(F.add_n(*child_h) if len(child_h) > 1 else child_h[0])
        i, o, u = F.split(iou, num_outputs=3, axis=1)
        c = F.sigmoid(i) * F.tanh(u)
        if child_h:
            fx = self.f_x(x)
            for h, c_child in zip(child_h, child_c):
                c = c + F.sigmoid(fx + self.f_h(h)) * c_child
        return F.sigmoid(o) * F.tanh(c), c


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
    """Child-sum Tree-LSTM: any number of children, summed for the input/output/update gates,
    each with its own forget gate (suits dependency trees and any branching). The node update
    is one block, :class:`_ChildSumCell`, called with the children's states."""

    def __init__(self, vocab_size=5000, embed=300, hidden=150, classes=5, **kwargs):
        super().__init__(vocab_size, embed, hidden, classes, **kwargs)
        with self.name_scope():
            self.cell = _ChildSumCell(embed, hidden)

    def encode(self, tree):
        """``(h, c)`` of ``tree``'s root, each (1, hidden)."""
        states = [self.encode(child) for child in tree.children]
        return self.cell(self.word(tree), [h for h, _ in states], [c for _, c in states])


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


class Similarity(gluon.HybridBlock):
    """Tai et al. (2015)'s relatedness head: two sentence encodings -> log-probabilities of the scores 1..K.

    ::

        h_mul = h_l * h_r,    h_abs = |h_l - h_r|
        h_s   = sigmoid(W_mul h_mul + W_abs h_abs + b)      (sim_hidden units)
        log p = log_softmax(W_p h_s + b_p)                  (K = classes scores)

    The predicted score is ``sum_i i * p_i`` (i = 1..K).

    Parameters
    ----------
    hidden : int
        Size of the encodings (the Tree-LSTM's hidden size).
    sim_hidden : int
        Size of ``h_s``.
    classes : int
        Number of scores K (5 for SICK's 1..5).

    Inputs: ``h_l``, ``h_r`` of shape (batch, hidden). Output: (batch, classes) log-probabilities.

    >>> import gluonic as mx
    >>> sim = Similarity(hidden=3, sim_hidden=4)
    >>> sim.initialize()
    >>> sim(mx.nd.ones((2, 3)), mx.nd.zeros((2, 3))).shape
    (2, 5)
    """

    def __init__(self, hidden=150, sim_hidden=50, classes=5, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.w_mul = nn.Dense(sim_hidden, in_units=hidden)
            self.w_abs = nn.Dense(sim_hidden, in_units=hidden, use_bias=False)
            self.out = nn.Dense(classes, in_units=sim_hidden)

    def hybrid_forward(self, F, h_l, h_r):
        h_s = F.sigmoid(self.w_mul(h_l * h_r) + self.w_abs(F.abs(h_l - h_r)))
        return F.log_softmax(self.out(h_s), axis=1)
