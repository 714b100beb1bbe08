"""nd.save / nd.load / nd.load_frombuffer: MXNet 1.9.1 golden files, round trips, hostile input.

Golden files come from ``tests/golden/make_golden_format.py`` run with real MXNet; the
manifest records what MXNet itself reports for each file.
"""
from __future__ import annotations

import json
import os
import pickle
import random
import struct
import subprocess
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import torch

import gluonic as mx
import gluonic.util  # noqa: F401  (mx.util)
from gluonic.base import FileFormatError, MXNetError
from gluonic.io import ndarray_format as fmt
from gluonic.ndarray import utils as nd_utils

nd = mx.nd
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "format"
SCRIPT = GOLDEN.parent / "make_golden_format.py"
MANIFEST = json.loads((GOLDEN / "manifest.json").read_text(encoding="utf-8"))["files"]
MXNET_PYTHON = os.environ.get("GLUONIC_MXNET_PYTHON", "/work/mxvenv/bin/python")
_NP = {"float32": "<f4", "float64": "<f8", "float16": "<f2", "uint8": "u1", "int32": "<i4", "int8": "i1",
       "int64": "<i8", "bool": "u1", "bfloat16": "<i2"}  # how the manifest's hex stores values
_TORCH = {v: k for k, v in fmt._TORCH_NAMES.items()}


def expected_tensor(entry: dict) -> torch.Tensor:
    """The array the manifest describes, with its exact dtype."""
    a = np.frombuffer(bytes.fromhex(entry["hex"]), _NP[entry["dtype"]]).reshape(entry["shape"]).copy()
    if entry["dtype"] == "bfloat16":
        return torch.from_numpy(a).view(torch.bfloat16)
    return torch.from_numpy(a).to(_TORCH[entry["dtype"]])


def comparable(t: torch.Tensor) -> bytes:
    """Bytes to compare bit for bit (bfloat16 as its 16-bit patterns, bool as bytes)."""
    t = t.detach().cpu()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    a = t.contiguous().numpy()
    return (a.astype(np.uint8) if t.dtype == torch.bool else a).tobytes()


def dtype_name(x) -> str:
    return fmt._TORCH_NAMES[x.as_torch().dtype]


# ----------------------------------------------------------------------------- golden files
@pytest.mark.parametrize("fname", sorted(MANIFEST))
def test_golden_files_load_as_mxnet_reports(fname):
    entry = MANIFEST[fname]
    out = nd.load(GOLDEN / fname)
    assert isinstance(out, dict if entry["kind"] == "dict" else list)
    arrays = list(out.values()) if isinstance(out, dict) else out
    if isinstance(out, dict):
        assert list(out) == entry["names"]
    assert len(arrays) == len(entry["arrays"])
    dense = entry.get("dense_hex")
    for i, (x, want) in enumerate(zip(arrays, entry["arrays"])):
        assert isinstance(x, mx.nd.NDArray)
        assert x.shape == tuple(want["shape"]) and dtype_name(x) == want["dtype"], (i, x.shape, x.dtype)
        assert x.context == mx.cpu(0)
        got = comparable(x.as_torch())
        assert got == (bytes.fromhex(dense[i]) if dense else comparable(expected_tensor(want))), i


def _stored_from_manifest(entry: dict) -> list[fmt.StoredArray]:
    dev = entry["saved_context"] or [1, 0]
    return [fmt.tensor_to_stored(expected_tensor(a), *dev) for a in entry["arrays"]]


@pytest.mark.parametrize("fname", sorted(f for f in MANIFEST if f != "sparse.bin"))
def test_writer_matches_mxnet_bytes(fname):
    """Our writer produces MXNet's exact bytes for the same content (sparse we only read)."""
    entry = MANIFEST[fname]
    stored = _stored_from_manifest(entry)
    data = fmt.to_bytes(stored, entry["names"], np_shape=entry["np_shape"])
    assert data == (GOLDEN / fname).read_bytes()


@pytest.mark.parametrize("fname", sorted(f for f in MANIFEST if f not in ("sparse.bin", "ctx_gpu1.bin",
                                                                        "legacy_scalar.bin")))
