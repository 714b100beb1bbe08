"""``mx.kv`` / ``mx.kvstore``: key-value stores for data-parallel training (MXNet 1.9's API).

==========================================  ================================================
name                                        what it does
==========================================  ================================================
``local``, ``device``, ``nccl``,            one process: values pushed from several contexts
``local_update_cpu``,                       are summed (on the first value's device)
``local_allreduce_cpu``,
``local_allreduce_device``
``dist_sync``, ``dist_device_sync``,        several worker processes (``gluonic-launch``):
``dist_sync_device``                        sums across workers with allreduce (gloo on CPU,
                                            NCCL on GPU), see :mod:`gluonic.kvstore.dist`
``dist_async``, ``dist_device_async``       accepted; runs synchronously (with a warning)
``horovod``, ``byteps``                     the same allreduce engine; gradients only
==========================================  ================================================

>>> import gluonic as mx
>>> kv = mx.kv.create('device')
>>> kv.type, kv.rank, kv.num_workers
('device', 0, 1)
"""
from __future__ import annotations

from ..base import GluonicTypeError, GluonicValueError
from . import env
from .kvstore import KVStore, KVStoreBase, KVStoreError

__all__ = ["create", "KVStore", "KVStoreBase", "KVStoreError", "env"]

LOCAL_TYPES = ("local", "device", "nccl", "local_update_cpu", "local_allreduce_cpu", "local_allreduce_device")
DIST_TYPES = ("dist_sync", "dist_device_sync", "dist_sync_device", "dist_async", "dist_device_async",
              "dist_async_device", "horovod", "byteps")

env.exit_if_not_worker()  # an MXNet job's server/scheduler processes have nothing to do here


def create(name: str = "local") -> KVStore:
    """Create a kvstore by name (see the table above).

    Raises
    ------
    TypeError
        ``name`` is not a string.
    ValueError
        ``name`` is not a kvstore type (MXNet silently created a local store for any name).
    """
    if not isinstance(name, str):
        raise GluonicTypeError(f"name must be a string. Received: {type(name).__name__}")
    name = name.lower()
    if name in LOCAL_TYPES:
        return KVStore(name)
    if name in DIST_TYPES:
        from .dist import DistKVStore

        return DistKVStore(name)
    raise GluonicValueError(f"Unknown kvstore type {name!r}; expected one of {', '.join(LOCAL_TYPES + DIST_TYPES)}. "
                            f"Received: {name!r}")
