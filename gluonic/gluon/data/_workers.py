"""DataLoader worker processes: start them, feed them, receive in order, notice failures, stop them.

Each worker owns one Unix socket pair with the main process. The main process sends it
tasks ``(batch_index, sample_indices)``; the worker loads the samples, batchifies them into
shared memory (see ``_shm``) and answers ``(batch_index, ok, payload, arena_size)`` plus the
memory's file descriptor. Batch ``k`` goes to worker ``k % num_workers`` and each worker
answers in order, so the main process reads batch ``k`` from that worker's socket: order is
deterministic without a reorder buffer.

Failure handling, the point of this module:
- an exception in the worker is sent back with its traceback text, and re-raised in the
  main process as the same type (the worker goes on with the next task);
- a worker that dies (killed, crashed) makes its process sentinel ready: the main process,
  which waits on the socket *and* on every worker's sentinel, raises a
  ``DataLoaderWorkerError`` at once, naming the worker and its exit code;
- a worker silent for ``timeout`` seconds raises ``DataLoaderTimeoutError``;
- :meth:`WorkerPool.shutdown` (end of iteration, error, garbage collection of the iterator,
  interpreter exit) stops every worker: a polite message to idle ones, SIGTERM then SIGKILL
  to busy or stuck ones, and reaps them all;
- a worker whose parent died exits by itself (it polls ``getppid`` while idle; a pending
  send fails because forked siblings close their copies of the main process's sockets).

Start method: ``fork`` on Linux, as MXNet and PyTorch do (no pickling of the dataset or
the batchify function, fast), also when the main process uses CUDA: workers only load
and batchify on the CPU, and one that touches CUDA gets torch's clear "Cannot re-initialize
CUDA in forked subprocess" error. Elsewhere ``spawn`` (the dataset and batchify function
must then pickle, and the main module must be import-safe).
``GLUONIC_DATALOADER_START_METHOD`` overrides it.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import random
import signal
import socket
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable

import numpy as np
import torch

from ...context import _default_context, cpu
from ._errors import DataLoaderTimeoutError, DataLoaderWorkerError, pack_exception, worker_died
from ._shm import Arena, map_arena, pack, recv_msg, send_msg, set_arena

__all__ = ["WorkerPool", "start_method"]

_IDLE_POLL_S = 1.0  # how often an idle worker checks that its parent is alive
_GRACE_S = 1.0  # how long an idle worker gets to exit after the stop message

# Main-process ends of the sockets of live workers (of every pool): a forked worker closes
# its inherited copies, so a worker's death or the main process's death is seen as EOF.
_live_socks: set[socket.socket] = set()


def start_method() -> str:
    """The multiprocessing start method for DataLoader workers (see the module docstring)."""
    method = os.environ.get("GLUONIC_DATALOADER_START_METHOD")
    if method:
        return method
    return "fork" if sys.platform.startswith("linux") else "spawn"


def _seed_worker(seed: int) -> None:
    """Different random streams per worker (forked workers would otherwise repeat the same augmentations)."""
    from ... import random as mx_random

    random.seed(seed)
    np.random.seed(seed % 2**32)
    mx_random.seed(seed)  # gluonic's generators and torch's global one


def _worker_loop(worker_id: int, sock: socket.socket, dataset, batchify_fn: Callable, seed: int) -> None:
    """The body of a worker process."""
    parent_pid = os.getppid()  # the main process (the fork server's pid under 'forkserver')
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    for s in list(_live_socks):
        s.close()
    _live_socks.clear()
    sock.settimeout(None)
    torch.set_num_threads(1)
    _default_context.set(cpu())  # the parent's default may be a GPU, which a forked child cannot use
    _seed_worker(seed)
    while True:
        if not multiprocessing.connection.wait([sock], _IDLE_POLL_S):
            if os.getppid() != parent_pid:
                return
            continue
        try:
            task, _ = recv_msg(sock)
        except (EOFError, OSError):
            return
        if task is None:
            return
        batch_idx, indices = task
        arena = Arena()
        set_arena(arena)
        try:
            batch = batchify_fn([dataset[i] for i in indices])
            message = (batch_idx, True, pack(batch, arena), arena.size)
            del batch
        except Exception as e:
            message = (batch_idx, False, pack_exception(e, traceback.format_exc()), 0)
        finally:
            set_arena(None)
        try:
            try:
                send_msg(sock, message, arena.fd if message[1] and arena.size else None)
            except (OSError, EOFError):
                return  # the main process is gone or stopped listening
            except Exception as e:  # the batch does not pickle
                err = pack_exception(e, "While sending the batch to the main process:\n" + traceback.format_exc())
                send_msg(sock, (batch_idx, False, err, 0))
        finally:
            arena.close()


class _Worker:
    __slots__ = ("id", "proc", "sock", "pending")

    def __init__(self, worker_id: int, proc, sock: socket.socket):
        self.id = worker_id
        self.proc = proc
        self.sock = sock
        self.pending: deque[int] = deque()  # batches sent and not yet received, in order


class WorkerPool:
    """``num_workers`` worker processes computing batches of ``dataset`` with ``batchify_fn``."""

    def __init__(self, dataset, batchify_fn: Callable, num_workers: int, timeout: float, seed: int):
        self.timeout = timeout
        self.workers: list[_Worker] = []
        self._closed = False
        self.method = method = start_method()
        ctx = multiprocessing.get_context(method)
        for wid in range(num_workers):
            main_sock, child_sock = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            proc = ctx.Process(target=_worker_loop, name=f"gluonic-dataloader-worker-{wid}", daemon=True,
                               args=(wid, child_sock, dataset, batchify_fn, seed + wid))
            _live_socks.add(main_sock)  # before the fork: the child must close its copy of this end too
            try:
                proc.start()
            except Exception as e:
                _live_socks.discard(main_sock)
                main_sock.close()
                self.shutdown()
                if method != "fork":
                    raise DataLoaderWorkerError(
                        f"Could not start DataLoader worker {wid} with the {method!r} start method: {e}. With "
                        f"{method!r}, the dataset and batchify_fn must be picklable (no lambdas or local "
                        "functions). Received: " + type(e).__name__) from e
                raise
            finally:
                child_sock.close()
            main_sock.settimeout(timeout)  # bounds sends to a stuck worker and reads of a half-sent message
            self.workers.append(_Worker(wid, proc, main_sock))

    # ------------------------------------------------------------------ failures
    def _died(self, worker: _Worker) -> DataLoaderWorkerError:
        worker.proc.join(1.0)
        err = worker_died(worker.id, worker.proc.pid, worker.proc.exitcode, list(worker.pending), self.method)
        self.shutdown()
        return err

    def _timed_out(self, worker: _Worker, batch_idx: int) -> DataLoaderTimeoutError:
        err = DataLoaderTimeoutError(
            f"DataLoader worker {worker.id} (pid {worker.proc.pid}) did not deliver batch {batch_idx} within "
            f"timeout={self.timeout} s. A slow dataset or transform needs a larger `timeout`; a worker blocked "
            "on a lock, on I/O or on memory hangs forever otherwise. The workers were shut down. "
            f"Received: timeout={self.timeout}")
        self.shutdown()
        return err

    # ------------------------------------------------------------------ traffic
    def send(self, worker_id: int, batch_idx: int, indices) -> None:
        """Give batch ``batch_idx`` (sample ``indices``) to a worker."""
        worker = self.workers[worker_id]
        try:
            send_msg(worker.sock, (batch_idx, list(indices)))
        except TimeoutError:
            raise self._timed_out(worker, batch_idx) from None
        except OSError:
            raise self._died(worker) from None
        worker.pending.append(batch_idx)

    def receive(self, worker_id: int, batch_idx: int):
        """Wait for the worker's next answer: ``(ok, payload, mmap or None)``. Raises on death or timeout."""
        worker = self.workers[worker_id]
        sentinels = {w.proc.sentinel: w for w in self.workers}
        deadline = time.monotonic() + self.timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._timed_out(worker, batch_idx)
            ready = multiprocessing.connection.wait([worker.sock, *sentinels], remaining)
            if worker.sock in ready:  # read what it sent, even if it died just after
                try:
                    message, fd = recv_msg(worker.sock)
                except TimeoutError:
                    raise self._timed_out(worker, batch_idx) from None
                except (EOFError, OSError):
                    raise self._died(worker) from None
                worker.pending.popleft()
                got_idx, ok, payload, size = message
                if got_idx != batch_idx:  # cannot happen: each worker answers in order
                    self.shutdown()
                    raise DataLoaderWorkerError(
                        f"DataLoader worker {worker.id} answered batch {got_idx} while batch {batch_idx} was "
                        "expected; please report this bug.", worker.id, worker.proc.pid)
                return ok, payload, map_arena(fd, size)
            for s in ready:
                raise self._died(sentinels[s])

    # ------------------------------------------------------------------ shutdown
    def shutdown(self) -> None:
        """Stop and reap every worker (idempotent; safe at interpreter exit)."""
        if self._closed:
            return
        self._closed = True
        idle = []
        for w in self.workers:
            if not w.pending and w.proc.exitcode is None:
                try:
                    w.sock.settimeout(0)
                    send_msg(w.sock, None)
                    idle.append(w)
                except OSError:
                    pass
        deadline = time.monotonic() + _GRACE_S
        for w in idle:
            w.proc.join(max(0.0, deadline - time.monotonic()))
        for w in self.workers:
            if w.proc.exitcode is None:
                w.proc.terminate()
        for w in self.workers:
            w.proc.join(1.0)
            if w.proc.exitcode is None:
                w.proc.kill()
                w.proc.join()
            w.sock.close()
            _live_socks.discard(w.sock)
            w.proc.close()
