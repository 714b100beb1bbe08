"""A child-sum Tree-LSTM written the natural recursive way (shared by the fold tests)."""
from __future__ import annotations

import numpy as np

from gluonic import gluon, nd
from gluonic.gluon import nn


class Node:
    def __init__(self, word=None, children=()):
        self.word, self.children = word, list(children)


class IOU(gluon.HybridBlock):
    """Input, output and update gates from the node input and the children's summed state."""

    def __init__(self, embed, hidden, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.x2h = nn.Dense(3 * hidden, in_units=embed)
            self.h2h = nn.Dense(3 * hidden, in_units=hidden, use_bias=False)

    def hybrid_forward(self, F, x, h_sum):
        i, o, u = F.split(self.x2h(x) + self.h2h(h_sum), num_outputs=3, axis=1)
        return F.sigmoid(i), F.sigmoid(o), F.tanh(u)


class Forget(gluon.HybridBlock):
    """One child's forget gate."""

    def __init__(self, embed, hidden, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.x2h = nn.Dense(hidden, in_units=embed)
            self.h2h = nn.Dense(hidden, in_units=hidden, use_bias=False)

    def hybrid_forward(self, F, x, h):
        return F.sigmoid(self.x2h(x) + self.h2h(h))


class TreeLSTM(gluon.Block):
    def __init__(self, vocab=50, embed=8, hidden=6, classes=3, **kwargs):
        super().__init__(**kwargs)
        self.hidden = hidden
        with self.name_scope():
            self.embed = nn.Embedding(vocab, embed)
            self.iou = IOU(embed, hidden)
            self.forget = Forget(embed, hidden)
            self.out = nn.Dense(classes, in_units=hidden)

    def node(self, tree):
        x = self.embed(nd.array([tree.word if tree.word is not None else 0]))
        if not tree.children:
            zeros = nd.zeros((1, self.hidden))
            i, o, u = self.iou(x, zeros)
            c = i * u
        else:
            states = [self.node(child) for child in tree.children]
            h_sum = states[0][0]
            for h, _ in states[1:]:
                h_sum = h_sum + h
            i, o, u = self.iou(x, h_sum)
            c = i * u
            for h, c_child in states:
                c = c + self.forget(x, h) * c_child
        return o * nd.tanh(c), c

    def forward(self, tree):
        h, _ = self.node(tree)
        return self.out(h)


def random_tree(rng, n_nodes, vocab=50, shape="random"):
    """A tree of about ``n_nodes`` nodes: 'random' attachment, 'chain' (deep) or 'bushy'."""
    nodes = [Node(int(rng.randint(vocab)))]
    for k in range(1, n_nodes):
        if shape == "chain":
            parent = nodes[-1]
        elif shape == "bushy":
            parent = nodes[(k - 1) // 4]
        else:
            parent = nodes[rng.randint(len(nodes))]
        child = Node(int(rng.randint(vocab)))
        parent.children.append(child)
        nodes.append(child)
    return nodes[0]


def labels(rng, n, classes=3):
    return np.asarray(rng.randint(0, classes, size=n), dtype="float32")
