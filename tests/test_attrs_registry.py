"""Attribute schemas (MXNet string attrs) and the op registry."""
from typing import Literal

import numpy as np
import pytest

import gluonic as mx
from gluonic.base import GluonicValueError
from gluonic.ops import registry
from gluonic.ops.attrs import Attrs, DType, Floats, Shape, format_attr


class _Demo(Attrs):
    num_hidden: int
    kernel: Shape = ()
    scales: Floats = (1.0,)
    flag: bool = False
    eps: float = 1e-5
    mode: Literal["a", "b"] = "a"
    axis: int | None = None
    dtype: DType = "float32"


def test_parse_mxnet_strings():
    a = _Demo.parse("Demo", {"num_hidden": "10", "kernel": "(3, 3)", "scales": "[0.5, 2]", "flag": "True",
                             "eps": "1e-05", "mode": "b", "axis": "None", "dtype": "float16"})
    assert a == _Demo(10, (3, 3), (0.5, 2.0), True, 1e-5, "b", None, "float16")


def test_parse_python_values():
    a = _Demo.parse("Demo", {"num_hidden": np.int64(4), "kernel": [2, 2], "flag": 1, "axis": -1, "dtype": np.float64})
    assert a.num_hidden == 4 and a.kernel == (2, 2) and a.flag is True and a.axis == -1 and a.dtype == "float64"
    assert _Demo.parse("Demo", {"num_hidden": 1, "kernel": 3}).kernel == (3,)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({}, "required argument 'num_hidden' is missing"),
        ({"num_hidden": 1, "bogus": 2}, "cannot find argument 'bogus'. Possible arguments: num_hidden"),
        ({"num_hidden": "ten"}, "invalid value for argument 'num_hidden'"),
        ({"num_hidden": 1, "mode": "c"}, r"must be one of \['a', 'b'\]"),
        ({"num_hidden": 1, "flag": "maybe"}, "not a boolean"),
        ({"num_hidden": None}, "cannot be None"),
    ],
)
def test_parse_errors(kwargs, match):
    with pytest.raises(GluonicValueError, match=match):
        _Demo.parse("Demo", kwargs)


def test_bad_dtype_is_a_type_error_like_mxnet():
    with pytest.raises(TypeError, match="Unsupported dtype"):
        _Demo.parse("Demo", {"num_hidden": 1, "dtype": "complex128"})


def test_format_attr_like_mxnet_json():
    assert format_attr(True) == "True"
    assert format_attr((3, 3)) == "(3, 3)"
    assert format_attr((3,)) == "(3,)"
    assert format_attr(None) == "None"
    assert format_attr(1e-5) == "1e-05"
    assert format_attr(0.9) == "0.9"
    a = _Demo.parse("Demo", {"num_hidden": 3})
    assert a.to_strings(["num_hidden", "flag"]) == {"num_hidden": "3", "flag": "False"}


def test_registry_lookup_and_aliases():
    op = registry.get("elemwise_add")
    assert registry.get("_plus") is op and op.inputs == ("lhs", "rhs")
    with pytest.raises(GluonicValueError, match="not registered"):
        registry.get("NoSuchOp")
    names = {o.name for o in registry.all_ops()}
    assert "broadcast_add" in names


def test_every_op_has_a_docstring_and_a_function():
    for op in registry.all_ops():
        assert op.doc, f"{op.name} has no docstring"
    assert mx.nd.broadcast_add.__name__ == "broadcast_add"
    assert mx.nd._internal._plus_scalar.op is registry.get("_plus_scalar")


def test_attr_parse_is_cached():
    op = registry.get("_plus_scalar")
    assert op.parse_attrs({"scalar": 2.0}) is op.parse_attrs({"scalar": 2.0})
