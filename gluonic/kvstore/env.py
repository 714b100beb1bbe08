"""Where a distributed job's settings come from: torchrun's variables, or MXNet's ``DMLC_*`` ones.

gluonic's distributed kvstores run on ``torch.distributed``, which reads ``RANK``,
``WORLD_SIZE``, ``MASTER_ADDR`` and ``MASTER_PORT`` (set by ``torchrun`` and by
``gluonic-launch``). Jobs started the MXNet way (``tools/launch.py``, a cluster template)
set ``DMLC_*`` variables instead; :func:`apply_dmlc_env` translates those that have a
meaning here:

==========================  ==============================================================
MXNet variable              gluonic meaning
==========================  ==============================================================
``DMLC_NUM_WORKER``         ``WORLD_SIZE``
``DMLC_TASK_ID``            ``RANK`` (``DMLC_WORKER_ID`` is read too)
``DMLC_PS_ROOT_URI``        ``MASTER_ADDR`` (rank 0's rendezvous address)
``DMLC_PS_ROOT_PORT``       ``MASTER_PORT``
``DMLC_INTERFACE``          ``GLOO_SOCKET_IFNAME`` and ``NCCL_SOCKET_IFNAME``
``DMLC_ROLE``               ``worker`` trains; ``server``/``scheduler`` processes have nothing
                            to do on an allreduce engine and exit at ``import gluonic``
``DMLC_NUM_SERVER``         ignored (there are no parameter servers)
==========================  ==============================================================

Variables already set (torchrun's) win over the translated ones.

Settings of gluonic itself:

- ``GLUONIC_KVSTORE_TIMEOUT``: seconds a collective waits for the other workers before
  failing with :class:`~gluonic.kvstore.KVStoreError` (default 300);
- ``GLUONIC_KVSTORE_BUCKET_MB``: size of the buckets gradients are reduced in (default 25);
- ``GLUONIC_DIST_BACKEND``: force ``gloo`` or ``nccl`` (default: gloo for CPU arrays, NCCL
  for GPU arrays when CUDA is available and each local worker has its own GPU).

>>> env = {"DMLC_NUM_WORKER": "2", "DMLC_TASK_ID": "1", "DMLC_PS_ROOT_URI": "10.0.0.1",
...        "DMLC_PS_ROOT_PORT": "9000", "DMLC_ROLE": "worker"}
>>> sorted(apply_dmlc_env(env).items())
[('MASTER_ADDR', '10.0.0.1'), ('MASTER_PORT', '9000'), ('RANK', '1'), ('WORLD_SIZE', '2')]
"""
from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping

__all__ = ["apply_dmlc_env", "exit_if_not_worker", "launched", "timeout_seconds", "bucket_bytes"]

_DMLC_TO_TORCH = (
    ("DMLC_NUM_WORKER", "WORLD_SIZE"),
    ("DMLC_TASK_ID", "RANK"),
    ("DMLC_WORKER_ID", "RANK"),
    ("DMLC_PS_ROOT_URI", "MASTER_ADDR"),
    ("DMLC_PS_ROOT_PORT", "MASTER_PORT"),
    ("DMLC_INTERFACE", "GLOO_SOCKET_IFNAME"),
    ("DMLC_INTERFACE", "NCCL_SOCKET_IFNAME"),
)


def apply_dmlc_env(environ: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """Set torch.distributed's variables from MXNet's ``DMLC_*`` ones where they are missing.

    Returns the variables it set. ``environ`` defaults to ``os.environ``.
    """
    environ = os.environ if environ is None else environ
    applied: dict[str, str] = {}
    for dmlc, torch_name in _DMLC_TO_TORCH:
        if dmlc in environ and torch_name not in environ and torch_name not in applied:
            applied[torch_name] = environ[dmlc]
    environ.update(applied)
    return applied


def exit_if_not_worker(environ: MutableMapping[str, str] | None = None) -> None:
    """End a process started as an MXNet parameter server or scheduler (nothing to do here)."""
    environ = os.environ if environ is None else environ
    role = environ.get("DMLC_ROLE", "worker")
    if role in ("server", "scheduler"):
        print(f"gluonic: DMLC_ROLE={role}: gluonic reduces gradients with allreduce among the workers and "
              "needs no parameter servers or scheduler; this process exits.", file=sys.stderr)
        sys.exit(0)


def launched(environ: MutableMapping[str, str] | None = None) -> bool:
    """Whether this process was started by a launcher (torchrun, gluonic-launch, DMLC)."""
    environ = os.environ if environ is None else environ
    return "WORLD_SIZE" in environ or "DMLC_NUM_WORKER" in environ


def timeout_seconds() -> float:
    return float(os.environ.get("GLUONIC_KVSTORE_TIMEOUT", "300"))


def bucket_bytes() -> int:
    return int(float(os.environ.get("GLUONIC_KVSTORE_BUCKET_MB", "25")) * (1 << 20))
