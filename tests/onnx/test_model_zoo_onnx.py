"""Every gluon.model_zoo.vision model exports to ONNX and agrees with gluonic in onnxruntime.

Each model is built with classes=10 and random weights (batch-norm statistics included),
checked at batch 1 and, exported with a dynamic batch axis, at batch 2. The deepest
variants of each family are slow on CPU: they run when GLUONIC_ONNX_ZOO_ALL=1.
"""
import os

import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")
vision = pytest.importorskip("gluonic.gluon.model_zoo.vision")

import gluonic as mx  # noqa: E402

from .onnx_harness import check_block  # noqa: E402

# Smallest input each architecture accepts (fixed final pooling windows need 224 or 299).
SIZES = {"alexnet": 67, "densenet": 224, "inception": 299, "squeezenet": 224}
FAST = {"alexnet", "resnet18_v1", "resnet18_v2", "vgg11_bn", "mobilenet0_25", "mobilenet_v2_0_25", "squeezenet1_1",
        "densenet121", "inception_v3"}
ALL = sorted(n for n in dir(vision) if n[0].islower() and n[:1] != "_" and callable(getattr(vision, n))
             and n not in {"get_model", "get_resnet", "get_vgg", "get_mobilenet", "get_mobilenet_v2", "annotations",
                           "alexnet_", "densenet", "inception", "mobilenet", "resnet", "squeezenet", "vgg"}
             or n == "alexnet")


def _size(name: str) -> int:
    for prefix, s in SIZES.items():
        if name.startswith(prefix):
            return s
    return 32


@pytest.mark.parametrize("name", [n if n in FAST else pytest.param(n, marks=pytest.mark.slow) for n in ALL])
def test_model_zoo_export(name):
    if name not in FAST and not os.environ.get("GLUONIC_ONNX_ZOO_ALL"):
        pytest.skip("deep variant: set GLUONIC_ONNX_ZOO_ALL=1")
    rng = np.random.default_rng(0)
    net = getattr(vision, name)(classes=10)
    net.initialize(mx.init.Xavier(magnitude=2.0))
    s = _size(name)
    x = rng.standard_normal((1, 3, s, s)).astype(np.float32)
    net(mx.nd.array(x))
    for pname, p in net.collect_params().items():
        if pname.endswith("running_mean"):
            p.set_data(mx.nd.array(rng.standard_normal(p.shape).astype(np.float32) * 0.1))
        elif pname.endswith("running_var"):
            p.set_data(mx.nd.array(rng.uniform(0.5, 1.5, p.shape).astype(np.float32)))
    check_block(net, x, dynamic_batch=2, rtol=1e-3, atol=1e-4)
