"""Golden files of gluon.data.vision and mx.io.MNISTIter/CSVIter from real MXNet 1.9.1.

Run with MXNet's interpreter (not gluonic's)::

    /work/mxvenv/bin/python tests/golden/make_golden_vision.py

It writes tests/golden/vision/{datasets,transforms}.npz and iters.json. The writers of
the tiny data set files and the transform inputs below are plain NumPy: the tests
(tests/gluon/vision, tests/io/test_mnist_csv_iter.py) import them to build the same files.
"""
from __future__ import annotations

import gzip
import json
import os
import struct
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "vision")


# ----------------------------------------------------------------------------- file writers
def idx_bytes(array: np.ndarray) -> bytes:
    """An IDX file of unsigned bytes: magic 0x0800 + ndim, big-endian sizes, data."""
    return struct.pack(f">I{array.ndim}I", 0x0800 + array.ndim, *array.shape) + array.astype(np.uint8).tobytes()


def write_mnist(root: str, n_train: int = 5, n_test: int = 3, gz: bool = True, seed: int = 0, size=(28, 28)):
    """The four MNIST files (random pixels, labels 0-9) in ``root``; returns the arrays."""
    rs = np.random.RandomState(seed)
    os.makedirs(root, exist_ok=True)
    arrays = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images = rs.randint(0, 256, size=(n,) + tuple(size)).astype(np.uint8)
        labels = rs.randint(0, 10, size=n).astype(np.uint8)
        for kind, arr in (("images-idx3-ubyte", images), ("labels-idx1-ubyte", labels)):
            name = f"{prefix}-{kind}"
            raw = idx_bytes(arr)
            if gz:
                with gzip.open(os.path.join(root, name + ".gz"), "wb") as f:
                    f.write(raw)
            else:
                with open(os.path.join(root, name), "wb") as f:
                    f.write(raw)
        arrays[prefix] = (images, labels)
    return arrays


def cifar_records(rs, n: int, label_bytes: int) -> bytes:
    labels = rs.randint(0, 100 if label_bytes == 2 else 10, size=(n, label_bytes)).astype(np.uint8)
    if label_bytes == 2:
        labels[:, 0] //= 5  # coarse label 0-19
    pixels = rs.randint(0, 256, size=(n, 3072)).astype(np.uint8)
    return np.concatenate([labels, pixels], axis=1).tobytes()


def write_cifar10(root: str, per_batch: int = 1, n_test: int = 2, seed: int = 1, subdir: str = ""):
    rs = np.random.RandomState(seed)
    folder = os.path.join(root, subdir)
    os.makedirs(folder, exist_ok=True)
    names = [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]
    for name in names:
        n = n_test if name == "test_batch.bin" else per_batch
        with open(os.path.join(folder, name), "wb") as f:
            f.write(cifar_records(rs, n, 1))
    return names


def write_cifar100(root: str, n_train: int = 3, n_test: int = 2, seed: int = 2, subdir: str = ""):
    rs = np.random.RandomState(seed)
    folder = os.path.join(root, subdir)
    os.makedirs(folder, exist_ok=True)
    for name, n in (("train.bin", n_train), ("test.bin", n_test)):
        with open(os.path.join(folder, name), "wb") as f:
            f.write(cifar_records(rs, n, 2))
    return ["train.bin", "test.bin"]


def write_iter_files(root: str):
    """Files for MNISTIter (``n`` 6x5 images whose pixel [0, 0] is the image id, label 3 + id)
    and CSVIter (7 rows ``[4i, 4i+1, 4i+2, 4i+3]``, labels 100 + i, and 2-wide labels)."""
    os.makedirs(root, exist_ok=True)
    rs = np.random.RandomState(3)
    for n in (10, 13):
        images = rs.randint(0, 256, size=(n, 6, 5)).astype(np.uint8)
        images[:, 0, 0] = np.arange(n)
        with open(os.path.join(root, f"img{n}"), "wb") as f:
            f.write(idx_bytes(images))
        with open(os.path.join(root, f"lab{n}"), "wb") as f:
            f.write(idx_bytes((np.arange(n) + 3).astype(np.uint8)))
    np.savetxt(os.path.join(root, "d.csv"), np.arange(28).reshape(7, 4), delimiter=",", fmt="%g")
    np.savetxt(os.path.join(root, "l.csv"), np.arange(7) + 100, delimiter=",", fmt="%g")
    np.savetxt(os.path.join(root, "l2.csv"), np.arange(14).reshape(7, 2) + 50, delimiter=",", fmt="%g")


