"""Tests of ``gluonic.gluon.utils`` (golden values from MXNet 1.9.1)."""
import gc
import hashlib
import os
import pickle
import warnings
from collections import OrderedDict

import numpy as np
import pytest

import gluonic as mx
from gluonic.base import GluonicIndexError, GluonicValueError, MXNetError
from gluonic.gluon import utils

# --------------------------------------------------------------------------- split_data


@pytest.mark.parametrize(
    "shape, num_slice, axis, even, expected",
    [
        ((6, 4), 3, 0, True, [(2, 4)] * 3),
        ((3, 4), 2, 0, False, [(2, 4), (1, 4)]),  # MXNet: [(2, 4), (1, 4)]
        ((3, 4), 3, 1, False, [(3, 2), (3, 1), (3, 1)]),  # MXNet: same
        ((3, 4), 2, -1, True, [(3, 2), (3, 2)]),
        ((3, 4), 5, 0, False, [(1, 4)] * 3 + [(0, 4)] * 2),  # MXNet: same
        ((3, 4), 6, 1, False, [(3, 1)] * 4 + [(3, 0)] * 2),  # MXNet failed here
        ((2, 3, 5), 1, 2, True, [(2, 3, 5)]),
    ],
)
def test_split_data_shapes_and_values(shape, num_slice, axis, even, expected):
    a = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    parts = utils.split_data(mx.nd.array(a), num_slice, batch_axis=axis, even_split=even)
    assert isinstance(parts, list)
    assert [p.shape for p in parts] == expected
    np.testing.assert_array_equal(np.concatenate([p.asnumpy() for p in parts], axis=axis), a)


def test_split_data_uneven_error_message():
    with pytest.raises(ValueError) as e:
        utils.split_data(mx.nd.zeros((3, 4)), 2)
    assert isinstance(e.value, MXNetError)
    assert str(e.value) == (
        "data with shape (3, 4) cannot be evenly split into 2 slices along axis 0. Use a batch size that's "
        "multiple of 2 or set even_split=False to allow uneven partitioning of data."
    )


def test_split_data_bad_arguments():
    with pytest.raises(GluonicValueError, match="num_slice"):
        utils.split_data(mx.nd.zeros((4, 2)), 0)
    with pytest.raises(GluonicIndexError, match="batch_axis 2"):
        utils.split_data(mx.nd.zeros((4, 2)), 2, batch_axis=2)


def test_split_data_axis0_slices_are_views():
    x = mx.nd.zeros((6, 2))
    first = utils.split_data(x, 3)[0]
    first[:] = 7
    np.testing.assert_array_equal(x.asnumpy()[:2], 7)  # MXNet: writes reach the batch
    np.testing.assert_array_equal(x.asnumpy()[2:], 0)


# --------------------------------------------------------------------------- split_and_load


def test_split_and_load_contexts():
    ctxs = [mx.cpu(0), mx.cpu(1)]
    a = np.arange(12, dtype=np.float32).reshape(4, 3)
    parts = utils.split_and_load(mx.nd.array(a), ctxs)
    assert [p.context for p in parts] == ctxs
    assert [p.shape for p in parts] == [(2, 3), (2, 3)]
    np.testing.assert_array_equal(parts[1].asnumpy(), a[2:])


def test_split_and_load_numpy_and_axis():
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    parts = utils.split_and_load(a, [mx.cpu(0), mx.cpu(1), mx.cpu(2)], batch_axis=1, even_split=False)
    assert all(isinstance(p, mx.nd.NDArray) for p in parts)
    assert [p.context for p in parts] == [mx.cpu(0), mx.cpu(1), mx.cpu(2)]
    assert [p.shape for p in parts] == [(3, 2), (3, 1), (3, 1)]
    np.testing.assert_array_equal(parts[2].asnumpy(), a[:, 3:])
    with pytest.raises(ValueError, match="cannot be evenly split into 3 slices along axis 1"):
        utils.split_and_load(a, [mx.cpu(0), mx.cpu(1), mx.cpu(2)], batch_axis=1)


def test_split_and_load_single_context():
    x = mx.nd.ones((5, 2), ctx=mx.cpu(0))
    (same,) = utils.split_and_load(x, [mx.cpu(0)])
    assert same is x  # no split, no copy, as in MXNet
    (moved,) = utils.split_and_load([[1, 2], [3, 4]], [mx.cpu(1)])
    assert moved.context == mx.cpu(1) and moved.shape == (2, 2) and moved.dtype == np.float32
    with pytest.raises(GluonicValueError, match="ctx_list"):
        utils.split_and_load(x, [])


# --------------------------------------------------------------------------- clip_global_norm


