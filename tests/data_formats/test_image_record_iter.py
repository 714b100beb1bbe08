"""mx.io.ImageRecordIter and gluon.data.RecordFileDataset against MXNet 1.9.1.

Golden batches come from ``tests/golden/make_golden_recordio.py`` run with real MXNet's
C++ ImageRecordIter.
"""
from __future__ import annotations

import json
import multiprocessing
import pickle
from pathlib import Path

import numpy as np
import pytest

import gluonic as mx
import gluonic.io as io
from gluonic import recordio
from gluonic.base import FileFormatError, GluonicIndexError, GluonicValueError
from gluonic.gluon.data.record_dataset import RecordFileDataset

pytest.importorskip("PIL")  # image decoding needs Pillow (in the test extra)
nd = mx.nd
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "recordio"
REC = str(GOLDEN / "images.rec")
IDX = str(GOLDEN / "images.idx")
INFO = json.loads((GOLDEN / "expected.json").read_text())

# the option sets of make_golden_recordio.ITER_CASES
ITER_CASES = {
    "norm": dict(batch_size=5, mean_r=10, mean_g=20, mean_b=30, std_r=2, std_g=3, std_b=4, scale=0.5),
    "center_u8": dict(batch_size=5, dtype="uint8"),
    "small_shape": dict(batch_size=5, data_shape=(3, 20, 26), dtype="uint8"),
    "resize": dict(batch_size=5, resize=12, dtype="uint8"),
    "resize_cubic": dict(batch_size=5, resize=13, inter_method=2, dtype="uint8"),
    "resize_area": dict(batch_size=5, resize=11, inter_method=3, dtype="uint8"),
    "gray": dict(batch_size=5, data_shape=(1, 10, 10), dtype="uint8"),
    "mirror_pad": dict(batch_size=5, mirror=True, pad=2, fill_value=7, dtype="uint8"),
}


@pytest.fixture(scope="module")
def expected():
    return {k: v.asnumpy() for k, v in nd.load(str(GOLDEN / "expected.params")).items()}


def _iter(**kw):
    kw.setdefault("data_shape", (3, 10, 10))
    return io.ImageRecordIter(path_imgrec=REC, **kw)