def test_nd_save_matches_mxnet_bytes(fname, tmp_path):
    """The public nd.save writes what MXNet's nd.save wrote (contexts included)."""
    entry = MANIFEST[fname]
    dev = entry["saved_context"] or [1, 0]
    ctx = mx.context.Context({1: "cpu", 3: "cpu_pinned"}[dev[0]], dev[1])
    arrays = [mx.nd.ndarray.from_torch(expected_tensor(a), ctx) for a in entry["arrays"]]
    data = dict(zip(entry["names"], arrays)) if entry["names"] else arrays
    if fname == "single_ndarray.bin":
        data = arrays[0]
    nd.save(tmp_path / "out.bin", data)
    assert (tmp_path / "out.bin").read_bytes() == (GOLDEN / fname).read_bytes()


def test_legacy_scalar_is_read_and_rewritten_loadably(tmp_path):
    """MXNet writes a 0-d array without NumPy semantics as V2 ndim 0 + data and cannot load it;
    we load it, and nd.save writes 0-d arrays as V3 (MXNet's np_shape layout) instead."""
    out = nd.load(GOLDEN / "legacy_scalar.bin")
    assert out[0].shape == () and out[0].asscalar() == 3.5
    nd.save(tmp_path / "s.bin", out)
    raw = (tmp_path / "s.bin").read_bytes()
    assert struct.unpack_from("<I", raw, 24)[0] == fmt.V3_MAGIC
    assert [a.version for a in fmt.read_bytes(raw).arrays] == [3, 3]


def test_np_shape_switch_writes_v3_like_mxnet(tmp_path):
    entry = MANIFEST["np_zero_size.bin"]
    arrays = [mx.nd.ndarray.from_torch(expected_tensor(a)) for a in entry["arrays"][:2]]  # zero-size, not 0-d
    with mx.util.np_shape(True):
        nd.save(tmp_path / "a.nd", arrays)  # V3 only because of the switch
    golden = fmt.read_bytes((GOLDEN / "np_zero_size.bin").read_bytes())
    assert fmt.read_bytes((tmp_path / "a.nd").read_bytes()).arrays[0].version == 3
    assert fmt.to_bytes(golden.arrays[:2], np_shape=True) == (tmp_path / "a.nd").read_bytes()


def test_golden_manifest_is_small():
    assert sum(p.stat().st_size for p in GOLDEN.iterdir()) < 200_000


# ----------------------------------------------------------------------------- round trips
def _all_dtype_arrays(rng: np.random.Generator) -> dict[str, mx.nd.NDArray]:
    out = {}
    for name, torch_dtype in _TORCH.items():
        if torch_dtype.is_floating_point:
            t = torch.from_numpy(rng.standard_normal((3, 4))).to(torch_dtype)
            t[0, 0], t[0, 1], t[0, 2] = float("nan"), float("-inf"), -0.0
        elif torch_dtype == torch.bool:
            t = torch.from_numpy(rng.random((3, 4)) > 0.5)
        else:
            info = torch.iinfo(torch_dtype)
            t = torch.from_numpy(rng.integers(info.min, info.max, (3, 4), endpoint=True)).to(torch_dtype)
        out[name] = nd.ndarray.from_torch(t)
    bits = np.array([0x7FC1, 0xFFFF, 0x0001, 0x8000], np.uint16).view(np.int16)  # NaN payloads, denormal, -0
    out["bfloat16_bits"] = nd.ndarray.from_torch(torch.from_numpy(bits).view(torch.bfloat16))
    return out


def _same(a, b) -> bool:
    """Same shape, dtype and bytes (NaN payloads and -0.0 included)."""
    ta, tb = a.as_torch().detach().contiguous(), b.as_torch().detach().contiguous()
    return ta.shape == tb.shape and ta.dtype == tb.dtype and ta.view(-1).view(torch.uint8).equal(tb.view(-1).view(torch.uint8))