def test_clip_global_norm_golden():
    g = [mx.nd.array([3.0, 4.0]), mx.nd.array([[12.0]])]
    norm = utils.clip_global_norm(g, 1.0)
    assert isinstance(norm, np.float32) and norm == pytest.approx(13.0)  # MXNet: 13.0, numpy.float32
    np.testing.assert_allclose(g[0].asnumpy(), [0.23076925, 0.30769232], rtol=1e-6)  # MXNet values
    np.testing.assert_allclose(g[1].asnumpy(), [[0.923077]], rtol=1e-6)


def test_clip_global_norm_matches_numpy_across_contexts():
    rng = np.random.RandomState(0)
    arrays = [rng.randn(3, 4).astype(np.float32), rng.randn(5).astype(np.float32), rng.randn(2, 2, 2).astype(np.float32)]
    ctxs = [mx.cpu(0), mx.cpu(1), mx.cpu(0)]
    nds = [mx.nd.array(a, ctx=c) for a, c in zip(arrays, ctxs)]
    expected = np.sqrt(sum((a.astype(np.float64) ** 2).sum() for a in arrays))
    norm = utils.clip_global_norm(nds, 2.0)
    assert norm == pytest.approx(expected, rel=1e-6)
    scale = 2.0 / (expected + 1e-8)
    for a, x, c in zip(arrays, nds, ctxs):
        assert x.context == c
        np.testing.assert_allclose(x.asnumpy(), a * scale, rtol=1e-5)


def test_clip_global_norm_below_max_leaves_arrays_and_returns_ndarray():
    x = mx.nd.array([0.3, 0.4])
    norm = utils.clip_global_norm([x], 1.0, check_isfinite=False)
    assert isinstance(norm, mx.nd.NDArray) and norm.shape == (1,) and norm.context == mx.cpu(0)
    np.testing.assert_allclose(norm.asnumpy(), [0.5], rtol=1e-6)
    np.testing.assert_allclose(x.asnumpy(), [0.3, 0.4], rtol=1e-6)


@pytest.mark.parametrize("dtype", ["float16", "float64"])
def test_clip_global_norm_other_float_dtypes(dtype):  # MXNet failed on both
    x = mx.nd.array(np.array([3.0, 4.0], dtype=dtype), dtype=dtype)
    norm = utils.clip_global_norm([x], 1.0)
    assert norm == pytest.approx(5.0)
    assert x.dtype == np.dtype(dtype)
    np.testing.assert_allclose(x.asnumpy(), [0.6, 0.8], rtol=1e-3)


def test_clip_global_norm_scales_gradients_in_place():
    w = mx.nd.array([1.0, 2.0])
    w.attach_grad()
    with mx.autograd.record():
        y = (w * mx.nd.array([30.0, 40.0])).sum()
    y.backward()
    utils.clip_global_norm([w.grad], 5.0)
    np.testing.assert_allclose(w.grad.asnumpy(), [3.0, 4.0], rtol=1e-6)


def test_clip_global_norm_nan_warns():
    g = [mx.nd.array([np.nan, 0.4]), mx.nd.array([1.0])]
    with pytest.warns(UserWarning, match="nan or inf is detected. Clipping results will be undefined."):
        norm = utils.clip_global_norm(g, 1.0)
    assert np.isnan(norm)
    assert np.isnan(g[0].asnumpy()).all() and np.isnan(g[1].asnumpy()).all()  # MXNet: all NaN
    g = [mx.nd.array([np.inf, 0.4]), mx.nd.array([1.0])]
    with pytest.warns(UserWarning, match="nan or inf"):
        assert np.isinf(utils.clip_global_norm(g, 1.0))
    np.testing.assert_array_equal(g[1].asnumpy(), [0.0])  # MXNet: [0.]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        utils.clip_global_norm([mx.nd.array([np.nan])], 1.0, check_isfinite=False)  # no check, no warning


def test_clip_global_norm_empty():
    with pytest.raises(GluonicValueError, match="at least one"):
        utils.clip_global_norm([], 1.0)


# --------------------------------------------------------------------------- files


