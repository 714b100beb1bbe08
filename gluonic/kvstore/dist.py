"""Distributed kvstores (``dist_sync``, ``dist_device_sync``, ``dist_async``, ``horovod``, ``byteps``)
on ``torch.distributed``.

MXNet ran parameter servers; gluonic all-reduces among the workers instead (gloo for CPU
arrays, NCCL for GPU arrays). What a worker sees is MXNet's ``dist_sync``:

- ``init``/``broadcast`` store rank 0's value on every worker;
- ``push`` sums the values over this worker's devices and then over all workers; with
  ``set_optimizer`` every worker applies the same update to its own replica of the weights
  (the replicas stay identical, as if a server had updated them);
- collectives are bucketed: the arrays of one call travel in flat buffers of at most
  ``GLUONIC_KVSTORE_BUCKET_MB`` (25 MB), one collective per buffer.

``dist_async`` has no meaning on an allreduce engine (no server to apply gradients as
they arrive). It is accepted and runs synchronously, which is one valid schedule of
asynchronous SGD with zero staleness; a warning says so. ``horovod`` and ``byteps`` map to
the same engine: gradients are summed (like their kvstores' ``pushpull``) and the store
does not run optimizers (``is_capable('optimizer')`` is False, so Trainer updates locally).

A worker that dies or stops answering makes the collectives of the others fail with
:class:`KVStoreError` after at most ``GLUONIC_KVSTORE_TIMEOUT`` seconds (300 by default; a
dead peer is usually noticed at once), instead of hanging.

Launch with ``gluonic-launch -n 2 python train.py`` (or ``torchrun``); MXNet's ``DMLC_*``
variables are understood (:mod:`gluonic.kvstore.env`). Started without a launcher, a
distributed store runs as a job of one worker.
"""
from __future__ import annotations

import datetime
import os
import warnings

import torch
import torch.distributed as dist

from ..base import GluonicValueError
from . import env
from .kvstore import KVStore, KVStoreError

__all__ = ["DistKVStore"]


def _backend() -> str:
    forced = os.environ.get("GLUONIC_DIST_BACKEND")
    if forced:
        return forced
    if torch.cuda.is_available() and dist.is_nccl_available() and _local_workers() <= torch.cuda.device_count():
        return "cpu:gloo,cuda:nccl"  # each collective goes to the backend of its tensors' device
    # Without GPUs, or with more workers on this machine than GPUs (NCCL refuses two workers on one GPU):
    # gloo, which also reduces GPU arrays (through host memory).
    return "gloo"


def _local_workers() -> int:
    """How many workers run on this machine: torchrun's (and gluonic-launch's) LOCAL_WORLD_SIZE, else
    WORLD_SIZE, so that every worker makes the same choice."""
    return int(os.environ.get("LOCAL_WORLD_SIZE") or os.environ.get("WORLD_SIZE") or "1")


def _init_process_group() -> None:
    if dist.is_initialized():
        return
    env.apply_dmlc_env()
    timeout = datetime.timedelta(seconds=env.timeout_seconds())
    if not env.launched():
        warnings.warn("A distributed kvstore was created without a launcher: training as a single worker. "
                      "Start N workers with `gluonic-launch -n N python script.py` (or torchrun).",
                      UserWarning, stacklevel=4)
        dist.init_process_group("gloo", store=dist.HashStore(), rank=0, world_size=1, timeout=timeout)
        return
    for name in ("RANK", "MASTER_ADDR", "MASTER_PORT"):
        if name not in os.environ:
            raise GluonicValueError(f"Distributed kvstore: the environment variable {name} is missing (WORLD_SIZE="
                                    f"{os.environ['WORLD_SIZE']} is set). Start the workers with gluonic-launch or "
                                    f"torchrun, which set RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT. "
                                    f"Received: no {name}")
    backend = _backend()
    if "nccl" in backend and "LOCAL_RANK" in os.environ:
        torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    try:
        dist.init_process_group(backend, init_method="env://", timeout=timeout)
    except Exception as e:  # a rendezvous that does not complete within the timeout
        raise KVStoreError(
            f"Distributed kvstore: worker {os.environ['RANK']} of {os.environ['WORLD_SIZE']} could not meet the "
            f"other workers at {os.environ['MASTER_ADDR']}:{os.environ['MASTER_PORT']} within "
            f"{timeout.total_seconds():g} s (GLUONIC_KVSTORE_TIMEOUT). Received: {type(e).__name__}: {e}") from e