def test_round_trip_all_dtypes_bit_exact(tmp_path):
    arrays = _all_dtype_arrays(np.random.default_rng(0))
    nd.save(tmp_path / "d.params", arrays)
    back = nd.load(str(tmp_path / "d.params"))
    assert list(back) == list(arrays)
    for k in arrays:
        assert _same(arrays[k], back[k]), k
    nd.save(tmp_path / "l.nd", list(arrays.values()))
    back = nd.load(tmp_path / "l.nd")
    assert isinstance(back, list) and all(_same(a, b) for a, b in zip(arrays.values(), back))


@pytest.mark.parametrize("shape", [(), (0,), (0, 3), (2, 0, 4), (1,), (2, 3, 1, 2, 1, 3)])
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16, torch.bool, torch.int64])
def test_round_trip_shapes(shape, dtype):
    t = (torch.arange(int(np.prod(shape))) % 3).reshape(shape).to(dtype)
    buf = fmt.to_bytes([fmt.tensor_to_stored(t)], ["x"])
    (x,) = nd.load_frombuffer(buf).values()
    assert x.shape == shape and x.as_torch().dtype == dtype and torch.equal(x.as_torch(), t)


def test_save_forms_and_return_types(tmp_path):
    a, b = nd.array([[1, 2], [3, 4]]), nd.array([5], dtype="int32")
    p = tmp_path / "f"
    nd.save(p, a)
    out = nd.load(p)
    assert isinstance(out, list) and len(out) == 1 and out[0].asnumpy().tolist() == [[1, 2], [3, 4]]
    nd.save(p, {"b": b, "a": a})
    assert list(nd.load(p)) == ["b", "a"]  # file order = dict insertion order
    nd.save(p, {})
    assert nd.load(p) == []  # MXNet: an empty dict loads as an empty list
    nd.save(p, [a.T, a[:, 1]])  # non-contiguous views are saved by value
    out = nd.load(p)
    assert out[0].asnumpy().tolist() == [[1, 3], [2, 4]] and out[1].asnumpy().tolist() == [2, 4]
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    nd.save(p, [x])
    assert nd.load(p)[0].asnumpy().tolist() == [1.0, 2.0]


def test_load_frombuffer_accepts_bytes_like():
    buf = fmt.to_bytes([fmt.tensor_to_stored(torch.ones(2))])
    for b in (buf, bytearray(buf), memoryview(buf)):
        assert nd.load_frombuffer(b)[0].asnumpy().tolist() == [1.0, 1.0]
    with pytest.raises(TypeError):
        nd.load_frombuffer(buf.decode("latin-1"))


def test_save_rejects_bad_data(tmp_path):
    x = nd.array([1])
    with pytest.raises(TypeError, match="str to NDArray"):
        nd.save(tmp_path / "f", {1: x})
    with pytest.raises(TypeError, match="only NDArrays"):
        nd.save(tmp_path / "f", [x, np.ones(2)])
    with pytest.raises(ValueError, match="list of NDArrays"):
        nd.save(tmp_path / "f", (x,))
    with pytest.raises(TypeError):
        nd.load(123)
    assert not list(tmp_path.iterdir())


def test_load_arrays_keeps_order_and_duplicates():
    t = [fmt.tensor_to_stored(torch.tensor([float(i)])) for i in range(3)]
    buf = fmt.to_bytes(t, ["a", "b", "a"])
    names, arrays = nd_utils.load_arrays(buf)
    assert names == ["a", "b", "a"] and [x.asscalar() for x in arrays] == [0.0, 1.0, 2.0]
    assert nd.load_frombuffer(buf)["a"].asscalar() == 2.0  # dict: the last wins, as in MXNet


# ----------------------------------------------------------------------------- contexts
def test_gpu_saved_file_loads_on_cpu_without_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    w = nd.load(GOLDEN / "ctx_gpu1.bin")["w"]
    assert w.context == mx.cpu(0) and w.shape == (2, 2)
    assert fmt.read_file(GOLDEN / "ctx_gpu1.bin").arrays[0][2:4] == (2, 1)


