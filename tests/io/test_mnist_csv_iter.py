"""Tests of mx.io.MNISTIter and mx.io.CSVIter against MXNet 1.9.1, batch for batch.

tests/golden/make_golden_vision.py ran the cases below under MXNet on the files that
``write_iter_files`` writes (tests/golden/vision/iters.json); here gluonic runs them on
the same files."""
import gzip
import json
import os
import sys

import numpy as np
import pytest

import gluonic as mx
from gluonic.base import FileFormatError, MXNetError

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden"))
import make_golden_vision as gen  # noqa: E402

with open(os.path.join(os.path.dirname(gen.__file__), "vision", "iters.json")) as _f:
    GOLDEN = json.load(_f)


@pytest.fixture
def files(tmp_path, monkeypatch):
    gen.write_iter_files(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("name, kwargs, epochs", gen.MNIST_ITER_CASES, ids=[c[0] for c in gen.MNIST_ITER_CASES])
def test_mnist_iter_matches_mxnet(files, name, kwargs, epochs):
    it = mx.io.MNISTIter(silent=True, **kwargs)
    want = GOLDEN["mnist"][name]
    assert list(it.provide_data[0].shape) == want["provide_data"]
    assert gen.iter_epochs(it, epochs, "mnist") == want["epochs"]


@pytest.mark.parametrize("name, kwargs, epochs", gen.CSV_ITER_CASES, ids=[c[0] for c in gen.CSV_ITER_CASES])
def test_csv_iter_matches_mxnet(files, name, kwargs, epochs):
    it = mx.io.CSVIter(**kwargs)
    want = GOLDEN["csv"][name]
    assert list(it.provide_data[0].shape) == want["provide_data"]
    assert list(it.provide_label[0].shape) == want["provide_label"]
    got = gen.iter_epochs(it, epochs, "csv")
    if not kwargs.get("round_batch", True):  # MXNet leaves the padding rows undefined
        for epochs_ in (got, want["epochs"]):
            for b in [epoch[-1] for epoch in epochs_]:
                keep = len(b["ids"]) - b["pad"]
                b["ids"], b["label"] = b["ids"][:keep], b["label"][:keep]
    assert got == want["epochs"]


def test_golden_values_hard_coded():
    assert [b["ids"] for b in GOLDEN["mnist"]["shuffle"]["epochs"][0]] == [[10, 5, 6], [3, 9, 12], [1, 11, 8],
                                                                          [4, 2, 7]]
    assert [(b["ids"], b["pad"]) for b in GOLDEN["csv"]["round"]["epochs"][1]] == [([2, 3, 4], 0), ([5, 6, 0], 1)]


def test_mnist_iter_values(files):
    it = mx.io.MNISTIter(image="img10", label="lab10", batch_size=5, shuffle=False, flat=True, silent=True)
    batch = it.next()
    images = np.frombuffer((files / "img10").read_bytes()[16:], np.uint8).reshape(10, 6, 5)
    np.testing.assert_array_equal(batch.data[0].asnumpy(), images[:5].reshape(5, -1).astype(np.float32) / 256)
    assert batch.label[0].asnumpy().tolist() == [3, 4, 5, 6, 7]
    assert batch.data[0].dtype == np.float32 and batch.pad == 0
    assert batch.index.tolist() == [0, 1, 2, 3, 4]
    assert isinstance(it, mx.io.DataIter)
    assert repr(it.provide_label[0]) == "DataDesc[softmax_label,(5,),<class 'numpy.float32'>,NCHW]"


def test_mnist_iter_gzip_dtype_and_large_shuffle(tmp_path):
    root = str(tmp_path)
    gen.write_mnist(root, n_train=300, n_test=1, size=(2, 2))
    it = mx.io.MNISTIter(image=os.path.join(root, "train-images-idx3-ubyte.gz"),
                         label=os.path.join(root, "train-labels-idx1-ubyte.gz"), batch_size=300, seed=11,
                         dtype="float64", silent=True)
    batch = it.next()
    assert batch.data[0].dtype == np.float64
    order = batch.index
    assert sorted(order.tolist()) == list(range(300)) and order.tolist() != list(range(300))
    it2 = mx.io.MNISTIter(image=os.path.join(root, "train-images-idx3-ubyte.gz"),
                          label=os.path.join(root, "train-labels-idx1-ubyte.gz"), batch_size=300, seed=11,
                          silent=True)
    assert it2.next().index.tolist() == order.tolist()


def test_mnist_iter_errors(files):
    with pytest.raises(FileNotFoundError, match="nowhere"):
        mx.io.MNISTIter(image="nowhere", label="lab10")
    with pytest.raises(MXNetError, match="batch_size is larger"):
        mx.io.MNISTIter(image="img10", label="lab10", batch_size=11)
    with pytest.raises(FileFormatError, match="holds 10 images but lab13 holds 13"):
        mx.io.MNISTIter(image="img10", label="lab13")
    (files / "bad").write_bytes(gzip.compress(b"\x00\x00\x08\x03" + b"\x00" * 6))
    with pytest.raises(FileFormatError, match="bad: truncated"):
        mx.io.MNISTIter(image="bad", label="lab10")
    with pytest.raises(MXNetError, match="part_index"):
        mx.io.MNISTIter(image="img10", label="lab10", num_parts=2, part_index=2)


def test_csv_iter_directory_and_errors(files):
    (files / "dir").mkdir()
    np.savetxt(files / "dir" / "a.csv", np.ones((2, 3)), delimiter=",")
    np.savetxt(files / "dir" / "b.csv", np.zeros((1, 3)), delimiter=",")
    it = mx.io.CSVIter(data_csv=str(files / "dir"), data_shape=(3,), batch_size=3)
    assert it.next().data[0].asnumpy().tolist() == [[1, 1, 1], [1, 1, 1], [0, 0, 0]]
    with pytest.raises(FileFormatError, match="4 values"):
        mx.io.CSVIter(data_csv="d.csv", data_shape=(2, 2, 1, 1, 2), batch_size=2)
    with pytest.raises(FileFormatError, match="7 rows but"):
        np.savetxt(files / "l3.csv", np.zeros(3), delimiter=",")
        mx.io.CSVIter(data_csv="d.csv", data_shape=(4,), label_csv="l3.csv", batch_size=2)
    with pytest.raises(MXNetError, match="batch_size is required"):
        mx.io.CSVIter(data_csv="d.csv", data_shape=(4,))
    with pytest.raises(FileNotFoundError):
        mx.io.CSVIter(data_csv="missing.csv", data_shape=(4,), batch_size=2)


def test_csv_iter_keeps_cycling_past_one_wrap(files):
    # MXNet fails on the third epoch here ("number of input must be bigger than batch size").
    it = mx.io.CSVIter(data_csv="d.csv", data_shape=(4,), batch_size=10)
    epochs = gen.iter_epochs(it, 3, "csv")
    assert epochs[2][0]["ids"] == [6, 0, 1, 2, 3, 4, 5, 6, 0, 1] and epochs[2][0]["pad"] == 9
