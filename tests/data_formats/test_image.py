"""mx.image: decoding, resizing, cropping, augmenters and ImageIter against MXNet 1.9.1.

Golden values come from ``tests/golden/make_golden_recordio.py`` run with real MXNet
(whose image functions use OpenCV).
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

import gluonic as mx
import gluonic.image as image
from gluonic.base import GluonicTypeError, GluonicValueError

pytest.importorskip("PIL")  # image decoding needs Pillow (in the test extra)
nd = mx.nd
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "recordio"
INFO = json.loads((GOLDEN / "expected.json").read_text())
IMAGES = ["color.jpg", "rgb.png", "gray.jpg", "rgba.png", "palette.png"]


@pytest.fixture(scope="module")
def expected():
    return {k: v.asnumpy() for k, v in nd.load(str(GOLDEN / "expected.params")).items()}


def _blob(name):
    return (GOLDEN / "src" / name).read_bytes()


def _source():
    return image.imdecode(_blob("color.jpg"))


# ----------------------------------------------------------------------------- decoding

@pytest.mark.parametrize("name", IMAGES)
def test_imdecode_equals_mxnet(expected, name):
    color = image.imdecode(_blob(name))
    assert color.dtype == np.uint8 and color.shape[2] == 3
    np.testing.assert_array_equal(color.asnumpy(), expected[f"decode/{name}/1"])
    gray = image.imdecode(_blob(name), flag=0)
    np.testing.assert_array_equal(gray.asnumpy(), expected[f"decode/{name}/0"])
    bgr = image.imdecode(np.frombuffer(_blob(name), dtype=np.uint8), to_rgb=False)
    np.testing.assert_array_equal(bgr.asnumpy(), expected[f"decode/{name}/1"][..., ::-1])


def test_imread_and_out(expected, tmp_path):
    path = GOLDEN / "src" / "rgb.png"
    np.testing.assert_array_equal(image.imread(str(path)).asnumpy(), expected["decode/rgb.png/1"])
    out = nd.zeros((32, 24, 1), dtype="uint8")
    assert image.imread(path, flag=0, out=out) is out
    np.testing.assert_array_equal(out.asnumpy(), expected["decode/rgb.png/0"])
    np.testing.assert_array_equal(image.imdecode(nd.array(np.frombuffer(_blob("rgb.png"), np.uint8), dtype="uint8"))
                                  .asnumpy(), expected["decode/rgb.png/1"])
    with pytest.raises(image.ImageFileError, match="nothere.jpg") as err:
        image.imread(tmp_path / "nothere.jpg")
    assert isinstance(err.value, OSError)


def test_imdecode_errors():
    with pytest.raises(GluonicValueError, match="cannot decode the image.*0x6e6f7420"):
        image.imdecode(b"not an image at all")
    with pytest.raises(GluonicValueError, match="corrupt or truncated PNG"):
        image.imdecode(_blob("rgb.png")[:-500])
    with pytest.raises(GluonicValueError, match="corrupt header"):
        image.imdecode(_blob("color.jpg")[:100])
    with pytest.raises(GluonicTypeError, match="convert|encode"):
        image.imdecode("color.jpg")
    with pytest.raises(GluonicValueError, match="flag must be 0"):
        image.imdecode(_blob("color.jpg"), flag=-1)


# ----------------------------------------------------------------------------- resizing

@pytest.mark.parametrize("interp", range(5))
def test_imresize_equals_mxnet(expected, interp):
    src = _source()
    for w, h in [(13, 9), (33, 23), (30, 10)]:
        out = image.imresize(src, w, h, interp=interp)
        ref = expected[f"resize/{interp}/{w}x{h}"]
        assert out.shape == (h, w, 3) and out.dtype == np.uint8
        diff = np.abs(out.asnumpy().astype(int) - ref)
        if interp == 2:  # bicubic: float32 summation order may round 1 differently
            assert diff.max() <= 1 and (diff > 0).mean() < 0.01
        else:
            assert diff.max() == 0, (w, h, int((diff > 0).sum()))


def test_imresize_float_and_gray():
    expected = {k: v.asnumpy() for k, v in nd.load(str(GOLDEN / "expected.params")).items() if "float" in k}
    fsrc = _source().astype("float32") / 3
    for interp in (1, 3):
        out = image.imresize(fsrc, 13, 9, interp=interp)
        assert out.dtype == np.float32
        np.testing.assert_allclose(out.asnumpy(), expected[f"resize_float/{interp}"], rtol=1e-5, atol=1e-4)
    gray = image.imdecode(_blob("gray.jpg"), flag=0)
    assert image.imresize(gray, 7, 5).shape == (5, 7, 1)
    with pytest.raises(GluonicValueError, match="interpolation"):
        image.imresize(gray, 7, 5, interp=7)
    with pytest.raises(GluonicValueError, match="positive"):
        image.imresize(gray, 0, 5)


def test_resize_short_and_interp_codes():
    src = _source()  # 20 x 30
    assert image.resize_short(src, 10).shape == (10, 15, 3)
    assert image.resize_short(nd.zeros((30, 20, 3), dtype="uint8"), 7).shape == (10, 7, 3)
    assert image.resize_short(src, 40, interp=9).shape == (40, 60, 3)  # auto: bicubic to enlarge
    np.testing.assert_array_equal(image.resize_short(src, 10, interp=9).asnumpy(),
                                  image.imresize(src, 15, 10, interp=3).asnumpy())  # auto: area to shrink
    random.seed(0)
    assert image.resize_short(src, 12, interp=10).shape == (12, 18, 3)


# ----------------------------------------------------------------------------- cropping

def test_crops_equal_mxnet(expected):
    src = _source()
    out, rect = image.center_crop(src, (40, 10))
    assert list(rect) == INFO["center_crop"]
    np.testing.assert_array_equal(out.asnumpy(), expected["center_crop/40x10"])
    random.seed(3)  # MXNet draws crops from Python's random module
    assert [list(image.random_crop(src, (8, 6))[1]) for _ in range(5)] == INFO["random_crop"]
    out, rect = image.random_crop(src, (40, 10))
    assert list(rect) == INFO["random_crop_big"] and out.shape == (10, 40, 3)
    out = image.fixed_crop(src, 2, 3, 5, 4)
    np.testing.assert_array_equal(out.asnumpy(), src.asnumpy()[3:7, 2:7])
    assert image.fixed_crop(src, 2, 3, 5, 4, size=(10, 8)).shape == (8, 10, 3)
    assert image.scale_down((640, 480), (720, 120)) == (640, 106)
    random.seed(1)
    out, (x0, y0, w, h) = image.random_size_crop(src, (6, 6), 0.3, (0.75, 1.33))
    assert out.shape == (6, 6, 3) and x0 + w <= 30 and y0 + h <= 20


def test_color_normalize_and_border():
    src = nd.array(np.arange(24, dtype=np.float32).reshape(2, 4, 3))
    mean, std = nd.array([1.0, 2.0, 3.0]), nd.array([2.0, 2.0, 4.0])
    ref = (src.asnumpy() - [1, 2, 3]) / [2, 2, 4]
    np.testing.assert_allclose(image.color_normalize(src.copy(), mean, std).asnumpy(), ref)
    arr = np.arange(12, dtype=np.uint8).reshape(2, 2, 3)
    out = image.copyMakeBorder(nd.array(arr, dtype="uint8"), 1, 0, 2, 1, values=(7, 8, 9))
    assert out.shape == (3, 5, 3) and out.asnumpy()[0, 0].tolist() == [7, 8, 9]
    np.testing.assert_array_equal(out.asnumpy()[1:, 2:4], arr)
    out = image.copyMakeBorder(nd.array(arr, dtype="uint8"), 1, 1, 1, 1, type=3)
    np.testing.assert_array_equal(out.asnumpy(), np.pad(arr, [(1, 1), (1, 1), (0, 0)], mode="edge"))


def test_imrotate_matches_mxnet():
    x = nd.array(np.arange(25, dtype=np.float32).reshape(1, 5, 5))
    np.testing.assert_allclose(image.imrotate(x, 90).asnumpy()[0], np.rot90(np.arange(25).reshape(5, 5)), atol=1e-5)
    # MXNet 1.9.1's values
    np.testing.assert_allclose(image.imrotate(x, 30).asnumpy()[0, 0], [0.34, 1.639, 4.34, 7.706, 2.771], atol=1e-3)
    y = nd.array(np.arange(24, dtype=np.float32).reshape(1, 4, 6))
    np.testing.assert_allclose(image.imrotate(y, 30, zoom_in=True).asnumpy()[0, 0],
                               [1.499, 3.553, 5.945, 8.337, 10.729, 13.122], atol=1e-3)
    np.testing.assert_allclose(image.imrotate(y, 30, zoom_out=True).asnumpy()[0, 1],
                               [0, 0.473, 4.582, 10.829, 17.017, 0], atol=1e-3)
    batch = nd.array(np.ones((2, 1, 4, 4), dtype=np.float32))
    assert image.imrotate(batch, nd.array([0, 45])).shape == (2, 1, 4, 4)
    assert image.random_rotate(batch, (-10, 10)).shape == (2, 1, 4, 4)
    with pytest.raises(GluonicTypeError, match="float32"):
        image.imrotate(nd.zeros((1, 2, 2), dtype="uint8"), 10)


# ----------------------------------------------------------------------------- augmenters

def test_create_augmenter_lists():
    augs = image.CreateAugmenter((3, 8, 8), resize=10, rand_crop=True, rand_resize=True, rand_mirror=True,
                                 mean=True, std=True, brightness=0.1, contrast=0.1, saturation=0.1, hue=0.1,
                                 pca_noise=0.1, rand_gray=0.2)
    assert [type(a).__name__ for a in augs] == [
        "ResizeAug", "RandomSizedCropAug", "HorizontalFlipAug", "CastAug", "ColorJitterAug", "HueJitterAug",
        "LightingAug", "RandomGrayAug", "ColorNormalizeAug"]
    assert augs[0].dumps() == '["resizeaug", {"size": 10, "interp": 2}]'
    random.seed(0)
    np.random.seed(0)
    img = _source()
    for aug in augs:
        img = aug(img)
    assert img.shape == (8, 8, 3) and img.dtype == np.float32 and np.isfinite(img.asnumpy()).all()
    with pytest.raises(GluonicValueError, match="rand_crop"):
        image.CreateAugmenter((3, 8, 8), rand_resize=True)
    with pytest.raises(GluonicValueError, match="mean"):
        image.CreateAugmenter((3, 8, 8), mean=[1, 2, 3])


def test_single_augmenters():
    src = _source()
    flipped = image.HorizontalFlipAug(1.0)(src)
    np.testing.assert_array_equal(flipped.asnumpy(), src.asnumpy()[:, ::-1])
    assert image.ForceResizeAug((7, 5))(src).shape == (5, 7, 3)
    assert image.CenterCropAug((6, 4))(src).shape == (4, 6, 3)
    f = image.CastAug()(src)
    gray = image.RandomGrayAug(1.0)(f).asnumpy()
    np.testing.assert_allclose(gray[..., 0], gray[..., 2], rtol=1e-6)
    bright = image.BrightnessJitterAug(0.5)(f.copy())
    ratio = bright.asnumpy()[f.asnumpy() > 0] / f.asnumpy()[f.asnumpy() > 0]
    assert np.allclose(ratio, ratio[0]) and 0.5 <= ratio[0] <= 1.5
    seq = image.SequentialAug([image.CastAug(), image.ColorNormalizeAug(nd.array([1.0, 1.0, 1.0]), None)])
    np.testing.assert_allclose(seq(src).asnumpy(), src.asnumpy() - 1.0)


# ----------------------------------------------------------------------------- ImageIter

def test_imageiter_random_augmentation_equals_mxnet(expected):
    random.seed(7)  # shuffling, crops and flips all draw from Python's random, as in MXNet
    it = image.ImageIter(4, (3, 10, 10), path_imgrec=str(GOLDEN / "images.rec"),
                         path_imgidx=str(GOLDEN / "images.idx"), shuffle=True, rand_crop=True, rand_mirror=True,
                         resize=12)
    batches = list(it)
    assert len(batches) == 2 and [b.pad for b in batches] == [0, 3]
    for i, batch in enumerate(batches):
        np.testing.assert_array_equal(batch.label[0].asnumpy(), expected[f"imageiter/aug/{i}/label"])
        diff = np.abs(batch.data[0].asnumpy() - expected[f"imageiter/aug/{i}/data"])
        assert diff.max() <= 1  # bicubic resizing rounds 1 differently in a few pixels


def test_imageiter_normalized_equals_mxnet(expected):
    it = image.ImageIter(3, (3, 10, 10), path_imgrec=str(GOLDEN / "images.rec"), mean=True, std=True,
                         last_batch_handle="discard")
    batches = list(it)
    assert len(batches) == 1 and it.provide_data == [("data", (3, 3, 10, 10))]
    assert it.provide_label == [("softmax_label", (3,))]
    np.testing.assert_array_equal(batches[0].label[0].asnumpy(), expected["imageiter/norm/0/label"])
    np.testing.assert_allclose(batches[0].data[0].asnumpy(), expected["imageiter/norm/0/data"], rtol=1e-5, atol=0.02)
    it.reset()
    assert len(list(it)) == 1


def test_imageiter_from_image_list(tmp_path):
    for name in IMAGES[:3]:
        (tmp_path / name).write_bytes(_blob(name))
    lst = tmp_path / "list.lst"
    lst.write_text("".join(f"{i}\t{i * 10}\t{name}\n" for i, name in enumerate(IMAGES[:3])))
    it = image.ImageIter(2, (3, 8, 8), path_imglist=str(lst), path_root=str(tmp_path), last_batch_handle="roll_over")
    first = list(it)
    assert [b.label[0].asnumpy().tolist() for b in first] == [[0, 10]]
    it.reset()
    # MXNet 1.9.1: the rolled-over image comes first, then the epoch restarts after the filler
    assert [b.label[0].asnumpy().tolist() for b in it] == [[20, 0], [10, 20]]
    it.reset()
    assert [b.label[0].asnumpy().tolist() for b in it] == [[0, 10]]
    it = image.ImageIter(2, (3, 8, 8), imglist=[[1.0, IMAGES[0]], [[2.0, 3.0], IMAGES[1]]], path_root=str(tmp_path),
                         label_width=2, aug_list=[image.ForceResizeAug((8, 8)), image.CastAug()])
    assert it.provide_label == [("softmax_label", (2, 2))]
    batch = it.next()
    assert batch.data[0].shape == (2, 3, 8, 8)
    with pytest.raises(GluonicValueError, match="3 channels"):
        image.ImageIter(2, (1, 8, 8), path_imglist=str(lst))
    with pytest.raises(GluonicValueError, match="path_imgidx"):
        image.ImageIter(2, (3, 8, 8), path_imgrec=str(GOLDEN / "images.rec"), shuffle=True)


def test_imageiter_broken_image_names_it(tmp_path):
    (tmp_path / "bad.jpg").write_bytes(b"garbage")
    it = image.ImageIter(1, (3, 8, 8), imglist=[[0.0, "bad.jpg"]], path_root=str(tmp_path))
    with pytest.raises(GluonicValueError, match="broken image filename: bad.jpg"):
        it.next()
