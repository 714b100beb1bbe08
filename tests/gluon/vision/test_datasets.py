"""Tests of gluon.data.vision's data sets: standard files written here with NumPy, compared
with what MXNet 1.9.1 loads from the same files (tests/golden/vision/datasets.npz, made by
tests/golden/make_golden_vision.py)."""
import gzip
import os
import sys
import tarfile
import warnings

import numpy as np
import pytest

import gluonic as mx
from gluonic.base import FileFormatError, MXNetError
from gluonic.gluon.data.vision import (
    CIFAR10,
    CIFAR100,
    MNIST,
    DatasetNotFoundError,
    FashionMNIST,
    ImageFolderDataset,
    ImageListDataset,
)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "golden"))
import make_golden_vision as gen  # noqa: E402

GOLDEN = np.load(os.path.join(os.path.dirname(gen.__file__), "vision", "datasets.npz"))


def _check_golden(ds, name):
    data = GOLDEN[name + "/data"]
    assert len(ds) == len(data)
    for i in range(len(ds)):
        img, label = ds[i]
        assert isinstance(img, mx.nd.NDArray)
        assert img.dtype == np.uint8 and str(GOLDEN[name + "/data_dtype"]) == "uint8"
        np.testing.assert_array_equal(img.asnumpy(), data[i])
        assert label == GOLDEN[name + "/label"][i]
        assert type(label).__name__ == str(GOLDEN[name + "/label_type"])  # numpy int32, as MXNet


@pytest.mark.parametrize("gz", [True, False])
def test_mnist_matches_mxnet(tmp_path, gz):
    gen.write_mnist(str(tmp_path), gz=gz)
    _check_golden(MNIST(root=str(tmp_path)), "mnist_train")
    _check_golden(MNIST(root=str(tmp_path), train=False), "mnist_test")
    _check_golden(FashionMNIST(root=str(tmp_path), train=False), "mnist_test")


def test_mnist_golden_values_hard_coded(tmp_path):
    gen.write_mnist(str(tmp_path))
    ds = MNIST(root=str(tmp_path))
    img, label = ds[0]
    assert img.shape == (28, 28, 1) and label == 5
    assert img.asnumpy()[0, :6, 0].tolist() == [172, 47, 117, 192, 67, 251]
    assert [int(ds[i][1]) for i in range(len(ds))] == [5, 4, 2, 7, 3]


def test_mnist_transform_and_other_sizes(tmp_path):
    gen.write_mnist(str(tmp_path), size=(5, 4))
    ds = MNIST(root=str(tmp_path), transform=lambda d, lab: (d.astype("float32") / 255, lab + 1))
    img, label = ds[1]
    assert img.shape == (5, 4, 1) and img.dtype == np.float32
    assert label == MNIST(root=str(tmp_path))[1][1] + 1


def test_mnist_missing_files_are_listed(tmp_path):
    with pytest.raises(DatasetNotFoundError) as e:
        MNIST(root=str(tmp_path / "nowhere"))
    msg = str(e.value)
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                 "t10k-labels-idx1-ubyte.gz", str(tmp_path / "nowhere")):
        assert name in msg
    assert isinstance(e.value, FileNotFoundError) and isinstance(e.value, MXNetError)


def test_mnist_corrupt_files(tmp_path):
    gen.write_mnist(str(tmp_path), gz=False)
    path = tmp_path / "train-images-idx3-ubyte"
    raw = path.read_bytes()
    path.write_bytes(raw[:-10])  # truncated
    with pytest.raises(FileFormatError, match="train-images-idx3-ubyte.*truncated"):
        MNIST(root=str(tmp_path))
    path.write_bytes(b"\x00\x00\x08\x01" + raw[4:])  # wrong magic
    with pytest.raises(FileFormatError, match="magic"):
        MNIST(root=str(tmp_path))
    path.write_bytes(raw)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(gen.idx_bytes(np.zeros(3, np.uint8)))
    with pytest.raises(FileFormatError, match="5 images but .* 3 labels"):
        MNIST(root=str(tmp_path))