def test_load_context_rules(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    assert nd_utils.load_context(2, 1) == mx.gpu(1)
    assert nd_utils.load_context(2, 5) == mx.cpu(0)  # MXNet would fail; we fall back
    for dev in [(1, 0), (1, 3), (3, 0), (5, 0)]:
        assert nd_utils.load_context(*dev) == mx.cpu(0)


# ----------------------------------------------------------------------------- legacy records
def _header(n: int) -> bytes:
    return struct.pack("<QQQ", fmt.LIST_MAGIC, 0, n)


V1_FILE = _header(1) + struct.pack("<Ii2q", fmt.V1_MAGIC, 2, 2, 2) + struct.pack("<iii", 1, 0, 0) + \
    np.arange(4, dtype="<f4").tobytes() + struct.pack("<Q", 0)
V0_FILE = _header(1) + struct.pack("<I2I", 2, 2, 2) + struct.pack("<iii", 1, 0, 6) + \
    np.arange(4, dtype="<i8").tobytes() + struct.pack("<Q", 1) + struct.pack("<Q", 1) + b"w"


def test_legacy_v1_and_v0_records():
    (x,) = nd.load_frombuffer(V1_FILE)
    assert x.shape == (2, 2) and x.asnumpy().tolist() == [[0, 1], [2, 3]]
    w = nd.load_frombuffer(V0_FILE)["w"]
    assert w.shape == (2, 2) and dtype_name(w) == "int64" and w.asnumpy().tolist() == [[0, 1], [2, 3]]
    assert fmt.read_bytes(V1_FILE).arrays[0].version == 1 and fmt.read_bytes(V0_FILE).arrays[0].version == 0


def test_uninitialized_arrays_load_as_none():
    after = struct.pack("<Iii1q", fmt.V2_MAGIC, 0, 1, 1) + struct.pack("<iii", 1, 0, 0) + b"\0\0\x80?"
    v2 = _header(2) + struct.pack("<Iii", fmt.V2_MAGIC, 0, 0) + after + struct.pack("<Q", 0)
    v3 = _header(2) + struct.pack("<Iii", fmt.V3_MAGIC, 0, -1) + after.replace(
        struct.pack("<I", fmt.V2_MAGIC), struct.pack("<I", fmt.V3_MAGIC)) + struct.pack("<Q", 0)
    for buf in (v2, v3):
        none, one = nd.load_frombuffer(buf)
        assert none is None and one.asnumpy().tolist() == [1.0]


# ----------------------------------------------------------------------------- real MXNet reads ours
@pytest.mark.skipif(not os.path.exists(MXNET_PYTHON), reason="real MXNet not installed")
def test_real_mxnet_loads_our_files(tmp_path):
    rng = np.random.default_rng(1)
    cases = {
        "dtypes.params": _all_dtype_arrays(rng),
        "list.nd": [nd.array(rng.standard_normal((2, 3))), nd.array([1, 2], dtype="int8")],
        "scalars.nd": {"s": nd.ndarray.from_torch(torch.tensor(2.5)), "z": nd.array(np.zeros((0, 2)))},
        "zero_size.nd": [nd.array(np.zeros((3, 0))), nd.array([[1.0]])],
        "names.nd": {"ünï": nd.array([1]), "": nd.array([2]), "🙂" * 50: nd.array([3])},
        "empty.nd": [],
    }
    paths = []
    for fname, data in cases.items():
        nd.save(tmp_path / fname, data)
        paths.append(tmp_path / fname)
    (tmp_path / "v1.nd").write_bytes(V1_FILE)
    (tmp_path / "v0.nd").write_bytes(V0_FILE)
    paths += [tmp_path / "v1.nd", tmp_path / "v0.nd"]
    run = subprocess.run([MXNET_PYTHON, str(SCRIPT), "--check", *map(str, paths)], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout)
    for path in paths:
        got = report[str(path)]
        assert got["ok"], (path.name, got)
        ours = nd.load(path)
        assert got["kind"] == ("dict" if isinstance(ours, dict) else "list"), path.name
        arrays = list(ours.values()) if isinstance(ours, dict) else ours
        assert got["names"] == (list(ours) if isinstance(ours, dict) else [])
        for x, want in zip(arrays, got["arrays"], strict=True):
            assert want["shape"] == list(x.shape) and want["dtype"] == dtype_name(x), path.name
            assert bytes.fromhex(want["hex"]) == comparable(x.as_torch()), (path.name, want)
    assert report[str(tmp_path / "scalars.nd")]["np_shape"] is True


# ----------------------------------------------------------------------------- hostile input
def _small_file() -> bytes:
    return fmt.to_bytes([fmt.tensor_to_stored(torch.tensor([[1.0, 2.0]])),
                         fmt.tensor_to_stored(torch.tensor([3], dtype=torch.int64))], ["w", "bé"])


def test_every_truncation_raises_file_format_error(tmp_path):
    buf = _small_file()
    path = tmp_path / "model.params"
    for n in range(len(buf)):
        path.write_bytes(buf[:n])
        with pytest.raises(FileFormatError, match=r"model\.params.*at byte \d+") as e:
            nd.load(path)
        assert isinstance(e.value, MXNetError) and isinstance(e.value, ValueError)
        assert 0 <= e.value.offset <= n


def _loads_or_format_error(buf: bytes) -> None:
    try:
        nd.load_frombuffer(buf)
    except FileFormatError:
        pass


def test_every_bit_flip_loads_or_raises_file_format_error():
    buf = bytearray(_small_file())
    start = time.perf_counter()
    for i in range(len(buf) * 8):
        buf[i // 8] ^= 1 << (i % 8)
        _loads_or_format_error(bytes(buf))
        buf[i // 8] ^= 1 << (i % 8)
    assert time.perf_counter() - start < 10


def test_random_bytes_raise_file_format_error():
    rng = random.Random(2)
    for _ in range(300):
        tail = rng.randbytes(rng.randrange(0, 200))
        with pytest.raises(FileFormatError):
            nd.load_frombuffer(rng.randbytes(rng.randrange(0, 40)))
        _loads_or_format_error(_header(rng.randrange(0, 4)) + tail)
        magic = rng.choice([fmt.V2_MAGIC, fmt.V3_MAGIC, fmt.V1_MAGIC, rng.randrange(0, 65)])
        _loads_or_format_error(_header(1) + struct.pack("<I", magic) + tail)


def test_mutated_golden_files_load_or_raise_file_format_error():
    """Seeded mutations (bit flips, byte overwrites, deletions) of every golden file."""
    rng = random.Random(3)
    files = [(GOLDEN / f).read_bytes() for f in sorted(MANIFEST)]
    outcomes = {"ok": 0, "error": 0}
    for _ in range(3000):
        b = bytearray(rng.choice(files))
        for _ in range(rng.randrange(1, 4)):
            i = rng.randrange(len(b))
            kind = rng.randrange(4)
            if kind == 0:
                b[i] ^= 1 << rng.randrange(8)
            elif kind == 1:
                b[i] = rng.choice([0, 1, 2, 3, 6, 7, 8, 12, 0x7F, 0x80, 0xFF])
            elif kind == 2:
                b[i:i + 8] = rng.randbytes(8)
            else:
                del b[i:i + rng.randrange(1, 16)]
        try:
            nd.load_frombuffer(bytes(b))
            outcomes["ok"] += 1
        except FileFormatError:
            outcomes["error"] += 1
    assert outcomes["ok"] > 100 and outcomes["error"] > 1000, outcomes


def _array(dims, code=0, stype=0, dev=(1, 0), magic=fmt.V2_MAGIC, ndim=None) -> bytes:
    ndim = len(dims) if ndim is None else ndim
    return struct.pack(f"<Iii{len(dims)}q", magic, stype, ndim, *dims) + struct.pack("<iii", *dev, code)


HOSTILE = {
    "file magic": (b"\x89PNG\r\n\x1a\n" + bytes(40), "file magic 0x112"),
    "array count": (struct.pack("<QQQ", fmt.LIST_MAGIC, 0, 2**64 - 1) + bytes(16), "number of arrays"),
    "huge ndim": (_header(1) + struct.pack("<Iii", fmt.V2_MAGIC, 0, 2**31 - 1) + bytes(16), "ndim"),
    "negative ndim": (_header(1) + struct.pack("<Iii", fmt.V2_MAGIC, 0, -5) + bytes(16), "ndim"),
    "huge dims": (_header(1) + _array([2**40, 2**40]) + bytes(64), "plausible shape"),
    "huge dims of nothing": (_header(1) + _array([0, 2**40, 2**40]) + bytes(64), "plausible shape"),
    "huge data": (_header(1) + _array([2**31, 4]) + bytes(64), "only"),
    "negative dim": (_header(1) + _array([3, -2]) + bytes(64), "non-negative"),
    "dtype code": (_header(1) + _array([1], code=99) + bytes(16), "dtype code"),
    "int16 dtype": (_header(1) + _array([1], code=8) + bytes(16), "int16"),
    "storage type": (_header(1) + _array([1], stype=7) + bytes(16), "storage type"),
    "context": (_header(1) + _array([1], dev=(9, 0)) + bytes(16), "context"),
    "array magic": (_header(1) + _array([1], magic=0xDEADBEEF) + bytes(16), "magic number of array 0"),
    "name count": (_header(0) + struct.pack("<Q", 2**63) + bytes(16), "0 names"),
    "sparse dense limit": (_header(1) + struct.pack("<Iii1q", fmt.V2_MAGIC, 1, 1, 0) + struct.pack("<i1q", 1, 2**40)
                           + struct.pack("<iiiii1q", 1, 0, 0, 6, 1, 0) + bytes(16), "SPARSE_DENSE_LIMIT"),
    "sparse index range": (_header(1) + struct.pack("<Iii1q", fmt.V2_MAGIC, 1, 1, 1) + struct.pack("<i1q", 1, 4)
                           + struct.pack("<iiiii1q", 1, 0, 0, 6, 1, 1) + b"\0\0\x80?" + struct.pack("<q", 9)
                           + bytes(8), "row indices"),
}
one = fmt.tensor_to_stored(torch.ones(1))
HOSTILE["name length"] = (fmt.to_bytes([one], ["x"])[:-9] + struct.pack("<Q", 2**63) + b"x", "name of array 0")
HOSTILE["bad utf-8"] = (fmt.to_bytes([one], ["x"])[:-1] + b"\xff", "UTF-8")
HOSTILE["names mismatch"] = (fmt.to_bytes([one, one])[:-8] + struct.pack("<QQ", 1, 1) + b"x", "2 names")


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_headers_fail_fast_without_allocating(case):
    buf, match = HOSTILE[case]
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(FileFormatError, match=match) as e:
            nd.load_frombuffer(buf)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert time.perf_counter() - start < 1.0
    assert peak < 8 * 2**20, peak
    assert "The buffer" in str(e.value) and "at byte" in str(e.value)


def test_error_names_file_offset_and_expectation(tmp_path):
    path = tmp_path / "net-0000.params"
    path.write_bytes(_small_file()[:28] + b"\x07" + _small_file()[29:])
    with pytest.raises(FileFormatError) as e:
        nd.load(path)
    msg = str(e.value)
    assert str(path) in msg and "at byte 28" in msg and "storage type" in msg and "Received" in msg


def test_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        nd.load(tmp_path / "nope.params")


# ----------------------------------------------------------------------------- safety
def test_save_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.params"
    nd.save(path, {"w": nd.array([1.0])})
    before = path.read_bytes()

    def broken(stream, a, version):
        stream.write(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(fmt, "_write_array", broken)
    with pytest.raises(OSError, match="disk full"):
        nd.save(path, {"w": nd.array([2.0])})
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt.params"]


def test_loading_never_unpickles(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("pickle or torch.load used while loading")

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, forbidden)
    monkeypatch.setattr(torch, "load", forbidden)
    for fname in MANIFEST:
        nd.load(GOLDEN / fname)
    for mod in (fmt, nd_utils):
        src = Path(mod.__file__).read_text()
        assert "import pickle" not in src and "torch.load" not in src
