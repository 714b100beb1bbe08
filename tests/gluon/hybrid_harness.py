"""``check_hybrid``: a block must agree imperative vs hybridized vs exported-and-reimported."""
from __future__ import annotations

import os
import tempfile

import numpy as np

import gluonic as mx
from gluonic import autograd, gluon


def _run(block, inputs, heads_seed=0, train=True):
    """Outputs, input grads, param grads and params after one recorded pass + backward."""
    xs = [mx.nd.array(a, dtype=a.dtype) for a in inputs]
    for x in xs:
        x.attach_grad()
    mx.random.seed(7)
    with autograd.record(train_mode=train):
        out = block(*xs)
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    rng = np.random.RandomState(heads_seed)
    heads = [mx.nd.array(rng.standard_normal(o.shape), dtype=o.dtype) for o in outs]
    autograd.backward(outs, heads)
    params = block.collect_params()
    return {
        "out": [o.asnumpy() for o in outs],
        "in_grad": [x.grad.asnumpy() for x in xs],
        "param_grad": {k.split("_", 1)[-1]: p.grad().asnumpy() for k, p in params.items() if p.grad_req != "null"},
        "params": {k.split("_", 1)[-1]: p.data().asnumpy() for k, p in params.items()},
    }


def _same(a, b, what, rtol, atol):
    if isinstance(a, dict):
        assert a.keys() == b.keys(), f"{what}: {sorted(a)} vs {sorted(b)}"
        for k in a:
            np.testing.assert_allclose(a[k], b[k], rtol=rtol, atol=atol, err_msg=f"{what} {k}")
    else:
        for i, (x, y) in enumerate(zip(a, b)):
            np.testing.assert_allclose(x, y, rtol=rtol, atol=atol, err_msg=f"{what} {i}")


def check_hybrid(make_block, *inputs, rtol=1e-5, atol=1e-6, train=True, export=True):
    """Build two identical blocks, run one imperatively and one hybridized, compare everything;
    then export the hybridized one and compare the reimported SymbolBlock's predictions."""
    inputs = [np.asarray(a) for a in inputs]
    with mx.name.NameManager():
        eager = make_block()
    with mx.name.NameManager():
        hybrid = make_block()
    eager.initialize(mx.init.Xavier())
    eager(*[mx.nd.array(a, dtype=a.dtype) for a in inputs])  # resolve deferred shapes
    with tempfile.TemporaryDirectory() as tmp:
        f = os.path.join(tmp, "p.params")
        eager.save_parameters(f)
        hybrid.load_parameters(f)
    hybrid.hybridize()
    a = _run(eager, inputs, train=train)
    b = _run(hybrid, inputs, train=train)
    assert hybrid.cached_graph_source(), "the hybridized block did not compile a graph"
    for key in ("out", "in_grad", "param_grad", "params"):
        _same(a[key], b[key], key, rtol, atol)
    if export:
        with tempfile.TemporaryDirectory() as tmp:
            sym_file, params_file = hybrid.export(os.path.join(tmp, "m"))
            names = ["data"] if len(inputs) == 1 else [f"data{i}" for i in range(len(inputs))]
            back = gluon.SymbolBlock.imports(sym_file, names, params_file)
            xs = [mx.nd.array(x, dtype=x.dtype) for x in inputs]
            want = hybrid(*xs)
            got = back(*xs)
            want = list(want) if isinstance(want, (list, tuple)) else [want]
            got = list(got) if isinstance(got, (list, tuple)) else [got]
            _same([w.asnumpy() for w in want], [g.asnumpy() for g in got], "reimported output", rtol, atol)
    return a
