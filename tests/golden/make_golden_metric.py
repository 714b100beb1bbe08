"""Golden values for tests/test_metric.py from real MXNet 1.9.1 (run with a Python that has mxnet).

Prints a dict of {case: {get, get_global, num_inst, sum_metric, ...}} that the test hard-codes."""
import mxnet as mx
import numpy as onp


# --- golden inputs begin
def golden_batches(kind, seed=0):
    """Three update calls ``[(labels, preds), ...]`` of NumPy arrays, shared with the MXNet generator."""

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
# --- golden inputs end

def nd(xs):
    return [None if x is None else mx.nd.array(x) for x in xs]

CASES = [
    ("acc", {}, "cls"), ("acc", {"axis": 1}, "seq"), ("acc", {}, "idx"),
    ("top_k_accuracy", {"top_k": 3}, "cls"),
    ("f1", {}, "bin"), ("f1", {"average": "micro"}, "bin"),
    ("mcc", {}, "bin"), ("mcc", {"average": "micro"}, "bin"),
    ("pcc", {}, "cls"),
    ("mae", {}, "reg"), ("mse", {}, "reg"), ("rmse", {}, "reg"),
    ("ce", {}, "cls"), ("nll_loss", {}, "cls"),
    ("perplexity", {"ignore_label": -1}, "ppl"), ("perplexity", {"ignore_label": None}, "cls"),
    ("pearsonr", {}, "corr"), ("pearsonr", {"average": "micro"}, "corr"),
    ("loss", {}, "loss"),
]
def f(x):
    return float(x)
out = {}
for name, kw, kind in CASES:
    bs = golden_batches(kind)
    m = mx.metric.create(name, **kw)
    for lab, pr in bs[:2]:
        m.update(nd(lab), nd(pr))
    rec = {"get": f(m.get()[1]), "get_global": f(m.get_global()[1]), "num_inst": f(m.num_inst), "sum_metric": f(m.sum_metric)}
    m.reset_local()
    m.update(nd(bs[2][0]), nd(bs[2][1]))
    rec["get2"] = f(m.get()[1])
    rec["get_global2"] = f(m.get_global()[1])
    m2 = mx.metric.create(name, **kw)
    for lab, pr in bs:
        m2.update(nd(lab), nd(pr))
    rec["get_all"] = f(m2.get()[1])
    rec["name"] = m.get()[0]
    out[(name, tuple(sorted(kw.items())), kind)] = rec
for k, v in out.items():
    print(f"    ({k[0]!r}, {dict(k[1])!r}, {k[2]!r}): {v!r},")
