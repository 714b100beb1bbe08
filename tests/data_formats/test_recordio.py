"""mx.recordio: byte compatibility with MXNet 1.9.1's .rec/.idx files, pack/unpack, errors.

Golden files come from ``tests/golden/make_golden_recordio.py`` run with real MXNet.
"""
from __future__ import annotations

import json
import os
import pickle
import struct
from pathlib import Path

import numpy as np
import pytest

from gluonic import recordio
from gluonic.base import FileFormatError, GluonicTypeError, GluonicValueError, MXNetError

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "recordio"
INFO = json.loads((GOLDEN / "expected.json").read_text())
RAW = [(key, bytes.fromhex(h)) for key, h in INFO["raw"]]
PACKED = [bytes.fromhex(h) for h in INFO["packed"]]
IMAGES = ["color.jpg", "rgb.png", "gray.jpg", "rgba.png", "palette.png"]
MAGIC = struct.pack("<I", 0xCED7230A)


def _write_raw(tmp_path):
    idx, rec = tmp_path / "raw.idx", tmp_path / "raw.rec"
    w = recordio.MXIndexedRecordIO(idx, rec, "w")
    for key, data in RAW:
        w.write_idx(key, data)
    for i, data in enumerate(PACKED):
        w.write_idx(100 + i, data)
    w.close()
    return idx, rec


# ----------------------------------------------------------------------------- golden files

def test_reads_mxnet_files_by_key_and_in_sequence():
    r = recordio.MXIndexedRecordIO(GOLDEN / "raw.idx", GOLDEN / "raw.rec", "r")
    assert r.keys == [k for k, _ in RAW] + [100, 101]
    for key, data in reversed(RAW):  # random access, in any order
        assert r.read_idx(key) == data
    assert r.read_idx(101) == PACKED[1]
    r.close()
    seq = recordio.MXRecordIO(GOLDEN / "raw.rec", "r")
    assert [seq.read() for _ in range(len(RAW) + 2)] == [d for _, d in RAW] + PACKED
    assert seq.read() is None and seq.read() is None
    seq.reset()
    assert seq.read() == RAW[0][1]


def test_writer_bytes_equal_mxnet(tmp_path):
    idx, rec = _write_raw(tmp_path)
    assert rec.read_bytes() == (GOLDEN / "raw.rec").read_bytes()
    assert idx.read_text() == (GOLDEN / "raw.idx").read_text()
    # the sequential writer gives the same .rec bytes
    with recordio.MXRecordIO(tmp_path / "seq.rec", "w") as w:
        for data in [d for _, d in RAW] + PACKED:
            w.write(data)
    assert (tmp_path / "seq.rec").read_bytes() == (GOLDEN / "raw.rec").read_bytes()


def test_image_records_equal_mxnet(tmp_path):
    w = recordio.MXIndexedRecordIO(tmp_path / "images.idx", tmp_path / "images.rec", "w")
    for i, name in enumerate(IMAGES):
        w.write_idx(i, recordio.pack(recordio.IRHeader(0, float(i), 100 + i, 0), (GOLDEN / "src" / name).read_bytes()))
    w.close()
    assert (tmp_path / "images.rec").read_bytes() == (GOLDEN / "images.rec").read_bytes()
    assert (tmp_path / "images.idx").read_text() == (GOLDEN / "images.idx").read_text()


def test_magic_number_splits_records_like_mxnet():
    # aligned magic numbers are cut out and announced by continuation flags 1/2/3
    encoded = recordio._encode_record(b"abcd" + MAGIC + b"efgh" + MAGIC)
    heads = [struct.unpack_from("<II", encoded, off) for off in (0, 12, 24)]
    assert [(h >> 29, h & 0xFFFF) for _, h in heads] == [(1, 4), (2, 4), (3, 0)]
    assert recordio._encode_record(b"xx" + MAGIC) == struct.pack("<II", 0xCED7230A, 6) + b"xx" + MAGIC + b"\0\0"