def test_mnist_corrupt_gzip(tmp_path):
    gen.write_mnist(str(tmp_path))
    path = tmp_path / "t10k-labels-idx1-ubyte.gz"
    path.write_bytes(path.read_bytes()[:15])
    with pytest.raises(FileFormatError, match="t10k-labels-idx1-ubyte.gz"):
        MNIST(root=str(tmp_path), train=False)
    assert len(MNIST(root=str(tmp_path), train=True)) == 5  # the other files are fine


def test_cifar10_matches_mxnet(tmp_path):
    gen.write_cifar10(str(tmp_path))
    _check_golden(CIFAR10(root=str(tmp_path)), "cifar10_train")
    _check_golden(CIFAR10(root=str(tmp_path), train=False), "cifar10_test")


def test_cifar10_hard_coded_and_subdir(tmp_path):
    gen.write_cifar10(str(tmp_path), subdir="cifar-10-batches-bin")
    ds = CIFAR10(root=str(tmp_path))
    img, label = ds[0]
    assert img.shape == (32, 32, 3) and label == GOLDEN["cifar10_train/label"][0]
    assert img.asnumpy()[0, 0].tolist() == GOLDEN["cifar10_train/data"][0, 0, 0].tolist()
    assert [int(v) for v in GOLDEN["cifar10_train/label"]] == [5, 7, 8, 9, 6]


def test_cifar10_from_archive(tmp_path):
    src = tmp_path / "src"
    names = gen.write_cifar10(str(src), subdir="cifar-10-batches-bin")
    root = tmp_path / "root"
    root.mkdir()
    with tarfile.open(root / "cifar-10-binary.tar.gz", "w:gz") as tar:
        for name in names:
            tar.add(src / "cifar-10-batches-bin" / name, arcname=f"cifar-10-batches-bin/{name}")
    _check_golden(CIFAR10(root=str(root), train=False), "cifar10_test")
    assert (root / "cifar-10-batches-bin" / "test_batch.bin").exists()


def test_cifar_errors(tmp_path):
    with pytest.raises(DatasetNotFoundError, match="data_batch_1.bin(.|\n)*test_batch.bin(.|\n)*cifar-10-binary"):
        CIFAR10(root=str(tmp_path))
    gen.write_cifar10(str(tmp_path))
    (tmp_path / "data_batch_3.bin").write_bytes(b"\x01" * 100)
    with pytest.raises(FileFormatError, match="data_batch_3.bin.*3073"):
        CIFAR10(root=str(tmp_path))
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "cifar-100-binary.tar.gz").write_bytes(gzip.compress(b"not a tar file"))
    with pytest.raises(FileFormatError, match="cifar-100-binary.tar.gz"):
        CIFAR100(root=str(bad))


def test_cifar100_matches_mxnet(tmp_path):
    gen.write_cifar100(str(tmp_path))
    _check_golden(CIFAR100(root=str(tmp_path)), "cifar100_coarse")
    _check_golden(CIFAR100(root=str(tmp_path), fine_label=True, train=False), "cifar100_fine_test")
    gen.write_cifar100(str(tmp_path / "sub"), subdir="cifar-100-binary")
    _check_golden(CIFAR100(root=str(tmp_path / "sub")), "cifar100_coarse")


def test_dataset_api(tmp_path):
    gen.write_mnist(str(tmp_path))
    ds = MNIST(root=str(tmp_path)).transform_first(lambda x: x.astype("float32"))
    assert ds[0][0].dtype == np.float32
    loader = mx.gluon.data.DataLoader(MNIST(root=str(tmp_path)), batch_size=2)
    data, label = next(iter(loader))
    assert data.shape == (2, 28, 28, 1) and label.shape == (2,)


# ----------------------------------------------------------------------------- image files
def _write_images(root, pil):
    rs = np.random.RandomState(0)
    arrays = {}
    for cls, names in (("cat", ["b.png", "a.png"]), ("dog", ["c.png"])):
        (root / cls).mkdir(parents=True)
        for name in names:
            arr = rs.randint(0, 256, size=(4, 5, 3)).astype(np.uint8)
            pil.fromarray(arr).save(root / cls / name)
            arrays[f"{cls}/{name}"] = arr
    return arrays