class DistKVStore(KVStore):
    """A kvstore shared by the workers of a ``torch.distributed`` job (see the module docstring)."""

    def __init__(self, name: str = "dist_sync"):
        super().__init__(name)
        if "async" in name:
            warnings.warn(f"'{name}': gluonic's distributed kvstores all-reduce among workers, so updates are "
                          "applied synchronously (asynchronous SGD with zero staleness); results equal "
                          "'dist_sync'.", UserWarning, stacklevel=3)
        _init_process_group()
        self._bucket_bytes = env.bucket_bytes()
        self._timeout = env.timeout_seconds()

    @property
    def rank(self) -> int:
        return dist.get_rank()

    @property
    def num_workers(self) -> int:
        return dist.get_world_size()

    def is_capable(self, capability: str) -> bool:
        if capability.lower() == self.OPTIMIZER and self._type in ("horovod", "byteps"):
            return False
        return super().is_capable(capability)

    def set_optimizer(self, optimizer) -> None:
        if not self.is_capable(self.OPTIMIZER):
            raise GluonicValueError(f"The '{self._type}' kvstore only reduces gradients; the optimizer runs in the "
                                    "Trainer (update_on_kvstore=False). Received: set_optimizer")
        super().set_optimizer(optimizer)

    def barrier(self) -> None:
        """Wait until every worker reaches this point (fails with KVStoreError if one never does)."""
        flag = torch.zeros(1)
        self._collective("barrier", [flag], lambda t: dist.all_reduce(t))

    _barrier = barrier

    # ------------------------------------------------------------------ collectives
    def _cross_worker_sum(self, tensors: list[torch.Tensor]) -> None:
        if self.num_workers > 1:
            self._bucketed("allreduce", tensors, lambda t: dist.all_reduce(t))

    def _cross_worker_broadcast(self, tensors: list[torch.Tensor]) -> None:
        if self.num_workers > 1:
            self._bucketed("broadcast", tensors, lambda t: dist.broadcast(t, src=0))

    def _bucketed(self, what: str, tensors: list[torch.Tensor], op) -> None:
        """Run ``op`` on flat buffers of at most ``bucket_bytes``; copy the results back."""
        groups: dict = {}
        for t in tensors:
            wire = t.dtype
            if t.is_floating_point() and t.dtype not in (torch.float32, torch.float64) and not t.is_cuda:
                wire = torch.float32  # gloo has no low-precision sums; float32 is exact for them anyway
            groups.setdefault((t.device, wire), []).append(t)
        for (_, wire), group in groups.items():
            bucket: list[torch.Tensor] = []
            size = 0
            for t in group:
                nbytes = t.numel() * t.element_size()
                if bucket and size + nbytes > self._bucket_bytes:
                    self._run_bucket(what, bucket, wire, op)
                    bucket, size = [], 0
                bucket.append(t)
                size += nbytes
            if bucket:
                self._run_bucket(what, bucket, wire, op)

    def _run_bucket(self, what: str, bucket: list[torch.Tensor], wire: torch.dtype, op) -> None:
        flat = torch.cat([t.reshape(-1).to(wire) for t in bucket])
        self._collective(what, bucket, lambda _: op(flat), flat)
        offset = 0
        for t in bucket:
            n = t.numel()
            t.copy_(flat[offset:offset + n].view(t.shape))
            offset += n

    def _collective(self, what: str, tensors, op, arg=None) -> None:
        self._num_collectives += 1
        try:
            op(arg if arg is not None else tensors[0])
        except Exception as e:
            raise KVStoreError(
                f"'{self._type}' kvstore: the {what} of {len(tensors)} array(s) failed on worker {self.rank} of "
                f"{self.num_workers}: another worker has probably died or stopped responding (timeout "
                f"{self._timeout:g} s, set by GLUONIC_KVSTORE_TIMEOUT). Check the other workers' logs. "
                f"Received: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}") from e