def transform_inputs():
    """A (9, 11, 3) uint8 image, its float32 copy and a (2, 9, 11, 3) uint8 batch."""
    rs = np.random.RandomState(4)
    img = rs.randint(0, 256, size=(9, 11, 3)).astype(np.uint8)
    batch = rs.randint(0, 256, size=(2, 9, 11, 3)).astype(np.uint8)
    return img, img.astype(np.float32), batch


# MNISTIter / CSVIter cases: (name, kwargs, epochs)
MNIST_ITER_CASES = [
    ("plain", dict(image="img10", label="lab10", batch_size=4, shuffle=False), 2),
    ("flat", dict(image="img10", label="lab10", batch_size=3, shuffle=False, flat=True), 1),
    ("shuffle", dict(image="img13", label="lab13", batch_size=3, shuffle=True, seed=5), 2),
    ("default_shuffle", dict(image="img13", label="lab13", batch_size=13), 1),
    ("part1", dict(image="img13", label="lab13", batch_size=2, shuffle=False, num_parts=3, part_index=1), 1),
    ("part2_shuffle", dict(image="img13", label="lab13", batch_size=2, shuffle=True, seed=2, num_parts=3,
                           part_index=2), 1),
]
CSV_ITER_CASES = [
    ("round", dict(data_csv="d.csv", data_shape=(4,), label_csv="l.csv", batch_size=3), 4),
    ("big_batch", dict(data_csv="d.csv", data_shape=(4,), batch_size=10), 2),  # a 3rd epoch fails in MXNet
    ("exact", dict(data_csv="d.csv", data_shape=(2, 2), label_csv="l.csv", batch_size=7), 2),
    ("no_round", dict(data_csv="d.csv", data_shape=(4,), label_csv="l.csv", batch_size=3, round_batch=False), 2),
    ("label2", dict(data_csv="d.csv", data_shape=(4,), label_csv="l2.csv", label_shape=(2,), batch_size=4), 2),
    ("int32", dict(data_csv="d.csv", data_shape=(4,), label_csv="l.csv", batch_size=5, dtype="int32"), 2),
]


def iter_epochs(it, epochs: int, kind: str):
    """Per epoch, per batch: (ids, labels, pad, data shape, dtype name). MNIST ids come from
    pixel [0, 0] (data * 256), CSV ids from the first value / 4."""
    out = []
    for _ in range(epochs):
        batches = []
        for b in it:
            d = b.data[0].asnumpy()
            flat = d.reshape(d.shape[0], -1)
            ids = np.round(flat[:, 0] * 256) if kind == "mnist" else flat[:, 0] / 4
            lab = b.label[0].asnumpy()
            batches.append({"ids": [int(v) for v in ids], "label": lab.tolist(), "pad": int(b.pad),
                            "shape": list(d.shape), "dtype": np.dtype(d.dtype).name,
                            "label_shape": list(lab.shape)})
        out.append(batches)
        it.reset()
    return out


