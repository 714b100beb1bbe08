"""Export to ONNX: ``mx.onnx.export_model(sym, params, in_shapes, ...)`` as in MXNet 1.9.

Importing this package does not import ``onnx``; the exporter imports it when called and
raises a clear error if it is missing (``pip install gluonic[onnx]``). Each operator's
conversion lives on its registry entry (``Op.onnx``); the ``_rules_*`` modules attach them.

>>> # import gluonic as mx
>>> # net.hybridize(); net(x)
>>> # mx.onnx.export_model(net, onnx_file_path="net.onnx", dynamic=True,
>>> #                      dynamic_input_shapes=[(None, 3, 224, 224)])
"""
from __future__ import annotations

from . import _rules_elemwise, _rules_extra, _rules_nn, _rules_numpy, _rules_rnn, _rules_shape  # noqa: F401 - attach
from ._export import DEFAULT_OPSET, MIN_OPSET, export_model, export_onnx_model, get_operator_support
from ._graph import NodeContext, onnx_rule

__all__ = ["export_model", "export_onnx_model", "get_operator_support", "onnx_rule", "NodeContext",
           "DEFAULT_OPSET", "MIN_OPSET"]


def _require_onnx():
    """The ``onnx`` module, or an ImportError saying how to install it."""
    try:
        import onnx
        import onnx.helper
        import onnx.numpy_helper
        import onnx.shape_inference
    except ImportError as e:
        raise ImportError("ONNX export needs the 'onnx' package: pip install onnx onnxruntime "
                          f"(or pip install gluonic[onnx]). ({e})") from None
    return onnx