@pytest.mark.parametrize("case", sorted(ITER_CASES))
def test_batches_equal_mxnet(expected, case):
    kw = ITER_CASES[case]
    batch = _iter(**kw).next()
    data, ref = batch.data[0].asnumpy(), expected[f"iter/{case}/data"]
    assert data.dtype == ref.dtype and data.shape == ref.shape
    np.testing.assert_array_equal(batch.label[0].asnumpy(), expected[f"iter/{case}/label"])
    if case == "resize_cubic":  # bicubic: at most 1 off in a few pixels
        assert np.abs(data.astype(int) - ref).max() <= 1
    else:
        np.testing.assert_allclose(data, ref, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("case", ["bs2", "bs3", "bs7"])
def test_epochs_and_round_batch_equal_mxnet(case):
    # MXNet's round_batch: the last batch wraps to the start, and the next epoch goes on
    # after the wrapped records (so over epochs every record is seen equally often).
    it = _iter(data_shape=(3, 8, 8), batch_size=int(case[2:]))
    runs = []
    for _ in range(3):
        runs.append([[b.label[0].asnumpy().astype(int).tolist()[: it.batch_size - b.pad], b.pad] for b in it])
        it.reset()
    golden = INFO["epochs"][case]
    n = golden.index("error") if "error" in golden else len(golden)  # MXNet refuses to wrap twice
    assert runs[:n] == golden[:n]


def test_round_batch_false_pads_with_zeros():
    # MXNet 1.9.1 reports pad=0 and leaves garbage in the filler slots; gluonic says pad=1, zeros.
    it = _iter(data_shape=(3, 8, 8), batch_size=2, round_batch=False)
    batches = list(it)
    assert [b.pad for b in batches] == [0, 0, 1]
    golden = INFO["epochs"]["bs2_noround"][0]
    assert [b.label[0].asnumpy()[:1].tolist() for b in batches] == [g[0][:1] for g in golden]
    assert batches[-1].label[0].asnumpy().tolist() == [4, 0] and not batches[-1].data[0].asnumpy()[1].any()
    it.reset()
    assert len(list(it)) == 3


def test_descriptions_index_and_protocol():
    it = _iter(batch_size=2, data_name="img", label_name="lab", preprocess_threads=2)
    assert isinstance(it, io.DataIter)
    assert it.provide_data == [io.DataDesc("img", (2, 3, 10, 10))]
    assert it.provide_label == [io.DataDesc("lab", (2,))]
    assert it.provide_data[0].dtype == np.float32
    assert it.iter_next()
    assert it.getdata()[0].shape == (2, 3, 10, 10) and it.getpad() == 0
    assert it.getindex().tolist() == [100, 101]  # the records' ids (MXNet returns zeros)
    assert it.getlabel()[0].asnumpy().tolist() == [0, 1]
    with_idx = _iter(batch_size=5, path_imgidx=IDX).next()
    np.testing.assert_array_equal(with_idx.data[0].asnumpy(), _iter(batch_size=5).next().data[0].asnumpy())


def test_shuffle_parts_and_seeds():
    def labels(it):
        return [int(v) for b in it for v in b.label[0].asnumpy()[: it.batch_size - b.pad]]

    it = _iter(batch_size=5, shuffle=True, seed=3)
    first = labels(it)
    assert sorted(first) == [0, 1, 2, 3, 4]
    it.reset()
    second = labels(it)
    assert sorted(second) == [0, 1, 2, 3, 4]
    assert labels(_iter(batch_size=5, shuffle=True, seed=3)) == first  # deterministic per seed
    assert labels(_iter(batch_size=1, num_parts=2, part_index=0)) == [0, 1]
    assert labels(_iter(batch_size=1, num_parts=2, part_index=1)) == [2, 3, 4]
    aug = dict(batch_size=5, rand_crop=True, rand_mirror=True, data_shape=(3, 8, 8), seed_aug=11)
    one = _iter(preprocess_threads=1, **aug).next().data[0].asnumpy()
    four = _iter(preprocess_threads=4, **aug).next().data[0].asnumpy()
    np.testing.assert_array_equal(one, four)  # per-record seeds: independent of threading


def test_random_augmentations_shapes_and_ranges():
    it = _iter(batch_size=5, data_shape=(3, 9, 9), random_resized_crop=True, min_random_area=0.3,
               max_random_area=1.0, max_aspect_ratio=1.3, min_aspect_ratio=0.7, brightness=0.2, contrast=0.2,
               saturation=0.2, pca_noise=0.1, rand_mirror=True, max_random_contrast=0.1,
               max_random_illumination=5, inter_method=10)
    data = it.next().data[0].asnumpy()
    assert data.shape == (5, 3, 9, 9) and np.isfinite(data).all() and data.max() < 270
    crops = _iter(batch_size=5, data_shape=(3, 6, 6), min_crop_size=8, max_crop_size=12, rand_crop=True)
    assert crops.next().data[0].shape == (5, 3, 6, 6)
    src = mx.image.imdecode((GOLDEN / "src" / "rgb.png").read_bytes()).asnumpy()  # record 1: 32 x 24
    batch = _iter(batch_size=2, data_shape=(3, 10, 10), rand_crop=True, seed=5).next()
    crop = batch.data[0].asnumpy()[1].transpose(1, 2, 0)
    found = [(y, x) for y in range(23) for x in range(15) if np.array_equal(src[y:y + 10, x:x + 10], crop)]
    assert len(found) == 1  # a true crop of the source
    int8 = _iter(batch_size=5, dtype="int8", mean_r=128, mean_g=128, mean_b=128).next().data[0].asnumpy()
    u8 = _iter(batch_size=5, dtype="uint8").next().data[0].asnumpy()
    np.testing.assert_array_equal(int8, np.clip(u8.astype(int) - 128, -128, 127))


def test_labels_from_list_and_multilabel(tmp_path):
    blob = (GOLDEN / "src" / "color.jpg").read_bytes()
    w = recordio.MXIndexedRecordIO(tmp_path / "m.idx", tmp_path / "m.rec", "w")
    for i in range(3):
        w.write_idx(i, recordio.pack(recordio.IRHeader(0, [i, 2 * i, 3 * i], i, 0), blob))
    w.close()
    it = io.ImageRecordIter(path_imgrec=str(tmp_path / "m.rec"), data_shape=(3, 8, 8), batch_size=3, label_width=3)
    assert it.provide_label[0].shape == (3, 3)
    np.testing.assert_array_equal(it.next().label[0].asnumpy(), [[0, 0, 0], [1, 2, 3], [2, 4, 6]])
    with pytest.raises(GluonicValueError, match="label_width is 1"):
        io.ImageRecordIter(path_imgrec=str(tmp_path / "m.rec"), data_shape=(3, 8, 8), batch_size=3).next()
    lst = tmp_path / "m.lst"
    lst.write_text("".join(f"{i}\t{i + 0.5}\timg{i}.jpg\n" for i in range(3)))
    it = io.ImageRecordIter(path_imgrec=str(tmp_path / "m.rec"), path_imglist=str(lst), data_shape=(3, 8, 8),
                            batch_size=3)
    assert it.next().label[0].asnumpy().tolist() == [0.5, 1.5, 2.5]


def test_option_errors(tmp_path):
    with pytest.raises(GluonicValueError, match="max_rotate_angle is not supported"):
        _iter(batch_size=2, max_rotate_angle=10)
    with pytest.raises(GluonicValueError, match="unknown option"):
        _iter(batch_size=2, no_such_option=1)
    _iter(batch_size=2, verbose=False, prefetch_buffer=2, ctx="cpu")  # accepted, no effect
    with pytest.raises(GluonicValueError, match="data_shape"):
        _iter(batch_size=2, data_shape=(2, 8, 8))
    with pytest.raises(GluonicValueError, match="conflicts"):
        _iter(batch_size=2, random_resized_crop=True, rand_crop=True)
    with pytest.raises(GluonicValueError, match="inter_method"):
        _iter(batch_size=2, inter_method=5)
    bad = tmp_path / "bad.rec"
    bad.write_bytes((GOLDEN / "images.rec").read_bytes()[:-7])
    with pytest.raises(FileFormatError, match="bad.rec"):
        io.ImageRecordIter(path_imgrec=str(bad), data_shape=(3, 8, 8), batch_size=2)


# ----------------------------------------------------------------------------- RecordFileDataset

def _read_in_child(ds, queue):
    queue.put(ds[3])


def test_record_file_dataset():
    ds = RecordFileDataset(str(GOLDEN / "raw.rec"))
    raw = [bytes.fromhex(h) for _, h in INFO["raw"]]
    assert len(ds) == len(raw) + 2
    assert [ds[i] for i in range(len(raw))] == raw
    assert ds[-1] == bytes.fromhex(INFO["packed"][1])
    with pytest.raises(GluonicIndexError, match="out of range"):
        ds[len(ds)]
    assert pickle.loads(pickle.dumps(ds))[2] == raw[2]
    images = RecordFileDataset(REC)
    header, img = recordio.unpack(images[1])
    assert header.label == 1.0 and img == (GOLDEN / "src" / "rgb.png").read_bytes()
    ds[0]  # opened here; a forked child reopens the file instead of sharing its offset
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_read_in_child, args=(ds, queue))
    child.start()
    assert queue.get(timeout=20) == raw[3]
    child.join(timeout=20)
