"""Write MXNet NDArray files with real MXNet 1.9.1, for gluonic's format tests.

Run with MXNet's interpreter (not gluonic's)::

    /work/mxvenv/bin/python tests/golden/make_golden_format.py           # (re)write tests/golden/format/
    /work/mxvenv/bin/python tests/golden/make_golden_format.py --check F...  # load files with MXNet, print JSON

The first form writes small ``*.bin``/``*.params`` files plus ``manifest.json``, which
records for every file what MXNet reports after saving it: list or dict, names, shapes,
dtypes, contexts, and the values as little-endian hex (bfloat16 as its raw 16-bit
patterns, bool as one byte per element). The ``--check`` form loads each given
file with MXNet (trying NumPy shape semantics when the plain load refuses) and prints
the same description as JSON, so tests can prove that MXNet reads files gluonic wrote.
"""
from __future__ import annotations

import ctypes
import json
import os
import sys

import numpy as np

try:
    import mxnet as mx
except ImportError:  # imported under gluonic's Python (pytest's doctest collection): nothing to run
    mx = None
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "format")

_CODE_NAMES = {0: "float32", 1: "float64", 2: "float16", 3: "uint8", 4: "int32", 5: "int8", 6: "int64",
               7: "bool", 12: "bfloat16"}
_DEV_NAMES = {1: "cpu", 2: "gpu", 3: "cpu_pinned", 5: "cpu_shared"}


def cast(x, dtype: str):
    """amp_cast through the C API: MXNet's Python front end cannot name bfloat16."""
    from mxnet._ctypes.ndarray import _imperative_invoke
    from mxnet.base import _LIB, c_str, check_call

    handle = ctypes.c_void_p()
    check_call(_LIB.NNGetOpHandle(c_str("amp_cast"), ctypes.byref(handle)))
    return _imperative_invoke(handle.value, [x], ["dtype"], [dtype], None, False, False)


def dtype_code(x) -> int:
    from mxnet.base import _LIB, check_call

    code = ctypes.c_int()
    check_call(_LIB.MXNDArrayGetDType(x.handle, ctypes.byref(code)))
    return code.value


def bfloat16_bits(x) -> np.ndarray:
    """The raw uint16 patterns of a bfloat16 array (MXNet's Python cannot convert it)."""
    from mxnet.base import _LIB, check_call

    out = np.empty(x.shape, np.uint16)
    check_call(_LIB.MXNDArraySyncCopyToCPU(x.handle, out.ctypes.data_as(ctypes.c_void_p), ctypes.c_size_t(out.size)))
    return out


def describe_array(x) -> dict:
    code = dtype_code(x)
    name = _CODE_NAMES[code]
    if name == "bfloat16":
        values = bfloat16_bits(x)
    else:
        values = x.asnumpy()
        if name == "bool":
            values = values.astype(np.uint8)
    values = np.ascontiguousarray(values)
    return {
        "shape": list(x.shape),
        "dtype": name,
        "stype": x.stype,
        "context": str(x.context),
        "hex": values.astype(values.dtype.newbyteorder("<")).tobytes().hex(),
    }


def describe(loaded) -> dict:
    if isinstance(loaded, dict):
        return {"kind": "dict", "names": list(loaded), "arrays": [describe_array(v) for v in loaded.values()]}
    return {"kind": "list", "names": [], "arrays": [describe_array(v) for v in loaded]}


def load_any(path: str):
    """Load with MXNet; retry with NumPy shape semantics (files with V3 arrays need it)."""
    try:
        return mx.nd.load(path), False
    except mx.base.MXNetError:
        with mx.util.np_shape(True):
            return mx.nd.load(path), True


# ----------------------------------------------------------------------------- contents
def all_dtypes() -> list:
    """One small array per dtype MXNet 1.9.1 can hold in an NDArray file."""
    out = [
        mx.nd.array([[0.0, -0.0, 1.5], [np.inf, -np.inf, np.nan], [1e-45, 3.4e38, -2.0]], dtype="float32"),
        mx.nd.array([1 / 3, -1e300, 5e-324, np.nan], dtype="float64"),
        mx.nd.array([0.5, -65504.0, 6e-8, np.inf], dtype="float16"),
        mx.nd.array([0, 1, 127, 128, 255], dtype="uint8"),
        mx.nd.array([-(2**31), 2**31 - 1, 0, 7], dtype="int32"),
        mx.nd.array([-128, 127, 0, -1], dtype="int8"),
        mx.nd.array(np.array([-(2**63), 2**63 - 1, 0, 12345678901234], dtype=np.int64), dtype="int64"),
        mx.nd.array([True, False, True, True], dtype="bool"),
        cast(mx.nd.array([1.0, -0.1, 3.140625, 1e38, -np.inf, 0.0], dtype="float32"), "bfloat16"),
    ]
    return out