def test_pack_unpack_match_mxnet():
    assert recordio.pack(recordio.IRHeader(0, 2.5, 11, 0), b"payload") == PACKED[0]
    assert recordio.pack((5, [1.5, -2.0, 3.25], 12, 0), b"multi") == PACKED[1]  # flag is recomputed
    header, payload = recordio.unpack(PACKED[1])
    assert (header.flag, header.id, header.id2, payload) == (3, 12, 0, b"multi")
    assert header.label.dtype == np.float32 and header.label.tolist() == [1.5, -2.0, 3.25]
    header, payload = recordio.unpack(PACKED[0])
    assert header == recordio.IRHeader(0, 2.5, 11, 0) and payload == b"payload"
    assert repr(header) == "HEADER(flag=0, label=2.5, id=11, id2=0)"
    assert recordio.unpack(recordio.pack(recordio.IRHeader(0, np.float32(4), 1, 0), b""))[0].label == 4.0


# ----------------------------------------------------------------------------- API

def test_tell_positions_and_index(tmp_path):
    w = recordio.MXIndexedRecordIO(tmp_path / "a.idx", tmp_path / "a.rec", "w")
    positions = []
    for i in range(5):
        positions.append(w.tell())
        w.write_idx(i, b"record_%d" % i)
    assert positions == [0, 16, 32, 48, 64] and w.tell() == 80
    w.close()
    r = recordio.MXIndexedRecordIO(tmp_path / "a.idx", tmp_path / "a.rec", "r")
    assert r.idx == dict(zip(range(5), positions))
    r.seek(2)
    assert r.read() == b"record_2" and r.read() == b"record_3"
    assert r.tell() == 64


def test_string_keys_large_records_and_bytes_like(tmp_path):
    rng = np.random.RandomState(0)
    big = rng.randint(0, 256, 100_000).astype(np.uint8).tobytes()
    big = big[:400] + MAGIC + big[404:800] + MAGIC + big[800:]  # aligned magics inside
    w = recordio.MXIndexedRecordIO(tmp_path / "s.idx", tmp_path / "s.rec", "w", key_type=str)
    w.write_idx("big", big)
    w.write_idx("view", memoryview(b"mv"))
    w.write_idx("array", np.arange(3, dtype=np.uint8))
    w.write_idx("ba", bytearray(b"ba"))
    w.close()
    r = recordio.MXIndexedRecordIO(tmp_path / "s.idx", tmp_path / "s.rec", "r", key_type=str)
    assert r.keys == ["big", "view", "array", "ba"]
    assert r.read_idx("big") == big and r.read_idx("array") == b"\0\1\2" and r.read_idx("ba") == b"ba"


def test_context_manager_reset_and_closed_file(tmp_path):
    path = tmp_path / "c.rec"
    with recordio.MXRecordIO(path, "w") as w:
        w.write(b"one")
    assert not w.is_open
    w.close()  # twice is harmless
    r = recordio.MXRecordIO(path, "r")
    assert r.read() == b"one"
    r.close()
    with pytest.raises(GluonicValueError, match="closed"):
        r.read()
    w = recordio.MXRecordIO(path, "w")
    w.write(b"x")
    w.reset()  # a writer truncates
    w.close()
    assert path.read_bytes() == b""


def test_misuse_errors(tmp_path):
    path = tmp_path / "m.rec"
    with pytest.raises(GluonicValueError, match="flag must be 'r' or 'w'"):
        recordio.MXRecordIO(path, "a")
    w = recordio.MXRecordIO(path, "w")
    with pytest.raises(GluonicTypeError, match="encode str"):
        w.write("text")
    with pytest.raises(GluonicValueError, match="opened for writing"):
        w.read()
    w.close()
    with pytest.raises(GluonicValueError, match="opened for reading"):
        recordio.MXRecordIO(path, "r").write(b"x")
    with pytest.raises(recordio.RecordIOFileError, match="missing.rec") as err:
        recordio.MXRecordIO(tmp_path / "missing.rec", "r")
    assert isinstance(err.value, OSError) and isinstance(err.value, MXNetError)
    r = recordio.MXIndexedRecordIO(GOLDEN / "raw.idx", GOLDEN / "raw.rec", "r")
    with pytest.raises(KeyError, match="key 42 is not in the index"):
        r.read_idx(42)
    with pytest.raises(GluonicValueError, match="IRHeader"):
        recordio.unpack(b"short")
    with pytest.raises(GluonicValueError, match="3 float32 labels"):
        recordio.unpack(PACKED[1][:30])


