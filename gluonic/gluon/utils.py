"""``mx.gluon.utils``: data-parallel splitting, global-norm clipping, files and hook handles.

Example
-------
>>> import gluonic as mx
>>> from gluonic.gluon import utils
>>> parts = utils.split_and_load(mx.nd.ones((4, 3)), [mx.cpu(0), mx.cpu(1)])
>>> [(p.shape, p.context) for p in parts]
[((2, 3), cpu(0)), ((2, 3), cpu(1))]

gluonic runs offline: :func:`download` returns a file that is already in place and
otherwise raises :class:`NoNetworkAccessError` naming the URL and the path to fill.
"""
from __future__ import annotations

import hashlib
import os
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
import torch

from .. import ndarray as nd
from ..base import GluonicIndexError, GluonicTypeError, GluonicValueError, MXNetError
from ..context import Context
from ..util import is_np_shape

__all__ = [
    "split_data",
    "split_and_load",
    "clip_global_norm",
    "check_sha1",
    "download",
    "replace_file",
    "shape_is_known",
    "HookHandle",
    "NoNetworkAccessError",
]

_DEFAULT_REPO = "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/"


class NoNetworkAccessError(MXNetError, OSError):
    """A file had to be downloaded, but gluonic has no network access.

    Subclasses ``OSError`` like the connection errors MXNet's ``download`` raised, so code
    that catches those keeps working.
    """


# --------------------------------------------------------------------------- data parallelism
def split_data(data: nd.NDArray, num_slice: int, batch_axis: int = 0, even_split: bool = True) -> list[nd.NDArray]:
    """Split ``data`` into ``num_slice`` slices along ``batch_axis``.

    With ``even_split=False`` the first ``size % num_slice`` slices get one extra element
    (and slices may be empty when ``num_slice`` exceeds the size, where MXNet failed for
    ``batch_axis != 0``). Slices along a contiguous axis are views of ``data``, as in MXNet.

    Parameters
    ----------
    data : NDArray
        A batch, e.g. of shape ``(N, ...)``.
    num_slice : int
        Number of slices (at least 1).
    batch_axis : int, default 0
        Axis to split; negative values count from the end.
    even_split : bool, default True
        Require ``num_slice`` to divide ``data.shape[batch_axis]``.

    Returns
    -------
    list of NDArray
        ``num_slice`` arrays, a list even when ``num_slice`` is 1.

    Raises
    ------
    GluonicValueError
        If the split is uneven and ``even_split`` is True, or ``num_slice < 1``.

    Example
    -------
    >>> [s.shape for s in split_data(mx.nd.zeros((5, 2)), 2, even_split=False)]
    [(3, 2), (2, 2)]
    """
    shape = data.shape
    if not isinstance(num_slice, (int, np.integer)) or num_slice < 1:
        raise GluonicValueError(f"split_data: num_slice must be a positive integer. Received: {num_slice!r}")
    ndim = len(shape)
    if not -ndim <= batch_axis < ndim:
        raise GluonicIndexError(
            f"split_data: batch_axis {batch_axis} is out of range for data with {ndim} dimensions. "
            f"Received: data of shape {shape}"
        )
    axis = batch_axis % ndim
    size = shape[axis]
    if even_split and size % num_slice != 0:
        raise GluonicValueError(
            f"data with shape {shape} cannot be evenly split into {num_slice} slices along axis {batch_axis}. "
            f"Use a batch size that's multiple of {num_slice} or set even_split=False to allow "
            "uneven partitioning of data."
        )
    each, extra = divmod(size, num_slice)
    lead = (slice(None),) * axis
    slices = []
    begin = 0
    for i in range(num_slice):
        end = begin + each + (1 if i < extra else 0)
        slices.append(data[lead + (slice(begin, end),)] if axis else data[begin:end])
        begin = end
    return slices


def split_and_load(
    data, ctx_list: Sequence[Context], batch_axis: int = 0, even_split: bool = True
) -> list[nd.NDArray]:
    """Split ``data`` into ``len(ctx_list)`` slices along ``batch_axis``, one per context.

    Parameters
    ----------
    data : NDArray or array-like
        A batch; NumPy arrays and lists are converted with ``nd.array`` on ``ctx_list[0]``.
    ctx_list : list of Context
        Where the slices go, in order.
    batch_axis : int, default 0
        Axis to split.
    even_split : bool, default True
        Require ``len(ctx_list)`` to divide ``data.shape[batch_axis]``.

    Returns
    -------
    list of NDArray
        Slice ``i`` lives on ``ctx_list[i]``. With one context the whole batch is returned
        (``data`` itself when already there).

    Example
    -------
    >>> parts = split_and_load(np.zeros((4, 2), np.float32), [mx.cpu(0), mx.cpu(1)])
    >>> [p.context for p in parts]
    [cpu(0), cpu(1)]
    """
    ctx_list = list(ctx_list)
    if not ctx_list:
        raise GluonicValueError("split_and_load: ctx_list must name at least one context. Received: []")
    if not isinstance(data, nd.NDArray):
        data = nd.array(data, ctx=ctx_list[0])
    if len(ctx_list) == 1:
        return [data.as_in_context(ctx_list[0])]
    parts = split_data(data, len(ctx_list), batch_axis, even_split)
    return [part.as_in_context(ctx) for part, ctx in zip(parts, ctx_list)]