def arange(shape, dtype="float32"):
    n = int(np.prod(shape))
    return mx.nd.array((np.arange(n) * 0.25 - 1.0).reshape(shape), dtype=dtype)


def build() -> dict:
    """Write every golden file; return the manifest entries."""
    os.makedirs(OUT, exist_ok=True)
    manifest = {}

    def record(fname, np_shape=False):
        path = os.path.join(OUT, fname)
        loaded = None
        try:
            if np_shape:
                with mx.util.np_shape(True):
                    loaded = mx.nd.load(path)
            else:
                loaded = mx.nd.load(path)
            entry = describe(loaded)
        except mx.base.MXNetError:
            entry = None  # MXNet cannot read back what it wrote; caller supplies the content
        return path, entry

    def add(fname, data, note="", np_shape=False, saved_context=None):
        path = os.path.join(OUT, fname)
        if np_shape:
            with mx.util.np_shape(True):
                mx.nd.save(path, data)
        else:
            mx.nd.save(path, data)
        _, entry = record(fname, np_shape)
        entry.update({"np_shape": np_shape, "note": note, "mxnet_loads": True, "saved_context": saved_context})
        manifest[fname] = entry

    dts = all_dtypes()
    add("list_all_dtypes.bin", dts, "one array per dtype, list save")
    add("dict_all_dtypes.bin", {_CODE_NAMES[dtype_code(x)]: x for x in dts}, "one array per dtype, dict save")
    add("list_shapes.bin", [arange((2, 3)), arange((1,)), arange((2, 1, 3, 2)), arange((1, 2, 1, 2, 1, 2)),
                            arange((16, 16), "float64")], "ranks 1 to 6")
    add("dict_unicode_names.bin", {"weight": arange((2,)), "ünïcødé": arange((1,)), "名前": arange((3,)),
                                   "🙂": arange((1,), "int64"), "": arange((1,)), "n" * 300: arange((2, 2))},
        "names: non-ASCII, emoji, empty, 300 characters")
    add("list_empty.bin", [], "mx.nd.save(f, [])")
    add("dict_empty.bin", {}, "mx.nd.save(f, {}): loads back as an empty list")
    add("single_ndarray.bin", arange((2, 2)), "mx.nd.save(f, x) with a bare NDArray: a one-element list")
    add("legacy_zero_size.bin", [mx.nd.array(np.zeros((0, 3), np.float32)), mx.nd.array(np.zeros((2, 0)), dtype="int32"),
                                 arange((2,))], "zero-size arrays without NumPy shape semantics: V2")
    add("np_scalars.bin", {"a": mx.nd.array(np.float32(3.5)), "b": mx.nd.array(np.int64(-7), dtype="int64"),
                           "c": arange((2,))}, "0-d arrays under NumPy shape semantics: V3", np_shape=True)
    add("np_zero_size.bin", [mx.nd.array(np.zeros((0, 3), np.float32)), mx.nd.array(np.zeros((2, 0, 4)), dtype="float16"),
                             mx.nd.array(np.float64(2.0), dtype="float64")], "zero-size and 0-d, NumPy shape semantics: V3",
        np_shape=True)
    add("ctx_cpu1.bin", [mx.nd.array([1, 2], ctx=mx.cpu(1))], "saved from cpu(1): context (1, 1); loads on cpu(0)",
        saved_context=[1, 1])
    add("ctx_cpu_pinned.bin", [mx.nd.array([1, 2], ctx=mx.cpu_pinned(0))], "saved from cpu_pinned(0): (3, 0)",
        saved_context=[3, 0])
    rs = mx.nd.sparse.row_sparse_array((np.array([[1, 2], [3, 4]], np.float32), np.array([1, 3])), shape=(5, 2))
    csr = mx.nd.sparse.csr_matrix((np.array([1.0, 2, 3], np.float32), np.array([0, 2, 1]), np.array([0, 1, 1, 3])),
                               shape=(3, 4))
    empty_rs = mx.nd.sparse.zeros("row_sparse", (3, 2))
    add("sparse.bin", {"rs": rs, "csr": csr, "rs_empty": empty_rs}, "row_sparse and csr storage")
    manifest["sparse.bin"]["dense_hex"] = [
        x.tostype("default").asnumpy().tobytes().hex() for x in (rs, csr, empty_rs)
    ]

    # A 0-d array saved without NumPy shape semantics: MXNet writes ndim 0 followed by a
    # context, dtype and one element, then refuses to load its own file.
    path = os.path.join(OUT, "legacy_scalar.bin")
    scalar = mx.nd.array(np.float32(3.5))
    mx.nd.save(path, [scalar, arange((2,))])
    _, entry = record("legacy_scalar.bin")
    assert entry is None, "MXNet learned to load legacy 0-d arrays?"
    manifest["legacy_scalar.bin"] = {
        "kind": "list", "names": [], "np_shape": False, "mxnet_loads": False,
        "note": "0-d array saved without NumPy shape semantics: V2 with ndim 0 and data; MXNet cannot load it",
        "arrays": [dict(describe_array(scalar), shape=[]), describe_array(arange((2,)))],
    }

    # A file saved from gpu(1): written on CPU and patched (same bytes as a GPU build writes,
    # which copies to the CPU before writing). MXNet without GPUs loads it on cpu(0).
    path = os.path.join(OUT, "ctx_gpu1.bin")
    mx.nd.save(path, {"w": arange((2, 2))})
    raw = bytearray(open(path, "rb").read())
    ctx_at = 24 + 4 + 4 + 4 + 2 * 8  # list header, magic, stype, ndim, 2 dims
    assert raw[ctx_at:ctx_at + 8] == bytes.fromhex("0100000000000000")
    raw[ctx_at:ctx_at + 8] = bytes.fromhex("0200000001000000")
    with open(path, "wb") as f:
        f.write(raw)
    _, entry = record("ctx_gpu1.bin")
    entry.update({"np_shape": False, "mxnet_loads": True, "saved_context": [2, 1],
                  "note": "context patched to gpu(1) (dev_type 2, dev_id 1)"})
    manifest["ctx_gpu1.bin"] = entry

    # Gluon parameter files: save_parameters and export.
    from mxnet.gluon import nn

    mx.random.seed(0)
    net = nn.HybridSequential(prefix="net_")
    with net.name_scope():
        net.add(nn.Dense(3, in_units=4), nn.BatchNorm(in_channels=3))
    net.initialize(mx.init.Uniform(0.5))
    net.hybridize()
    net(mx.nd.ones((2, 4)))
    net.save_parameters(os.path.join(OUT, "gluon_net.params"))
    net.export(os.path.join(OUT, "gluon_net"), 0)
    os.remove(os.path.join(OUT, "gluon_net-symbol.json"))
    for fname, note in (("gluon_net.params", "Block.save_parameters"), ("gluon_net-0000.params", "export")):
        _, entry = record(fname)
        entry.update({"np_shape": False, "mxnet_loads": True, "note": note})
        manifest[fname] = entry
    for entry in manifest.values():
        entry.setdefault("saved_context", None)
    return manifest


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--check":
        report = {}
        for path in argv[1:]:
            try:
                loaded, np_shape = load_any(path)
                report[path] = dict(describe(loaded), ok=True, np_shape=np_shape)
            except Exception as e:  # report everything, the test decides
                report[path] = {"ok": False, "error": str(e).splitlines()[-1][:300] if str(e) else repr(e)}
        json.dump(report, sys.stdout, indent=1, ensure_ascii=False)
        return 0
    if mx is None:
        sys.exit("run this script with MXNet's Python: /work/mxvenv/bin/python")
    manifest = build()
    with open(os.path.join(OUT, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"mxnet_version": mx.__version__, "files": manifest}, f, indent=1, ensure_ascii=False,
                  sort_keys=True)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"wrote {len(manifest)} files to {OUT} ({total} bytes with the manifest)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

