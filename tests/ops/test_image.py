"""Tests of the ``_image_*`` operators (``mx.nd.image``) with the shared op harness and
NumPy references. Their outputs are also compared with MXNet 1.9.1 in
tests/gluon/vision/test_transforms.py."""
import colorsys

import numpy as np
import pytest
from scipy import ndimage

import gluonic as mx

from .harness import check_op, check_op_error

RS = np.random.RandomState(0)
IMG = RS.randint(0, 256, size=(5, 6, 3)).astype(np.uint8)
BATCH = RS.randint(0, 256, size=(2, 5, 6, 3)).astype(np.uint8)
LUMA = np.array([0.299, 0.587, 0.114])


def _small(shape, seed=1):
    return np.random.RandomState(seed).uniform(0, 255, size=shape)


@pytest.mark.parametrize("x", [IMG, BATCH, IMG.astype(np.float64)])
def test_to_tensor(x):
    check_op("_image_to_tensor", [x], lambda a: (np.moveaxis(a, -1, -3) / 255.0).astype(np.float32), grad=False)


@pytest.mark.parametrize("shape", [(3, 2, 3), (2, 3, 2, 2), (4, 2, 2), (1, 3, 3)])
def test_normalize(shape):
    x = _small(shape) / 255
    c = shape[-3]
    mean, std = tuple(np.linspace(0.1, 0.5, c)), tuple(np.linspace(0.5, 1.0, c))

    def ref(a):
        return (a - np.array(mean).reshape(-1, 1, 1)) / np.array(std).reshape(-1, 1, 1)

    check_op("_image_normalize", [x], ref, {"mean": mean, "std": std})
    check_op("_image_normalize", [x.astype(np.float32)], lambda a: ((a - 0.5) / 2).astype(np.float32),
             {"mean": 0.5, "std": 2}, grad=False)


def test_normalize_default_and_integer_input():
    x = IMG.transpose(2, 0, 1).copy()
    check_op("_image_normalize", [x], lambda a: a, grad=False)
    check_op("_image_normalize", [x], lambda a: ((a - 100.0) / 3).astype(np.uint8), {"mean": 100, "std": 3},
             grad=False, check_symbolic=False)


def _opencv_linear_ref(a, oh, ow):
    """Bilinear with half-pixel centres and replicated borders (OpenCV's INTER_LINEAR)."""
    h, w = a.shape[-3:-1]
    ys = np.clip((np.arange(oh) + 0.5) * h / oh - 0.5, 0, h - 1)
    xs = np.clip((np.arange(ow) + 0.5) * w / ow - 0.5, 0, w - 1)
    yy, xx = np.meshgrid(ys, xs, indexing="ij")

    def one(img):
        return np.stack([ndimage.map_coordinates(img[..., c], [yy, xx], order=1, mode="nearest")
                         for c in range(img.shape[-1])], axis=-1)

    return np.stack([one(i) for i in a]) if a.ndim == 4 else one(a)