def test_check_sha1(tmp_path):
    f = tmp_path / "data.bin"
    content = os.urandom(3 << 20 | 17)  # several read blocks
    f.write_bytes(content)
    assert utils.check_sha1(str(f), hashlib.sha1(content).hexdigest())
    assert not utils.check_sha1(str(f), hashlib.sha1(content[:-1]).hexdigest())
    (tmp_path / "abc").write_bytes(b"abc")
    assert utils.check_sha1(str(tmp_path / "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d")


def test_download_existing_file(tmp_path, monkeypatch):
    url = "https://example.com/models/net-0000.params"
    target = tmp_path / "net-0000.params"
    target.write_bytes(b"weights")
    sha1 = hashlib.sha1(b"weights").hexdigest()
    assert utils.download(url, path=str(tmp_path)) == str(target)  # a directory: url's basename inside
    assert utils.download(url, path=str(target), sha1_hash=sha1) == str(target)
    monkeypatch.chdir(tmp_path)
    assert utils.download(url) == "net-0000.params"  # relative, as MXNet returns it
    with pytest.warns(UserWarning, match="overwrite=True"):
        assert utils.download(url, path=str(target), overwrite=True) == str(target)


def test_download_offline_errors(tmp_path):
    url = "https://example.com/data/train.rec"
    missing = tmp_path / "sub" / "train.rec"
    with pytest.raises(utils.NoNetworkAccessError) as e:
        utils.download(url, path=str(missing))
    msg = str(e.value)
    assert isinstance(e.value, MXNetError) and isinstance(e.value, OSError)
    assert "no network access" in msg and url in msg and str(missing) in msg and "does not exist" in msg

    existing = tmp_path / "train.rec"
    existing.write_bytes(b"old")
    with pytest.raises(utils.NoNetworkAccessError, match="does not match the expected SHA-1 0123") as e:
        utils.download(url, path=str(tmp_path), sha1_hash="0123")
    assert str(existing) in str(e.value)
    with pytest.raises(GluonicValueError, match="file name"):
        utils.download("https://example.com/")
    with pytest.raises(GluonicValueError, match="retries"):
        utils.download(url, path=str(existing), retries=-1)


def test_replace_file(tmp_path):
    src, dst = tmp_path / "a.tmp", tmp_path / "a"
    src.write_text("new")
    dst.write_text("old")
    utils.replace_file(str(src), str(dst))
    assert dst.read_text() == "new" and not src.exists()
    src.write_text("x")
    with pytest.raises(OSError, match="Please retry the download"):
        utils.replace_file(str(src), str(tmp_path / "no_dir" / "a"))
    assert not src.exists()


def test_repo_urls(monkeypatch):
    monkeypatch.delenv("MXNET_GLUON_REPO", raising=False)
    base = "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/"
    assert utils._get_repo_url() == base
    assert utils._get_repo_file_url("gluon/models", "x.zip") == base + "gluon/models/x.zip"
    monkeypatch.setenv("MXNET_GLUON_REPO", "http://mirror.local/repo")
    assert utils._get_repo_file_url("ns", "f") == "http://mirror.local/repo/ns/f"


def test_print_helpers():
    assert utils._indent("a\nb\nc", 2) == "a\n  b\n  c"
    assert utils._indent("a", 4) == "a"
    assert utils._brief_print_list(["x", "y"]) == "'x', 'y'"
    assert utils._brief_print_list(range(10)) == "'0', '1', '2', ..., '7', '8', '9'"


# --------------------------------------------------------------------------- HookHandle, shapes


def test_hook_handle_attach_detach():
    hooks = OrderedDict()

    def first(*args):
        pass

    def second(*args):
        pass

    h1, h2 = utils.HookHandle(), utils.HookHandle()
    h1.attach(hooks, first)
    h2.attach(hooks, second)
    assert list(hooks.items()) == [(id(first), first), (id(second), second)]
    with pytest.raises(GluonicValueError, match="attached twice"):
        h1.attach(hooks, first)
    h1.detach()
    h1.detach()  # already gone: no-op
    assert list(hooks.values()) == [second]
    with h2 as same:
        assert same is h2
    assert not hooks
    utils.HookHandle().detach()  # never attached: no-op (MXNet raised TypeError)


def test_hook_handle_weak_reference_and_pickle():
    hooks = OrderedDict()
    h = utils.HookHandle()
    h.attach(hooks, print)
    restored = pickle.loads(pickle.dumps(h))
    assert restored._id == id(print)
    restored.detach()  # its dict copy is unreferenced: no-op
    assert list(hooks.values()) == [print]
    del hooks
    gc.collect()
    h.detach()  # the dict is gone: no-op
    assert h._hooks_dict_ref() is None


def test_shape_is_known():
    assert utils.shape_is_known((2, 3))
    assert not utils.shape_is_known((0, 3))
    assert not utils.shape_is_known(())
    assert not utils.shape_is_known(None)
    assert not utils.shape_is_known((0, -1))  # stops at the first unknown dimension, as MXNet
    with pytest.raises(GluonicValueError, match="cannot be less than 0, while received -1"):
        utils.shape_is_known((-1, 3))
    with mx.util.np_shape(True):
        assert utils.shape_is_known(())
        assert utils.shape_is_known((0, 3))
        assert not utils.shape_is_known((-1, 3))
        with pytest.raises(GluonicValueError, match="cannot be less than -1, while received -2"):
            utils.shape_is_known((4, -2))
