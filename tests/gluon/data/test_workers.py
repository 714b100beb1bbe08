"""Worker processes never hang: failures raise promptly, nothing outlives an iterator, order is deterministic."""
import gc
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import gluonic as mx
from gluonic.gluon.data import DataLoader, DataLoaderTimeoutError, DataLoaderWorkerError, Dataset, SimpleDataset

from . import alive, child_pids

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


class Faulty(Dataset):
    """Returns ``[i, i, i]``; sample ``bad`` fails in the way ``mode`` says."""

    def __init__(self, mode, bad=5, n=20):
        self.mode, self.bad, self.n = mode, bad, n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i == self.bad:
            if self.mode == "raise":
                raise ValueError(f"bad sample {i}")
            if self.mode == "keyerror":
                raise KeyError(i)
            if self.mode == "custom":
                raise NeedsArgs(1, 2)
            if self.mode == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            if self.mode == "segfault":
                os.kill(os.getpid(), signal.SIGSEGV)
            if self.mode == "exit":
                os._exit(3)
            if self.mode == "stall":
                time.sleep(60)
        return np.full(3, i, dtype=np.float32)


class NeedsArgs(Exception):
    def __init__(self, a, b):
        super().__init__(f"needs {a} and {b}")


@pytest.fixture
def no_orphans():
    """Every child process this test started is gone (reaped) when it ends."""
    before = child_pids()
    yield
    gc.collect()
    assert multiprocessing.active_children() == []
    assert child_pids() - before == set()


def _first_error(loader):
    start = time.monotonic()
    with pytest.raises(BaseException) as info:
        for _ in loader:
            pass
    return info.value, time.monotonic() - start


# ----------------------------------------------------------------------------- failures
def test_worker_exception_keeps_type_and_original_traceback(no_orphans):
    err, elapsed = _first_error(DataLoader(Faulty("raise"), 2, num_workers=2))
    assert type(err) is ValueError and elapsed < 5
    msg = str(err)
    assert "Caught ValueError in DataLoader worker 0" in msg
    assert "Original traceback" in msg and 'raise ValueError(f"bad sample {i}")' in msg
    assert msg.rstrip().endswith("ValueError: bad sample 5")
    assert "test_workers.py" in msg and "__getitem__" in msg


def test_worker_keyerror_and_unbuildable_exception(no_orphans):
    err, _ = _first_error(DataLoader(Faulty("keyerror"), 2, num_workers=1))
    assert type(err) is KeyError and "KeyError: 5" in str(err) and "\\n" not in str(err)
    err, _ = _first_error(DataLoader(Faulty("custom"), 2, num_workers=1))
    assert isinstance(err, DataLoaderWorkerError) and "NeedsArgs: needs 1 and 2" in str(err)


def test_unpicklable_batch(no_orphans):
    err, _ = _first_error(DataLoader(SimpleDataset([1, 2]), 2, num_workers=1, batchify_fn=lambda s: lambda: s))
    assert "While sending the batch to the main process" in str(err)


@pytest.mark.parametrize("mode, exitcode, text", [
    ("kill", -signal.SIGKILL, "signal SIGKILL"),
    ("segfault", -signal.SIGSEGV, "signal SIGSEGV"),
    ("exit", 3, "exit code 3"),
])
def test_worker_death_raises_promptly(mode, exitcode, text, no_orphans):
    err, elapsed = _first_error(DataLoader(Faulty(mode), 2, num_workers=2, timeout=60))
    assert isinstance(err, DataLoaderWorkerError) and isinstance(err, mx.MXNetError)
    assert elapsed < 5  # not after the 60 s timeout
    assert err.worker_id == 0 and err.exitcode == exitcode  # batch 2 (samples 4, 5) is worker 0's
    assert "DataLoader worker 0" in str(err) and text in str(err) and "before delivering batch 2" in str(err)


def test_stalled_worker_times_out(no_orphans):
    err, elapsed = _first_error(DataLoader(Faulty("stall"), 2, num_workers=2, timeout=0.5))
    assert isinstance(err, DataLoaderTimeoutError) and isinstance(err, multiprocessing.TimeoutError)
    assert 0.4 < elapsed < 5
    assert "did not deliver batch 2 within timeout=0.5 s" in str(err)