# --------------------------------------------------------------------------- clipping
def clip_global_norm(arrays: Sequence[nd.NDArray], max_norm: float, check_isfinite: bool = True):
    """Scale ``arrays`` in place so that their joint 2-norm is at most ``max_norm``.

    The total norm is ``sqrt(sum_i ||arrays[i]||^2)``; every array is multiplied by
    ``min(max_norm / (total + 1e-8), 1)``. Squares are summed in float32 for float16 and
    bfloat16 arrays and in float64 for float64 arrays (MXNet failed on both).

    Parameters
    ----------
    arrays : list of NDArray
        Typically the gradients of the parameters; may live on different contexts.
    max_norm : float
        Largest allowed total norm.
    check_isfinite : bool, default True
        Read the norm back (a device sync) and warn when it is NaN or infinite.

    Returns
    -------
    numpy scalar or NDArray
        The total norm before clipping: a NumPy float (float32, or float64 for float64
        arrays) when ``check_isfinite``; else an NDArray of shape ``(1,)`` on the context of
        ``arrays[0]``, so no synchronization happens.

    Example
    -------
    >>> g = [mx.nd.array([3.0, 4.0]), mx.nd.array([12.0])]
    >>> float(clip_global_norm(g, 1.0))
    13.0
    """
    arrays = list(arrays)
    if not arrays:
        raise GluonicValueError("clip_global_norm: arrays must contain at least one NDArray. Received: []")
    first = arrays[0]
    device = first.as_torch().device
    acc = torch.float64 if any(a.as_torch().dtype == torch.float64 for a in arrays) else torch.float32
    with torch.no_grad():
        squares = []
        for a in arrays:
            t = a.as_torch().detach().reshape(-1).to(acc)
            squares.append(torch.dot(t, t).to(device))
        total = torch.stack(squares).sum().sqrt().reshape(1)
        if check_isfinite:
            norm = total.cpu().numpy()[0]
            if not np.isfinite(norm):
                warnings.warn(
                    UserWarning("nan or inf is detected. Clipping results will be undefined."), stacklevel=2
                )
        # NaN propagates through minimum(), so a NaN norm makes every array NaN, as in MXNet.
        scale = torch.minimum(max_norm / (total + 1e-8), torch.ones((), dtype=acc, device=device))
        for a in arrays:
            t = a.as_torch()
            t.mul_(scale.to(device=t.device, dtype=t.dtype))
    if check_isfinite:
        return norm
    return nd.from_torch(total, first.context)