@pytest.mark.filterwarnings("ignore:Ignoring")
def test_image_folder_dataset(tmp_path):
    pil = pytest.importorskip("PIL.Image")
    pytest.importorskip("gluonic.image")
    arrays = _write_images(tmp_path, pil)
    (tmp_path / "readme.txt").write_text("x")
    (tmp_path / "dog" / "notes.txt").write_text("x")
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        ds = ImageFolderDataset(str(tmp_path))
    assert len(w) == 2
    assert ds.synsets == ["cat", "dog"]
    assert [(os.path.relpath(f, tmp_path), lab) for f, lab in ds.items] == [
        ("cat/a.png", 0), ("cat/b.png", 0), ("dog/c.png", 1)]
    img, label = ds[2]
    np.testing.assert_array_equal(img.asnumpy(), arrays["dog/c.png"])
    assert label == 1
    gray = ImageFolderDataset(str(tmp_path), flag=0)[0][0]
    assert gray.shape == (4, 5, 1)
    ds = ImageFolderDataset(str(tmp_path), transform=lambda d, lab: (d.shape, lab * 10))
    assert ds[1] == ((4, 5, 3), 0)
    with pytest.raises(DatasetNotFoundError):
        ImageFolderDataset(str(tmp_path / "missing"))


def test_image_list_dataset(tmp_path):
    pil = pytest.importorskip("PIL.Image")
    pytest.importorskip("gluonic.image")
    arrays = _write_images(tmp_path, pil)
    (tmp_path / "list.lst").write_text("0\t1.0\tcat/a.png\n5\t2\t3.5\tdog/c.png\n")
    ds = ImageListDataset(str(tmp_path), "list.lst")
    assert len(ds) == 2
    img, label = ds[1]
    np.testing.assert_array_equal(img.asnumpy(), arrays["dog/c.png"])
    assert label.asnumpy().tolist() == [2.0, 3.5]
    ds = ImageListDataset(str(tmp_path), [[0, "cat/b.png"], [[1, 2], "dog/c.png"], [3, 4, "cat/a.png"]])
    assert [ds[i][1].asnumpy().tolist() for i in range(3)] == [[0.0], [1.0, 2.0], [3.0, 4.0]]
    np.testing.assert_array_equal(ds[0][0].asnumpy(), arrays["cat/b.png"])
    with pytest.raises(TypeError):
        ImageListDataset(str(tmp_path))
    (tmp_path / "bad.lst").write_text("x\tcat/a.png\n")
    with pytest.raises(FileFormatError, match="bad.lst:1"):
        ImageListDataset(str(tmp_path), "bad.lst")


def test_image_record_dataset(tmp_path):
    pytest.importorskip("PIL.Image")
    from gluonic import recordio
    from gluonic.gluon.data.vision import ImageRecordDataset

    rs = np.random.RandomState(5)
    images = [rs.randint(0, 256, size=(4, 6, 3)).astype(np.uint8) for _ in range(3)]
    writer = recordio.MXIndexedRecordIO(str(tmp_path / "d.idx"), str(tmp_path / "d.rec"), "w")
    for i, img in enumerate(images):
        writer.write_idx(i, recordio.pack_img(recordio.IRHeader(0, float(i * 2), i, 0), img, img_fmt=".png"))
    writer.close()
    ds = ImageRecordDataset(str(tmp_path / "d.rec"))
    assert isinstance(ds, mx.gluon.data.RecordFileDataset) and len(ds) == 3
    img, label = ds[2]
    # pack_img stores OpenCV's BGR order; decoding gives RGB, as in MXNet
    np.testing.assert_array_equal(img.asnumpy(), images[2][..., ::-1])
    assert label == 4.0
    assert ImageRecordDataset(str(tmp_path / "d.rec"), flag=0)[0][0].shape == (4, 6, 1)
    ds = ImageRecordDataset(str(tmp_path / "d.rec"), transform=lambda d, lab: (d.shape, lab + 1))
    assert ds[1] == ((4, 6, 3), 3.0)