def test_thread_pool_errors():
    err, _ = _first_error(DataLoader(Faulty("raise"), 2, num_workers=2, thread_pool=True))
    assert type(err) is ValueError and str(err) == "bad sample 5"
    assert any(f.name == "__getitem__" for f in __import__("traceback").extract_tb(err.__traceback__))
    err, elapsed = _first_error(DataLoader(Faulty("stall", n=6), 2, num_workers=2, thread_pool=True, timeout=0.3))
    assert isinstance(err, DataLoaderTimeoutError) and elapsed < 5


# ----------------------------------------------------------------------------- lifetime
class Interrupt(BaseException):
    """Stands for KeyboardInterrupt."""


class InterruptingSampler:
    def __len__(self):
        return 10

    def __iter__(self):
        yield from ([2 * i, 2 * i + 1] for i in range(3))
        raise Interrupt


def test_interrupt_in_main_process_stops_workers(no_orphans):
    before = child_pids()
    with pytest.raises(Interrupt) as info:
        for _ in DataLoader(SimpleDataset(list(range(20))), batch_sampler=InterruptingSampler(), num_workers=2):
            pass
    assert info.traceback is not None  # the traceback (which references the iterator) is still alive ...
    assert child_pids() - before == set()  # ... and yet no worker is


def test_iterate_twice_break_and_delete(no_orphans):
    before = child_pids()
    dl = DataLoader(SimpleDataset(list(range(20))), 2, num_workers=2)
    for _ in range(2):
        assert len(list(dl)) == 10
        assert child_pids() - before == set()
    for _ in dl:
        assert len(child_pids() - before) == 2
        break
    assert child_pids() - before == set()
    it = iter(dl)
    next(it)
    assert len(child_pids() - before) == 2
    del it
    assert child_pids() - before == set()
    it = iter(dl)
    next(it)
    del dl  # the iterator alone keeps its workers
    assert len(list(it)) == 9
    assert child_pids() - before == set()


def test_garbage_collected_cycle_and_explicit_shutdown(no_orphans):
    before = child_pids()
    it = iter(DataLoader(SimpleDataset(list(range(20))), 2, num_workers=2))
    next(it)
    it.cycle = it
    del it
    gc.collect()
    assert child_pids() - before == set()
    it = iter(DataLoader(SimpleDataset(list(range(20))), 2, num_workers=2))
    next(it)
    it.shutdown()
    assert child_pids() - before == set()
    assert list(it) == []


def test_no_shared_memory_files_left(no_orphans):
    shm = set(os.listdir("/dev/shm")) if os.path.isdir("/dev/shm") else set()
    batches = list(DataLoader(SimpleDataset(np.ones((8, 100), dtype=np.float32)), 2, num_workers=2))
    assert len(batches) == 4
    if shm or os.path.isdir("/dev/shm"):
        assert set(os.listdir("/dev/shm")) - shm == set()


class SocketCount(Dataset):
    def __len__(self):
        return 3

    def __getitem__(self, i):
        links = []
        for fd in os.listdir("/proc/self/fd"):
            try:
                links.append(os.readlink(f"/proc/self/fd/{fd}"))
            except OSError:
                pass
        return sum(link.startswith("socket:") for link in links)


def test_each_worker_holds_only_its_own_socket(no_orphans):
    # A forked worker closes its copies of the main process's socket ends (its own pair's and its
    # siblings'), so the death of either side reads as end-of-file on the other. Sockets the main
    # process held before (CUDA's, a test runner's) are inherited and counted in `before`.
    before = SocketCount()[0]
    got = [b.asnumpy().tolist() for b in DataLoader(SocketCount(), 1, num_workers=3)]
    assert got == [[before + 1]] * 3


