"""Golden values for tests/test_metric.py from real MXNet 1.9.1 (run with a Python that has mxnet).

Prints a dict of {case: {get, get_global, num_inst, sum_metric, ...}} that the test hard-codes."""
import os  # noqa: E402
import sys  # noqa: E402

import mxnet as mx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from metric_inputs import golden_batches  # noqa: E402


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
