"""The key-value store of one process: ``mx.kv.create('local')`` and ``'device'``.

A KVStore holds one array per key. ``push`` sums the values given for a key (one per
device) and either stores the sum or, after :meth:`KVStore.set_optimizer`, applies the
optimizer to the stored weight with the sum as gradient; ``pull`` copies the stored array
out. Distributed stores (:mod:`gluonic.kvstore.dist`) add one step between the two: the
sums are all-reduced across workers, bucketed (one collective per bucket of arrays).

Keys are all ints or all strings (MXNet forbids mixing them in one store). Values are
NDArrays: for one key, an NDArray or a list of NDArrays (one per device); for a list of
keys, a list with one such entry per key.

Example
-------
>>> import gluonic as mx
>>> kv = mx.kv.create('local')
>>> kv.init(3, mx.nd.ones((2, 3)))
>>> kv.push(3, [mx.nd.ones((2, 3)) * 2, mx.nd.ones((2, 3)) * 3])
>>> out = mx.nd.zeros((2, 3))
>>> kv.pull(3, out=out)
>>> out.asnumpy()[0]
array([5., 5., 5.], dtype=float32)
"""
from __future__ import annotations

import torch

from .. import optimizer as opt
from .._files import write_atomic
from ..base import GluonicTypeError, GluonicValueError, MXNetError
from ..ndarray.ndarray import NDArray, _wrap

__all__ = ["KVStore", "KVStoreBase", "KVStoreError"]


class KVStoreError(MXNetError):
    """A collective operation between workers failed: a worker died, hung or disagreed."""