# ----------------------------------------------------------------------------- MXNet side
def main():
    import mxnet as mx
    from mxnet.gluon.data.vision import datasets as mxds
    from mxnet.gluon.data.vision import transforms as T

    # MXNet would download when a file's checksum differs: read the local files instead.
    mxds.download = lambda url, path=None, sha1_hash=None, **kw: os.path.join(path, url.split("/")[-1])
    mxds.check_sha1 = lambda *a, **kw: True
    os.makedirs(OUT, exist_ok=True)
    nd = mx.nd

    # --- datasets
    golden = {}
    with tempfile.TemporaryDirectory() as tmp:
        write_mnist(os.path.join(tmp, "mnist"))
        write_cifar10(os.path.join(tmp, "cifar10"))
        write_cifar100(os.path.join(tmp, "cifar100"))
        cases = {
            "mnist_train": lambda: mxds.MNIST(root=os.path.join(tmp, "mnist"), train=True),
            "mnist_test": lambda: mxds.MNIST(root=os.path.join(tmp, "mnist"), train=False),
            "cifar10_train": lambda: mxds.CIFAR10(root=os.path.join(tmp, "cifar10"), train=True),
            "cifar10_test": lambda: mxds.CIFAR10(root=os.path.join(tmp, "cifar10"), train=False),
            "cifar100_coarse": lambda: mxds.CIFAR100(root=os.path.join(tmp, "cifar100"), train=True),
            "cifar100_fine_test": lambda: mxds.CIFAR100(root=os.path.join(tmp, "cifar100"), fine_label=True,
                                                        train=False),
        }
        for name, make in cases.items():
            ds = make()
            samples = [ds[i] for i in range(len(ds))]
            golden[name + "/data"] = np.stack([s[0].asnumpy() for s in samples])
            golden[name + "/label"] = np.array([s[1] for s in samples])
            golden[name + "/label_type"] = np.array(type(samples[0][1]).__name__)
            golden[name + "/data_dtype"] = np.array(np.dtype(samples[0][0].dtype).name)
    np.savez_compressed(os.path.join(OUT, "datasets.npz"), **golden)

    # --- transforms and image ops
    img, imgf, batch = transform_inputs()
    x, xf, xb = nd.array(img, dtype="uint8"), nd.array(imgf), nd.array(batch, dtype="uint8")
    tt = T.ToTensor()(x)
    out = {}
    out["to_tensor"] = tt
    out["to_tensor_batch"] = T.ToTensor()(xb)
    out["normalize"] = T.Normalize((0.4, 0.5, 0.6), (0.2, 0.25, 0.3))(tt)
    out["normalize_scalar"] = T.Normalize(0.5, 0.25)(tt)
    out["normalize_batch"] = T.Normalize((0.4, 0.5, 0.6), (0.2, 0.25, 0.3))(T.ToTensor()(xb))
    out["cast_f16"] = T.Cast("float16")(xf / 7)
    out["cast_default"] = T.Cast()(x)
    for interp in range(5):
        for kind, src in (("u8", x), ("f32", xf)):
            out[f"resize_{kind}_down_{interp}"] = T.Resize((7, 5), interpolation=interp)(src)
            out[f"resize_{kind}_up_{interp}"] = T.Resize((15, 13), interpolation=interp)(src)
    out["resize_keep_ratio"] = T.Resize(6, keep_ratio=True)(x)
    out["resize_square"] = T.Resize(6)(x)
    out["resize_batch"] = T.Resize((5, 4))(xb)
    out["center_crop"] = T.CenterCrop((6, 4))(x)
    out["center_crop_up"] = T.CenterCrop((14, 12))(x)
    out["center_crop_nearest"] = T.CenterCrop(5, interpolation=0)(x)
    out["crop_resize"] = T.CropResize(1, 2, 6, 5, (4, 3), interpolation=1)(x)  # MXNet fails with None
    out["crop_resize_batch"] = T.CropResize(1, 2, 6, 5)(xb)
    out["crop"] = nd.image.crop(x, 2, 1, 5, 4)
    out["flip_left_right"] = nd.image.flip_left_right(x)
    out["flip_top_bottom"] = nd.image.flip_top_bottom(x)
    for kind, src in (("u8", x), ("f32", xf)):
        out[f"brightness_{kind}"] = nd.image.random_brightness(src, 1.3, 1.3)
        out[f"contrast_{kind}"] = nd.image.random_contrast(src, 0.6, 0.6)
        out[f"hue_{kind}"] = nd.image.random_hue(src, 1.2, 1.2)
        out[f"lighting_{kind}"] = nd.image.adjust_lighting(src, (0.1, -0.2, 0.3))
    out["rotate"] = T.Rotate(30)(tt)
    out["rotate_zoom_in"] = T.Rotate(-45, zoom_in=True)(tt)
    out["rotate_zoom_out"] = T.Rotate(60, zoom_out=True)(tt)
    out["rotate_batch"] = mx.image.imrotate(T.ToTensor()(xb), nd.array([10, 200]))
    np.savez_compressed(os.path.join(OUT, "transforms.npz"), **{k: v.asnumpy() for k, v in out.items()})

    # --- iterators
    iters = {"mnist": {}, "csv": {}}
    with tempfile.TemporaryDirectory() as tmp:
        write_iter_files(tmp)
        cwd = os.getcwd()
        os.chdir(tmp)
        try:
            for name, kw, epochs in MNIST_ITER_CASES:
                it = mx.io.MNISTIter(silent=True, **kw)
                iters["mnist"][name] = {"epochs": iter_epochs(it, epochs, "mnist"),
                                        "provide_data": list(it.provide_data[0].shape)}
            for name, kw, epochs in CSV_ITER_CASES:
                it = mx.io.CSVIter(**kw)
                iters["csv"][name] = {"epochs": iter_epochs(it, epochs, "csv"),
                                      "provide_data": list(it.provide_data[0].shape),
                                      "provide_label": list(it.provide_label[0].shape)}
        finally:
            os.chdir(cwd)
    with open(os.path.join(OUT, "iters.json"), "w") as f:
        json.dump(iters, f, indent=0, sort_keys=True)
    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(os.path.join(OUT, name)), "bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