@pytest.mark.parametrize("size, shape", [((4, 3), (5, 6, 3)), ((9, 7), (5, 6, 2)), ((3, 8), (2, 5, 6, 1))])
def test_resize_linear(size, shape):
    x = _small(shape)
    check_op("_image_resize", [x], lambda a: _opencv_linear_ref(a, size[1], size[0]), {"size": size},
             rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("interp", [0, 2, 3, 4])
def test_resize_other_methods_grad_and_shapes(interp):
    x = _small((4, 5, 2))
    nearest_rows, nearest_cols = np.floor(np.arange(7) * 4 / 7).astype(int), np.floor(np.arange(3) * 5 / 3).astype(int)
    if interp == 0:
        check_op("_image_resize", [x], lambda a: a[nearest_rows][:, nearest_cols], {"size": (3, 7), "interp": 0})
    else:
        out = mx.nd.image.resize(mx.nd.array(x, dtype="float64"), (3, 7), interp=interp)
        assert out.shape == (7, 3, 2) and out.dtype == np.float64
        check_op("_image_resize", [x], lambda a: out.asnumpy(), {"size": (3, 7), "interp": interp})


def test_resize_constant_image_and_sizes():
    x = np.full((6, 4, 3), 77, np.uint8)
    for interp in range(5):
        for size in ((3, 2), (9, 13), (4, 6)):
            out = mx.nd.image.resize(mx.nd.array(x, dtype="uint8"), size, interp=interp).asnumpy()
            assert out.shape == (size[1], size[0], 3) and (out == 77).all(), (interp, size)
    x = mx.nd.zeros((6, 4, 3))
    assert mx.nd.image.resize(x, 2, keep_ratio=True).shape == (3, 2, 3)
    assert mx.nd.image.resize(mx.nd.zeros((4, 6, 3)), (2,), keep_ratio=True).shape == (2, 3, 3)
    assert mx.nd.image.resize(x, (4, 6)).shape == (6, 4, 3)  # same size: a copy


def test_crop_and_flips():
    x = _small((5, 6, 2))
    check_op("_image_crop", [x], lambda a: a[1:4, 2:6], {"x": 2, "y": 1, "width": 4, "height": 3})
    check_op("_image_crop", [_small((2, 5, 6, 1))], lambda a: a[:, :2, :1], {"x": 0, "y": 0, "width": 1, "height": 2})
    check_op("_image_flip_left_right", [x], lambda a: a[:, ::-1])
    check_op("_image_flip_top_bottom", [_small((2, 5, 6, 1))], lambda a: a[:, ::-1])
    check_op("_image_random_flip_left_right", [x], lambda a: a[:, ::-1], {"p": 1.0})
    check_op("_image_random_flip_top_bottom", [x], lambda a: a, {"p": 0.0})
    check_op_error("_image_crop", [x], {"x": 3, "y": 0, "width": 4, "height": 2}, match="inside")
    check_op_error("_image_random_flip_left_right", [x], {"p": 1.5}, match="p must be")


def _hue_ref(a, turns):
    out = np.empty_like(a)
    for idx in np.ndindex(a.shape[:-1]):
        h, l_, s = colorsys.rgb_to_hls(*(a[idx] / 255.0))
        out[idx] = np.array(colorsys.hls_to_rgb((h + turns) % 1.0, l_, s)) * 255
    return out


@pytest.mark.parametrize("x", [_small((3, 4, 3)), _small((2, 3, 4, 3), seed=2)])
def test_colour_ops_with_fixed_factors(x):
    def per_image(fn):
        return lambda a: np.stack([fn(i) for i in a]) if a.ndim == 4 else fn(a)

    check_op("_image_random_brightness", [x], lambda a: a * 1.3, {"min_factor": 1.3, "max_factor": 1.3})
    check_op("_image_random_contrast", [x], per_image(lambda a: a * 0.6 + 0.4 * (a @ LUMA).mean()),
             {"min_factor": 0.6, "max_factor": 0.6})
    check_op("_image_random_saturation", [x], lambda a: a * 1.5 - 0.5 * (a @ LUMA)[..., None],
             {"min_factor": 1.5, "max_factor": 1.5})
    check_op("_image_random_hue", [x], lambda a: _hue_ref(a, 0.3), {"min_factor": 1.3, "max_factor": 1.3},
             rtol=1e-4, atol=1e-3, grad=False)
    eig = np.array([[-0.5675, 0.7192, 0.4009], [-0.5808, -0.0045, -0.8140], [-0.5836, -0.6948, 0.4203]])
    shift = eig @ (np.array([0.1, -0.2, 0.3]) * np.array([55.46, 4.794, 1.148]))
    check_op("_image_adjust_lighting", [x], lambda a: a + shift, {"alpha": (0.1, -0.2, 0.3)})
    check_op("_image_random_lighting", [x], lambda a: a, {"alpha_std": 0.0})
    check_op("_image_random_color_jitter", [x], lambda a: a,
             {"brightness": 0.0, "contrast": 0.0, "saturation": 0.0, "hue": 0.0})


def test_uint8_saturates_and_truncates():
    x = np.array([[[100, 200, 250]]], np.uint8)
    out = mx.nd.image.random_brightness(mx.nd.array(x, dtype="uint8"), 1.5, 1.5).asnumpy()
    assert out.tolist() == [[[150, 255, 255]]]
    out = mx.nd.image.adjust_lighting(mx.nd.array(x, dtype="uint8"), (0.1, 0.2, 0.3)).asnumpy()
    assert out.tolist() == [[[97, 196, 246]]]  # 97.68 -> 97, as MXNet


def test_random_ops_draw_per_image():
    x = mx.nd.full((64, 2, 2, 3), 100.0)
    mx.random.seed(0)
    factors = mx.nd.image.random_brightness(x, 0.5, 1.5).asnumpy()[:, 0, 0, 0] / 100
    assert len(np.unique(factors.round(6))) == 64 and 0.5 <= factors.min() and factors.max() <= 1.5
    flips = mx.nd.image.random_flip_left_right(mx.nd.array(np.arange(64 * 2).reshape(64, 1, 2, 1))).asnumpy()
    flipped = flips[:, 0, 0, 0] % 2 == 1
    assert 15 < flipped.sum() < 49


def test_errors():
    check_op_error("_image_to_tensor", [np.zeros((2, 2))], match="image")
    check_op_error("_image_normalize", [np.zeros((3, 2, 2))], {"mean": (1, 2)}, match="mean")
    check_op_error("_image_resize", [np.zeros((3, 2, 2))], {"size": (2, 2), "interp": 5}, match="interp")
    check_op_error("_image_resize", [np.zeros((3, 2, 2))], {"size": (1, 2, 3)}, match="size")
    check_op_error("_image_random_hue", [np.zeros((3, 2, 2))], {"min_factor": 0.5, "max_factor": 1},
                   match="channels")
    check_op_error("_image_random_lighting", [np.zeros((3, 2, 3))], {"alpha_std": -1}, match="alpha_std")
    check_op_error("_image_random_color_jitter", [np.zeros((3, 2, 3))],
                   {"brightness": -1, "contrast": 0, "saturation": 0, "hue": 0}, match=">= 0")