@pytest.mark.parametrize("mutate, match", [
    (lambda b: b"\x00" + b[1:], r"expected the magic number 0xced7230a, found 0x.* at byte offset 0"),
    (lambda b: b[:-3], r"truncated record: .* at byte offset"),
    (lambda b: b + b"\x0a\x23", r"truncated record header \(2 of 8 bytes\) at byte offset 1048"),
    (lambda b: b[:0x50] + b[0x5c:], r"continuation flag"),  # drop the first part of record 6
])
def test_corrupt_files_raise_clearly(tmp_path, mutate, match):
    path = tmp_path / "bad.rec"
    path.write_bytes(mutate((GOLDEN / "raw.rec").read_bytes()))
    r = recordio.MXRecordIO(path, "r")
    with pytest.raises(FileFormatError, match=match) as err:
        while r.read() is not None:
            pass
    assert "bad.rec" in str(err.value)


def test_corrupt_index(tmp_path):
    (tmp_path / "a.idx").write_text("0\t0\nnot-a-line\n")
    (tmp_path / "a.rec").write_bytes(b"")
    with pytest.raises(FileFormatError, match=r"line 2 .*'not-a-line'"):
        recordio.MXIndexedRecordIO(tmp_path / "a.idx", tmp_path / "a.rec", "r")
    (tmp_path / "a.idx").write_text("0\t0\n\n")  # blank lines are skipped
    r = recordio.MXIndexedRecordIO(tmp_path / "a.idx", tmp_path / "a.rec", "r")
    with pytest.raises(FileFormatError, match="points past the end"):
        r.read_idx(0)


def test_pickle_and_other_process(tmp_path):
    r = recordio.MXIndexedRecordIO(GOLDEN / "raw.idx", GOLDEN / "raw.rec", "r")
    r.read_idx(3)
    clone = pickle.loads(pickle.dumps(r))
    assert clone.read_idx(2) == b"abcd" and clone.keys == r.keys
    r.pid = -1  # as if opened in another process: read() refuses, read_idx() reopens
    with pytest.raises(MXNetError, match="multiple processes"):
        r.read()
    assert r.read_idx(5) == RAW[5][1] and r.pid == os.getpid()


# ----------------------------------------------------------------------------- images

def _bgr_image(h=9, w=11, seed=0):
    return np.random.RandomState(seed).randint(0, 256, (h, w, 3)).astype(np.uint8)


def test_pack_img_unpack_img_png_is_lossless():
    pytest.importorskip("PIL")
    img = _bgr_image()
    header, out = recordio.unpack_img(recordio.pack_img(recordio.IRHeader(0, 3.0, 9, 0), img, img_fmt=".png"))
    assert header.label == 3.0 and header.id == 9
    np.testing.assert_array_equal(out, img)  # BGR in, BGR out (OpenCV's order)
    gray = img[..., 0]
    _, out = recordio.unpack_img(recordio.pack_img((0, 1.0, 0, 0), gray, quality=9, img_fmt=".PNG"))
    np.testing.assert_array_equal(out, gray)
    assert recordio.unpack_img(recordio.pack_img((0, 1.0, 0, 0), img, img_fmt=".png"), iscolor=0)[1].shape == (9, 11)
    bgra = np.concatenate([img, img[..., :1]], axis=2)
    _, out = recordio.unpack_img(recordio.pack_img((0, 1.0, 0, 0), bgra, img_fmt=".png"))
    np.testing.assert_array_equal(out, bgra)


def test_pack_img_jpeg_is_close():
    pytest.importorskip("PIL")
    y, x = np.mgrid[0:32, 0:32]
    img = np.stack([x * 8, y * 8, (x + y) * 4], -1).astype(np.uint8)
    _, out = recordio.unpack_img(recordio.pack_img((0, 0.0, 0, 0), img, quality=95))
    assert out.shape == (32, 32, 3) and np.abs(out.astype(int) - img).mean() < 2
    _, gray = recordio.unpack_img(recordio.pack_img((0, 0.0, 0, 0), img), iscolor=0)
    assert gray.shape == (32, 32)
    with pytest.raises(GluonicValueError, match="unsupported image format"):
        recordio.pack_img((0, 0.0, 0, 0), img, img_fmt=".gifx")
    with pytest.raises(GluonicValueError, match="iscolor"):
        recordio.unpack_img(recordio.pack_img((0, 0.0, 0, 0), img), iscolor=3)