def test_start_method_choice(monkeypatch):
    from gluonic.gluon.data._workers import start_method

    monkeypatch.delenv("GLUONIC_DATALOADER_START_METHOD", raising=False)
    assert start_method() == ("fork" if sys.platform.startswith("linux") else "spawn")
    monkeypatch.setattr("torch.cuda.is_initialized", lambda: True)
    assert start_method() == ("fork" if sys.platform.startswith("linux") else "spawn")  # workers stay off CUDA
    monkeypatch.setenv("GLUONIC_DATALOADER_START_METHOD", "forkserver")
    assert start_method() == "forkserver"


# ----------------------------------------------------------------------------- order and seeds
class Jittery(Dataset):
    """Sample ``i`` is ``i``, after a random short delay: workers finish out of order."""

    def __len__(self):
        return 40

    def __getitem__(self, i):
        time.sleep(np.random.rand() * 0.004)
        return i


@pytest.mark.parametrize("workers, prefetch", [(2, None), (3, 1), (3, 0)])
def test_order_is_deterministic(workers, prefetch, no_orphans):
    dl = DataLoader(Jittery(), 3, num_workers=workers, prefetch=prefetch)
    expected = [list(range(i, min(i + 3, 40))) for i in range(0, 40, 3)]
    assert [b.asnumpy().tolist() for b in dl] == expected


class RandomValues(Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        return np.random.rand()


def test_workers_get_distinct_reproducible_seeds(no_orphans):
    def run():
        mx.random.seed(7)
        return [float(b.asnumpy()[0]) for b in DataLoader(RandomValues(), 1, num_workers=2)]

    a, b = run(), run()
    assert a == b  # seeded from mx.random
    assert a[0] != a[1]  # workers 0 and 1 do not repeat each other's stream
    assert len(set(a)) == len(a)


# ----------------------------------------------------------------------------- whole processes
def _run_script(code: str, timeout: float = 60, env=None):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env={**os.environ, **(env or {})})


def test_workers_exit_when_main_process_is_killed():
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import os, time, sys
        from gluonic.gluon.data import DataLoader, Dataset
        class Slow(Dataset):
            def __len__(self): return 1000
            def __getitem__(self, i):
                time.sleep(0.05); return i
        it = iter(DataLoader(Slow(), 1, num_workers=2))
        next(it)
        print(" ".join(str(p) for p in os.listdir("/proc") if p.isdigit() and p != str(os.getpid())
                       and open(f"/proc/{p}/stat").read().split(") ")[1].split()[1] == str(os.getpid())), flush=True)
        time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        workers = [int(p) for p in proc.stdout.readline().split()]
        assert len(workers) == 2 and all(alive(p) for p in workers)
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 10
        while any(alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(alive(p) for p in workers)
    finally:
        proc.kill()
        proc.wait()


def test_interpreter_exit_with_live_iterator():
    start = time.monotonic()
    r = _run_script("""
        from gluonic.gluon.data import DataLoader, SimpleDataset
        it = iter(DataLoader(SimpleDataset(list(range(100))), 2, num_workers=2))
        print(next(it).asnumpy().tolist())
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[0, 1]" and "Traceback" not in r.stderr
    assert time.monotonic() - start < 30


def test_spawn_start_method(tmp_path):
    script = tmp_path / "spawn_main.py"  # spawned children re-import the main module: it must be a file
    script.write_text(textwrap.dedent("""
        import numpy as np
        from gluonic.gluon.data import DataLoader, Dataset
        from gluonic.gluon.data._workers import start_method

        class Squares(Dataset):
            def __len__(self):
                return 6

            def __getitem__(self, i):
                return np.float32(i * i)

        if __name__ == "__main__":
            print(start_method(), [b.asnumpy().tolist() for b in DataLoader(Squares(), 4, num_workers=2)])
            try:
                list(DataLoader(Squares(), 4, num_workers=1, batchify_fn=lambda s: s))
            except Exception as e:
                print(type(e).__name__, "picklable" in str(e))
    """))
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60, cwd=ROOT,
                       env={**os.environ, "GLUONIC_DATALOADER_START_METHOD": "spawn", "PYTHONPATH": ROOT})
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["spawn [[0.0, 1.0, 4.0, 9.0], [16.0, 25.0]]", "DataLoaderWorkerError True"]