class KVStore:
    """A key-value store for data-parallel training in one process (MXNet's ``KVStore``).

    Create it with :func:`gluonic.kvstore.create`. ``type`` is the name it was created
    with; ``rank`` is 0 and ``num_workers`` 1 in one process.
    """

    #: Capability name: the store can run the optimizer (``set_optimizer``).
    OPTIMIZER = "optimizer"

    def __init__(self, name: str = "local"):
        self._type = name
        self._store: dict = {}
        self._key_type: type | None = None
        self._updater = None
        self._threshold: float | None = None  # 2-bit gradient compression, when set
        self._residuals: dict = {}
        self._num_collectives = 0  # collectives between workers issued so far (buckets, not arrays)

    def __repr__(self) -> str:
        return f"KVStore(type={self._type!r}, rank={self.rank}, num_workers={self.num_workers})"

    # ------------------------------------------------------------------ properties
    @property
    def type(self) -> str:
        """The name the store was created with (``'local'``, ``'dist_sync'``, ...)."""
        return self._type

    @property
    def rank(self) -> int:
        """This worker's index among ``num_workers`` (0 in one process)."""
        return 0

    @property
    def num_workers(self) -> int:
        """The number of workers training together (1 in one process)."""
        return 1

    def is_capable(self, capability: str) -> bool:
        """Whether the store supports ``capability`` (``KVStore.OPTIMIZER``: running updates)."""
        if capability.lower() == self.OPTIMIZER:
            return True
        raise GluonicValueError(f"Unknown capability: {capability!r}. Received: {capability!r}")

    # ------------------------------------------------------------------ keys and values
    def _check_key_type(self, key) -> None:
        if isinstance(key, bool) or not isinstance(key, (int, str)):
            raise GluonicTypeError(f"KVStore keys must be int or str. Received: {key!r} ({type(key).__name__})")
        kind = str if isinstance(key, str) else int
        if self._key_type is None:
            self._key_type = kind
        elif self._key_type is not kind:
            raise GluonicTypeError(
                f"Mixed key types are not allowed in one KVStore: it holds {self._key_type.__name__} keys. "
                f"Received: key {key!r}")

    def _pairs(self, key, value, what: str) -> list[tuple[object, list[NDArray]]]:
        """``(key, [NDArray per device])`` for each key of a call."""
        if isinstance(key, (list, tuple)):
            if not isinstance(value, (list, tuple)) or len(value) != len(key):
                got = len(value) if isinstance(value, (list, tuple)) else type(value).__name__
                raise GluonicValueError(f"KVStore.{what}: one value (or list of values) per key is needed for "
                                        f"{len(key)} keys. Received: {got}")
            pairs = [(k, v) for k, v in zip(key, value)]
        else:
            pairs = [(key, value)]
        result = []
        for k, v in pairs:
            self._check_key_type(k)
            vals = list(v) if isinstance(v, (list, tuple)) else [v]
            if not vals or not all(isinstance(x, NDArray) for x in vals):
                raise GluonicTypeError(f"KVStore.{what}: values of key {k!r} must be NDArrays. Received: "
                                       f"{[type(x).__name__ for x in vals]}")
            result.append((k, vals))
        return result

    def _stored(self, key, what: str) -> NDArray:
        try:
            return self._store[key]
        except KeyError:
            raise GluonicValueError(f"KVStore.{what}: key {key!r} has not been initialized; call kv.init(key, "
                                    f"value) first. Received: key {key!r}") from None

    # ------------------------------------------------------------------ the API
    def init(self, key, value) -> None:
        """Store the initial value of each key (in a distributed store: rank 0's value)."""
        pairs = self._pairs(key, value, "init")
        for k, _ in pairs:
            if k in self._store:
                raise GluonicValueError(f"KVStore.init: duplicate init of key {k!r}; kv.init and kv.broadcast "
                                        f"take each key once. Received: key {k!r}")
        stored = [vals[0].copy() for _, vals in pairs]
        self._cross_worker_broadcast([s._tensor for s in stored])
        for (k, _), s in zip(pairs, stored):
            self._store[k] = s

    def push(self, key, value, priority: int = 0) -> None:
        """Sum each key's values (and across workers); store the sum or apply the optimizer with it."""
        pairs = self._pairs(key, value, "push")
        keys = [k for k, _ in pairs]
        stored = [self._stored(k, "push") for k in keys]
        for (k, vals), s in zip(pairs, stored):
            for v in vals:
                if tuple(v.shape) != tuple(s.shape):
                    raise GluonicValueError(f"KVStore.push: key {k!r} holds shape {tuple(s.shape)}. Received: "
                                            f"a value of shape {tuple(v.shape)}")
        sums = self._reduce(keys, [vals for _, vals in pairs], [s._tensor for s in stored])
        if self._updater is None:
            with torch.no_grad():
                for s, total in zip(stored, sums):
                    s._tensor.copy_(total)
            return
        grads = [_wrap(total, s._ctx) for s, total in zip(stored, sums)]
        if isinstance(self._updater, opt.Updater):
            self._updater(keys, grads, stored)  # one multi-tensor update
        else:
            for k, g, s in zip(keys, grads, stored):
                self._updater(k, g, s)

    def pull(self, key, out=None, priority: int = 0, ignore_sparse: bool = True) -> None:
        """Copy each key's stored value into ``out`` (an NDArray or one per device)."""
        if out is None:
            raise GluonicValueError("KVStore.pull: out must be given (the arrays to copy the values into). "
                                    "Received: out=None")
        with torch.no_grad():
            for k, outs in self._pairs(key, out, "pull"):
                s = self._stored(k, "pull")
                for o in outs:
                    if o is not s:
                        o._tensor.copy_(s._tensor.to(o._tensor.device))

    def pushpull(self, key, value, out=None, priority: int = 0) -> None:
        """``push`` then ``pull``; the results go to ``out``, or back into ``value`` when it is None."""
        self.push(key, value, priority)
        self.pull(key, value if out is None else out, priority)

    def broadcast(self, key, value, out, priority: int = 0) -> None:
        """``init`` the keys with ``value`` (rank 0's in a distributed store), then ``pull`` into ``out``."""
        self.init(key, value)
        self.pull(key, out, priority)

    def row_sparse_pull(self, key, out=None, priority: int = 0, row_ids=None) -> None:
        """Dense fallback of MXNet's row-sparse pull: the rows ``row_ids`` are exact, and the other
        rows of ``out`` receive the stored values too (gluonic has no row-sparse storage)."""
        if row_ids is None:
            raise GluonicValueError("KVStore.row_sparse_pull: row_ids must be given. Received: row_ids=None")
        self.pull(key, out, priority)

    def set_optimizer(self, optimizer) -> None:
        """Run ``optimizer`` on push: the stored values become weights, pushes their gradients.

        In a distributed store every worker applies the same update to its own replica of
        the weights (there are no servers), so the replicas stay identical.
        """
        if not isinstance(optimizer, opt.Optimizer):
            raise GluonicTypeError(f"KVStore.set_optimizer needs an mx.optimizer.Optimizer. Received: "
                                   f"{type(optimizer).__name__}")
        self._updater = opt.get_updater(optimizer)

    def _set_updater(self, updater) -> None:
        """Use ``updater(key, grad, weight)`` on push (MXNet's private hook, used by Module)."""
        self._updater = updater

    def save_optimizer_states(self, fname: str, dump_optimizer: bool = False) -> None:
        """Write the optimizer states (and the optimizer with ``dump_optimizer``) to ``fname``."""
        updater = self._checked_updater("save_optimizer_states")
        write_atomic(fname, updater.get_states(dump_optimizer=dump_optimizer))

    def load_optimizer_states(self, fname: str) -> None:
        """Restore states written by :meth:`save_optimizer_states`."""
        updater = self._checked_updater("load_optimizer_states")
        with open(fname, "rb") as f:
            updater.set_states(f.read())

    def _checked_updater(self, what: str):
        if self._updater is None or not hasattr(self._updater, "get_states"):
            raise GluonicValueError(f"KVStore.{what}: this kvstore runs no optimizer; call "
                                    "kv.set_optimizer(optimizer) first. Received: no optimizer")
        return self._updater

    def set_gradient_compression(self, compression_params: dict) -> None:
        """Compress pushed gradients: ``{'type': '2bit', 'threshold': 0.5}`` or ``{'type': 'none'}``.

        2-bit compression has MXNet's numerics: each value is added to a residual, and
        ``+threshold``, ``-threshold`` or 0 is sent where the residual reaches ``±threshold``
        (the rest stays in the residual for the next push). The values still travel as
        float32, so this reproduces MXNet's training dynamics, not its bandwidth savings.
        Like MXNet, the ``'local'`` store refuses compression (use ``'device'`` or ``'dist_*'``).
        """
        if not isinstance(compression_params, dict) or "type" not in compression_params:
            raise GluonicValueError("compression_params must be a dict with a 'type' key, e.g. "
                                    f"{{'type': '2bit', 'threshold': 0.5}}. Received: {compression_params!r}")
        if "device" not in self._type and "dist" not in self._type:
            raise GluonicValueError(f"Gradient compression is not supported for the '{self._type}' kvstore; "
                                    "use 'device' or a 'dist_*' kvstore. Received: "
                                    f"{compression_params!r}")
        kind = str(compression_params["type"]).lower()
        unknown = set(compression_params) - {"type", "threshold"}
        if kind == "none":
            self._threshold = None
        elif kind == "2bit" and not unknown:
            threshold = float(compression_params.get("threshold", 0.5))
            if not threshold > 0:
                raise GluonicValueError(f"2bit compression needs threshold > 0. Received: {threshold}")
            self._threshold = threshold
        else:
            raise GluonicValueError("Supported gradient compression: {'type': '2bit', 'threshold': t} or "
                                    f"{{'type': 'none'}}. Received: {compression_params!r}")
        self._residuals.clear()

    def barrier(self) -> None:
        """Wait until every worker reaches this point (immediate in one process)."""

    _barrier = barrier

    # ------------------------------------------------------------------ reduction
    def _reduce(self, keys, value_lists, like: list[torch.Tensor]) -> list[torch.Tensor]:
        """The sum of each key's values (compressed if asked, then across workers), placed like ``like``."""
        local = "dist" not in self._type
        sums = []
        with torch.no_grad():
            for k, vals, ref in zip(keys, value_lists, like):
                parts = [v._tensor for v in vals]
                compress = self._threshold is not None and k is not None  # key None: exact (Trainer's flags)
                if compress and local:
                    parts = [self._quantize((k, i), p) for i, p in enumerate(parts)]
                total = parts[0].to(device=ref.device, dtype=ref.dtype, copy=True)
                for p in parts[1:]:
                    total += p.to(device=ref.device, dtype=ref.dtype)
                if compress and not local:
                    total = self._quantize((k, 0), total)
                sums.append(total)
            self._cross_worker_sum(sums)
        return sums

    def _quantize(self, slot, t: torch.Tensor) -> torch.Tensor:
        residual = self._residuals.get(slot)
        if residual is None or residual.shape != t.shape:
            residual = self._residuals[slot] = torch.zeros_like(t)
        residual += t
        thr = self._threshold
        q = torch.where(residual >= thr, thr, torch.where(residual <= -thr, -thr, 0.0)).to(t.dtype)
        residual -= q
        return q

    def _allreduce_inplace(self, keys, value_lists: list[list[NDArray]]) -> None:
        """Replace every value by its key's sum over devices and workers (what Trainer calls).

        Nothing is stored; the collectives between workers are bucketed.
        """
        if self.num_workers == 1 and self._threshold is None and all(len(v) == 1 for v in value_lists):
            return
        sums = self._reduce(keys, value_lists, [v[0]._tensor for v in value_lists])
        with torch.no_grad():
            for vals, total in zip(value_lists, sums):
                for v in vals:
                    v._tensor.copy_(total.to(v._tensor.device))

    def _broadcast_inplace(self, value_lists: list[list[NDArray]]) -> None:
        """Copy rank 0's first value of each list into every value on every worker."""
        with torch.no_grad():
            firsts = [vals[0]._tensor for vals in value_lists]
            self._cross_worker_broadcast(firsts)
            for vals in value_lists:
                for v in vals[1:]:
                    v._tensor.copy_(vals[0]._tensor.to(v._tensor.device))

    # hooks of distributed stores: a single process has nothing to exchange
    def _cross_worker_sum(self, tensors: list[torch.Tensor]) -> None:
        """Sum ``tensors`` in place across workers."""

    def _cross_worker_broadcast(self, tensors: list[torch.Tensor]) -> None:
        """Overwrite ``tensors`` in place with rank 0's."""


KVStoreBase = KVStore