# --------------------------------------------------------------------------- files
def check_sha1(filename: str, sha1_hash: str) -> bool:
    """Whether the SHA-1 digest of the file ``filename`` equals ``sha1_hash`` (hex string).

    Example
    -------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(delete=False) as f:
    ...     _ = f.write(b"abc")
    >>> check_sha1(f.name, "a9993e364706816aba3e25717850c26c9cd0d89d")
    True
    """
    digest = hashlib.sha1()
    with open(filename, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest() == sha1_hash


def replace_file(src: str, dst: str) -> None:
    """Move ``src`` onto ``dst`` atomically (replacing ``dst``; both on one file system).

    Raises
    ------
    OSError
        If the move fails; ``src`` is removed then, as MXNet does with partial downloads.
    """
    try:
        os.replace(src, dst)
    except OSError as e:
        try:
            os.remove(src)
        except OSError:
            pass
        raise OSError(f"Moving downloaded temp file - {src}, to {dst} failed ({e}). Please retry the download.") from e


def download(
    url: str,
    path: str | None = None,
    overwrite: bool = False,
    sha1_hash: str | None = None,
    retries: int = 5,
    verify_ssl: bool = True,
) -> str:
    """Return the local file for ``url``; gluonic never downloads (it runs offline).

    The target file is ``path`` (or ``path/<basename of url>`` when ``path`` is a
    directory, or ``<basename of url>`` in the current directory when ``path`` is None),
    as in MXNet. When that file exists, and matches ``sha1_hash`` when one is given, its
    path is returned. Otherwise :class:`NoNetworkAccessError` tells where to put the file.
    ``overwrite=True`` cannot fetch a fresh copy: an existing file that matches is kept
    and a warning says so. ``retries`` and ``verify_ssl`` are accepted for compatibility.

    Returns
    -------
    str
        The file path (as MXNet builds it, not made absolute).

    Raises
    ------
    NoNetworkAccessError
        If the file is missing or its SHA-1 does not match ``sha1_hash``.
    """
    name = url.split("/")[-1]
    if path is None:
        if not name:
            raise GluonicValueError(
                "download: can't construct a file name from this URL; set the `path` option. "
                f"Received: url={url!r}"
            )
        fname = name
    else:
        path = os.path.expanduser(path)
        fname = os.path.join(path, name) if os.path.isdir(path) else path
    if retries < 0:
        raise GluonicValueError(f"download: the number of retries should be at least 0. Received: retries={retries}")

    exists = os.path.isfile(fname)
    matches = exists and (not sha1_hash or check_sha1(fname, sha1_hash))
    if matches:
        if overwrite:
            warnings.warn(
                f"download: overwrite=True but gluonic has no network access; using the existing file {fname}.",
                stacklevel=2,
            )
        return fname

    target = os.path.abspath(fname)
    if exists:
        problem = f"the existing file {target} does not match the expected SHA-1 {sha1_hash}"
    else:
        problem = f"the file {target} does not exist"
    hint = f" (its SHA-1 must be {sha1_hash})" if sha1_hash else ""
    raise NoNetworkAccessError(
        f"download: gluonic has no network access and {problem}. Download {url} yourself and put it "
        f"at {target}{hint}. Received: url={url!r}, path={path!r}"
    )


def _get_repo_url() -> str:
    """Base URL of MXNet's repository of data sets and models (``$MXNET_GLUON_REPO`` overrides it)."""
    url = os.environ.get("MXNET_GLUON_REPO", _DEFAULT_REPO)
    return url if url.endswith("/") else url + "/"


def _get_repo_file_url(namespace: str, filename: str) -> str:
    """URL of ``filename`` under ``namespace`` in the Gluon repository (for messages)."""
    return f"{_get_repo_url()}{namespace}/{filename}"


# --------------------------------------------------------------------------- formatting helpers
def _indent(text: str, num_spaces: int) -> str:
    """Indent every line of ``text`` but the first by ``num_spaces`` spaces."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    pad = " " * num_spaces
    return "\n".join([lines[0]] + [pad + line for line in lines[1:]])


def _brief_print_list(items, limit: int = 7) -> str:
    """Quote and join ``items``, eliding the middle when there are more than ``limit``."""
    items = list(items)
    if len(items) > limit:
        half = limit // 2
        return _brief_print_list(items[:half], limit) + ", ..., " + _brief_print_list(items[-half:], limit)
    return ", ".join(f"'{i}'" for i in items)


# --------------------------------------------------------------------------- hooks and shapes
class HookHandle:
    """A handle that removes a hook from the dict it was registered in (``Block.register_*_hook``).

    The dict (an ``OrderedDict`` keyed by ``id(hook)``) is held by weak reference, so a
    handle never keeps its block's hooks alive. Usable as a context manager: leaving the
    ``with`` block detaches the hook.

    Example
    -------
    >>> hooks = OrderedDict()
    >>> handle = HookHandle()
    >>> handle.attach(hooks, print)
    >>> handle.detach(); len(hooks)
    0
    """

    def __init__(self):
        self._hooks_dict_ref = None
        self._id = None

    def attach(self, hooks_dict: OrderedDict, hook) -> None:
        """Register ``hook`` in ``hooks_dict`` under ``id(hook)``."""
        if self._hooks_dict_ref is not None:
            raise GluonicValueError("HookHandle: the same handle cannot be attached twice. Received: a second attach")
        try:
            ref = weakref.ref(hooks_dict)
        except TypeError:
            raise GluonicTypeError(
                "HookHandle.attach: hooks_dict must support weak references (use collections.OrderedDict). "
                f"Received: {type(hooks_dict).__name__}"
            ) from None
        self._id = id(hook)
        hooks_dict[self._id] = hook
        self._hooks_dict_ref = ref

    def detach(self) -> None:
        """Remove the hook; a no-op when it is already gone (or was never attached)."""
        hooks_dict = self._hooks_dict_ref() if self._hooks_dict_ref is not None else None
        if hooks_dict is not None:
            hooks_dict.pop(self._id, None)

    def __getstate__(self):
        return (self._hooks_dict_ref() if self._hooks_dict_ref is not None else None, self._id)

    def __setstate__(self, state):
        hooks_dict, self._id = state
        self._hooks_dict_ref = weakref.ref(hooks_dict if hooks_dict is not None else OrderedDict())

    def __enter__(self) -> HookHandle:
        return self

    def __exit__(self, ptype, value, trace) -> None:
        self.detach()


def shape_is_known(shape) -> bool:
    """Whether every dimension of ``shape`` is known.

    Unknown dimensions are written 0 under MXNet's legacy shape semantics and -1 under
    NumPy shape semantics (``mx.util.is_np_shape()``); there a 0 is a real size and
    ``()`` is a known scalar shape, while under legacy semantics ``()`` is unknown.
    ``None`` is unknown.

    Raises
    ------
    GluonicValueError
        If a dimension is below the unknown marker (MXNet raised AssertionError).

    Example
    -------
    >>> shape_is_known((2, 0)), shape_is_known((2, 3))
    (False, True)
    """
    if shape is None:
        return False
    unknown = -1 if is_np_shape() else 0
    if len(shape) == 0:
        return unknown == -1
    for dim in shape:
        if dim == unknown:
            return False
        if dim < unknown:
            raise GluonicValueError(
                f"shape dimension size cannot be less than {unknown}, while received {dim}. Received: shape {shape}"
            )
    return True
