"""Shared checks for the ONNX exporter: export, run in onnxruntime, compare with gluonic."""
from __future__ import annotations

import os
import tempfile

import numpy as np

import gluonic as mx


def run_onnx(path: str, feeds: dict) -> list[np.ndarray]:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.log_severity_level = 3
    sess = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    names = [i.name for i in sess.get_inputs()]
    return sess.run(None, {n: feeds[n] for n in names})


def _flat(out) -> list[np.ndarray]:
    if isinstance(out, (list, tuple)):
        return [a for o in out for a in _flat(o)]
    return [out.asnumpy()]


def check_block(block, *inputs, dynamic_batch: int | None = 3, rtol=1e-4, atol=1e-5, in_types=None,
                opset_version=None, batch_axes=None, **export_kw):
    """Hybridize ``block``, run it on ``inputs`` (NumPy arrays), export, compare onnxruntime with gluonic.

    With ``dynamic_batch``, the model is exported again with a dynamic first axis and run on
    inputs whose batch has that size (the inputs tiled/truncated along their batch axis:
    ``batch_axes[i]``, default 0).
    """
    structure = inputs
    inputs = _flat_np(structure)
    batch_axes = batch_axes or [0] * len(inputs)
    block.hybridize()
    want = _flat(block(*_to_nd(structure)))
    types = in_types or [x.dtype for x in inputs]
    with tempfile.TemporaryDirectory() as d:
        path = mx.onnx.export_model(block, None, [x.shape for x in inputs], types,
                                    onnx_file_path=os.path.join(d, "m.onnx"), opset_version=opset_version,
                                    **export_kw)
        got = run_onnx(path, _feeds(path, inputs))
        _compare(got, want, rtol, atol)
        if dynamic_batch:
            dyn = [tuple(None if k == ax else d for k, d in enumerate(x.shape)) for x, ax in zip(inputs, batch_axes)]
            path = mx.onnx.export_model(block, None, [x.shape for x in inputs], types,
                                        onnx_file_path=os.path.join(d, "d.onnx"), dynamic=True,
                                        dynamic_input_shapes=dyn, opset_version=opset_version, **export_kw)
            inputs2 = [np.take(np.concatenate([x] * dynamic_batch, axis=ax), range(dynamic_batch), axis=ax)
                       for x, ax in zip(inputs, batch_axes)]
            want2 = _flat(block(*_to_nd(_regroup(structure, iter(inputs2)))))
            got2 = run_onnx(path, _feeds(path, inputs2))
            _compare(got2, want2, rtol, atol)
    return path


def _flat_np(x) -> list:
    if isinstance(x, (list, tuple)):
        return [a for o in x for a in _flat_np(o)]
    return [x]


def _to_nd(x):
    if isinstance(x, (list, tuple)):
        return [_to_nd(o) for o in x]
    return mx.nd.array(x, dtype=x.dtype)


def _regroup(structure, it):
    if isinstance(structure, (list, tuple)):
        return [_regroup(o, it) for o in structure]
    return next(it)


def _feeds(path, inputs):
    import onnx

    m = onnx.load(path)
    names = [i.name for i in m.graph.input]
    return dict(zip(names, inputs))


def _compare(got, want, rtol, atol):
    assert len(got) == len(want), f"{len(got)} ONNX outputs vs {len(want)} gluonic outputs"
    for g, w in zip(got, want):
        assert g.shape == w.shape, f"shape {g.shape} vs gluonic {w.shape}"
        np.testing.assert_allclose(g.astype(np.float64), w.astype(np.float64), rtol=rtol, atol=atol)


def check_symbol(sym, params: dict, inputs: dict, rtol=1e-4, atol=1e-5, eval_only=None, other_batch=None,
                 **export_kw):
    """Export ``sym`` with ``params``; compare onnxruntime on ``inputs`` (name → array) with ``sym.eval``.

    ``eval_only``: values needed by ``sym.eval`` that are not graph inputs of the export (labels).
    ``other_batch``: inputs with another first-axis size; the model is then also exported with a
    dynamic first axis and checked on them.
    """
    nd_vals = {k: mx.nd.array(v, dtype=v.dtype) for k, v in {**inputs, **params, **(eval_only or {})}.items()}
    want = [o.asnumpy() for o in sym.eval(**nd_vals)]
    with tempfile.TemporaryDirectory() as d:
        path = mx.onnx.export_model(sym, {k: mx.nd.array(v, dtype=v.dtype) for k, v in params.items()},
                                    [v.shape for v in inputs.values()], [v.dtype for v in inputs.values()],
                                    onnx_file_path=os.path.join(d, "m.onnx"), **export_kw)
        import onnx

        onnx.checker.check_model(onnx.load(path))
        got = run_onnx(path, inputs)
        _compare(got, want, rtol, atol)
        if other_batch is not None:
            dyn = [(None,) + v.shape[1:] for v in inputs.values()]
            path = mx.onnx.export_model(sym, {k: mx.nd.array(v, dtype=v.dtype) for k, v in params.items()},
                                        [v.shape for v in inputs.values()], [v.dtype for v in inputs.values()],
                                        onnx_file_path=os.path.join(d, "d.onnx"), dynamic=True,
                                        dynamic_input_shapes=dyn, **export_kw)
            vals2 = {k: mx.nd.array(v, dtype=v.dtype) for k, v in {**other_batch, **params}.items()}
            want2 = [o.asnumpy() for o in sym.eval(**vals2)]
            _compare(run_onnx(path, other_batch), want2, rtol, atol)
    return got
