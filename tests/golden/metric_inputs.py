"""Inputs of the metric golden cases, shared by tests/test_metric.py and make_golden_metric.py."""


def golden_batches(kind, seed=0):
    """Three update calls ``[(labels, preds), ...]`` of NumPy arrays, shared with the MXNet generator."""
    import numpy as onp

    rs = onp.random.RandomState(seed)

    def probs(n, c):
        p = rs.rand(n, c).astype("float32") + 0.05
        return (p / p.sum(axis=1, keepdims=True)).astype("float32")

    def classes(n, c):
        return rs.randint(0, c, size=n).astype("float32")

    batches = []
    for b in range(3):
        n = 7 + 2 * b
        if kind == "cls":  # 5 classes, two arrays in the second call
            arrays = 2 if b == 1 else 1
            labels = [classes(n, 5) for _ in range(arrays)]
            preds = [probs(n, 5) for _ in range(arrays)]
        elif kind == "bin":
            arrays = 2 if b == 1 else 1
            labels = [classes(n, 2) for _ in range(arrays)]
            preds = [probs(n, 2) for _ in range(arrays)]
        elif kind == "seq":  # (batch, classes, time) scores, (batch, time) labels
            labels = [rs.randint(0, 4, size=(n, 3)).astype("float32")]
            preds = [rs.rand(n, 4, 3).astype("float32")]
        elif kind == "idx":  # predictions as class indices
            labels = [classes(n, 4)]
            preds = [classes(n, 4)]
        elif kind == "reg":
            labels = [rs.randn(n).astype("float32"), rs.randn(n).astype("float32")]
            preds = [rs.randn(n).astype("float32"), rs.randn(n, 1).astype("float32")]
            preds[0] = (preds[0] + labels[0]).astype("float32")
        elif kind == "corr":  # same shapes, correlated
            labels = [rs.randn(n).astype("float32"), rs.randn(n, 2).astype("float32")]
            preds = [(0.5 * labels[0] + rs.randn(n)).astype("float32"), rs.randn(n, 2).astype("float32")]
        elif kind == "ppl":  # ignore_label -1 on some tokens
            labels = [classes(n, 6)]
            labels[0][rs.rand(n) < 0.3] = -1
            preds = [probs(n, 6)]
        elif kind == "loss":
            labels = [None]
            preds = [rs.rand(n).astype("float32"), rs.rand(2, n).astype("float32")]
        else:
            raise ValueError(kind)
        batches.append((labels, preds))
    return batches
