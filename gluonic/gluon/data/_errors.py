"""Errors of ``gluon.data``: argument checks, and the DataLoader's worker failures.

A worker's own exception is re-raised in the main process as the same exception type
(when it can be rebuilt from a message) whose message carries the worker's original
traceback; a worker that dies or stalls raises :class:`DataLoaderWorkerError` or
:class:`DataLoaderTimeoutError`, both ``MXNetError`` subclasses.
"""
from __future__ import annotations

import multiprocessing
import pickle
import signal

from ...base import GluonicTypeError, GluonicValueError, MXNetError

__all__ = ["DataAssertionError", "DataLoaderWorkerError", "DataLoaderTimeoutError"]


class DataAssertionError(GluonicValueError, AssertionError):
    """An argument check that MXNet makes with ``assert`` (so ``except AssertionError`` still works)."""


class DataLoaderWorkerError(MXNetError):
    """A DataLoader worker process exited unexpectedly (killed, crashed), or its error could not be rebuilt.

    Attributes ``worker_id``, ``pid`` and ``exitcode`` say which worker and how (a negative
    exit code ``-N`` means it was killed by signal ``N``).
    """

    def __init__(self, message: str, worker_id: int | None = None, pid: int | None = None,
                 exitcode: int | None = None):
        super().__init__(message)
        self.worker_id = worker_id
        self.pid = pid
        self.exitcode = exitcode

    def __reduce__(self):
        return type(self), (str(self), self.worker_id, self.pid, self.exitcode)


class DataLoaderTimeoutError(MXNetError, multiprocessing.TimeoutError):
    """A DataLoader worker did not deliver a batch within ``timeout`` seconds.

    Also a ``multiprocessing.TimeoutError``, which is what MXNet raises there.
    """


class _Message(str):
    """A message whose ``repr`` is itself, so ``KeyError(msg)`` prints the traceback readably."""

    def __repr__(self) -> str:
        return str(self)


def exit_description(exitcode: int | None) -> str:
    """``'exit code -11 (signal SIGSEGV)'`` and the likely cause, for a worker's exit code."""
    if exitcode is None:
        return "an unknown exit code"
    if exitcode >= 0:
        return f"exit code {exitcode}"
    try:
        name = signal.Signals(-exitcode).name
    except ValueError:
        name = f"signal {-exitcode}"
    hint = {
        "SIGKILL": " - killed, possibly by the out-of-memory killer",
        "SIGSEGV": " - a crash in native code called by the dataset, transform or batchify_fn",
        "SIGBUS": " - possibly out of shared memory",
        "SIGTERM": " - terminated by another process",
    }.get(name, "")
    return f"exit code {exitcode} (signal {name}{hint})"


def worker_died(worker_id: int, pid: int | None, exitcode: int | None, pending: list[int],
                method: str = "fork") -> DataLoaderWorkerError:
    """The error for a worker that exited while the main process waited on it."""
    where = f" before delivering batch {pending[0]}" if pending else ""
    hint = ""
    if exitcode == 1 and method != "fork":
        hint = (f" With the {method!r} start method, a worker that cannot unpickle the dataset or import the main "
                "module exits this way; its traceback is on stderr.")
    return DataLoaderWorkerError(
        f"DataLoader worker {worker_id} (pid {pid}) exited unexpectedly with {exit_description(exitcode)}{where}."
        f"{hint} The other workers were shut down. To debug, run with num_workers=0 (the error then happens "
        f"in the main process). Received: exitcode={exitcode}",
        worker_id, pid, exitcode)


def pack_exception(exc: BaseException, tb_text: str) -> tuple:
    """What a worker sends for an exception: its type (if picklable) and the traceback text."""
    try:
        exc_type = pickle.loads(pickle.dumps(type(exc)))
    except Exception:  # a local or unimportable class: rebuilt as DataLoaderWorkerError
        exc_type = None
    return exc_type, type(exc).__qualname__, tb_text


def rebuild_exception(packed: tuple, worker_id: int, pid: int | None) -> BaseException:
    """The exception the main process raises for one a worker caught: same type, original traceback."""
    exc_type, type_name, tb_text = packed
    msg = _Message(
        f"Caught {type_name} in DataLoader worker {worker_id} (pid {pid}).\n"
        f"Original traceback (in the worker process):\n{tb_text.rstrip()}")
    if exc_type is not None:
        try:
            err = exc_type(msg)
            if str(err) == msg or exc_type is KeyError:
                return err
        except Exception:  # the type needs other constructor arguments
            pass
    err = DataLoaderWorkerError(msg, worker_id, pid, None)
    return err


def check_type(cond: bool, message: str) -> None:
    """Raise GluonicTypeError(message) unless ``cond``."""
    if not cond:
        raise GluonicTypeError(message)


def check(cond: bool, message: str) -> None:
    """MXNet's ``assert cond, message`` as a DataAssertionError."""
    if not cond:
        raise DataAssertionError(message)
