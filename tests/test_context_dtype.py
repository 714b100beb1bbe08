"""Contexts, dtypes, runtime features, util switches."""
import numpy as np
import pytest
import torch

import gluonic as mx
from gluonic import _dtype
from gluonic.base import GluonicTypeError, GluonicValueError
from gluonic.context import as_context


def test_context_basics():
    assert mx.cpu() == mx.cpu(0) and mx.cpu(1) != mx.cpu(0)
    assert str(mx.gpu(1)) == "gpu(1)" and mx.gpu(1).torch_device == torch.device("cuda", 1)
    assert mx.Context(mx.cpu(2)) == mx.cpu(2)
    assert mx.cpu().device_typeid == 1 and mx.gpu().device_typeid == 2
    assert {mx.cpu(0): 1}[mx.Context("cpu", 0)] == 1
    assert mx.context.num_gpus() == torch.cuda.device_count()
    with pytest.raises(GluonicValueError, match="Unknown device type"):
        mx.Context("tpu")


def test_as_context_parses_strings():
    assert as_context("cpu(2)") == mx.cpu(2)
    assert as_context("gpu(0)") == mx.gpu(0)
    assert as_context(None) == mx.current_context()
    with pytest.raises(GluonicValueError):
        as_context("cuda:0x")


@pytest.mark.gpu
def test_gpu_array_roundtrip():
    x = mx.nd.array([1.0, 2.0], ctx=mx.gpu(0))
    assert x.context == mx.gpu(0) and (x + 1).asnumpy().tolist() == [2.0, 3.0]
    assert x.as_in_context(mx.cpu()).context == mx.cpu()


def test_dtype_mapping():
    assert _dtype.to_torch("float16") == torch.float16
    assert _dtype.to_torch(np.int8) == torch.int8
    assert _dtype.to_torch(None) == torch.float32
    assert _dtype.from_torch(torch.int64) is np.int64
    assert _dtype.np_dtype("bfloat16") == _dtype.bfloat16
    assert _dtype.MX_TYPE_CODE[torch.bool] == 7 and _dtype.MX_TYPE_CODE[torch.bfloat16] == 12
    with pytest.raises(GluonicTypeError):
        _dtype.np_dtype("float128x")


def test_runtime_features():
    f = mx.runtime.Features()
    assert f.is_enabled("CUDA") == torch.cuda.is_available()
    assert "MKLDNN" in f and "✔" in repr(f) or "✖" in repr(f)
    with pytest.raises(GluonicValueError, match="unknown"):
        f.is_enabled("WARP_DRIVE")


def test_util_switches_and_env():
    assert not mx.util.is_np_shape()
    with mx.util.np_shape(True):
        assert mx.util.is_np_shape()
        assert mx.nd.array(np.arange(4.0))[1].shape == ()
    assert mx.nd.array(np.arange(4.0))[1].shape == (1,)

    @mx.util.use_np
    def inner():
        return mx.util.is_np_shape(), mx.util.is_np_array()

    assert inner() == (True, True) and not mx.util.is_np_array()
    mx.util.setenv("GLUONIC_TEST_X", "1")
    assert mx.util.getenv("GLUONIC_TEST_X") == "1"
    mx.util.setenv("GLUONIC_TEST_X", None)
    assert mx.util.getenv("GLUONIC_TEST_X") is None


def test_base_names():
    from gluonic import base

    assert issubclass(base.MXNetError, RuntimeError)
    assert issubclass(base.GluonicValueError, ValueError) and issubclass(base.GluonicValueError, base.MXNetError)
    assert base.mx_real_t is np.float32 and int in base.integer_types and str in base.string_types
    assert base.data_dir().endswith(".mxnet") or "MXNET_HOME" in __import__("os").environ
    err = base.NotImplementedForSymbol(test_base_names, "+")
    assert "test_base_names" in str(err) and "'+'" in str(err)


def test_nested_with_same_context_object():
    c = mx.cpu(5)
    with c:
        with c:
            assert mx.current_context() == mx.cpu(5)
        assert mx.current_context() == mx.cpu(5)
    assert mx.current_context() == mx.cpu(0)
