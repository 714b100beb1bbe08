"""Distributed training with 2 worker processes on loopback (gloo), checked against single-process runs.

Workers are forked from a forkserver that imported gluonic once (a fresh interpreter costs
seconds on this machine); each job is a new set of processes meeting at a new port. Two
waves: the main job (kvstore API + Trainer runs), a job whose rank 1 dies and a worker whose
peer never comes; then a new job resuming from the dead job's checkpoint and a job whose
rank 1 hangs. (test_launch.py runs the example through ``gluonic-launch``.)
"""
import json
import multiprocessing
import os
import socket
import time

import numpy as np
import pytest

import gluonic as mx
from gluonic import gluon

from . import _worker, models
from .test_kvstore import quantize_2bit

HERE = os.path.dirname(os.path.abspath(__file__))
K = 2


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _context():
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["gluonic", _worker.__name__])
    return ctx


def _start(mode, out, ranks=(0, 1), world=K, timeout_s=20):
    ctx = _context()
    port = _port()
    procs = [ctx.Process(target=_worker.run, args=(mode, str(out), r, world, port, timeout_s)) for r in ranks]
    for p in procs:
        p.start()
    return procs, out, mode


def _finish(job, limit=60):
    """Exit codes and error reports; a job that does not end in ``limit`` seconds fails the tests (no hang)."""
    procs, out, mode = job
    deadline = time.time() + limit
    results = []
    for r, p in enumerate(procs):
        p.join(max(deadline - time.time(), 1))
        if p.exitcode is None:
            for q in procs:
                q.kill()
            raise AssertionError(f"{mode}: worker {r} did not finish within {limit} s")
        err = os.path.join(out, f"{mode}-rank{r}.err")
        results.append((p.exitcode, open(err).read() if os.path.exists(err) else ""))
    return results


def _load(out, mode, rank):
    arrays = dict(np.load(os.path.join(out, f"{mode}-rank{rank}.npz")))
    with open(os.path.join(out, f"{mode}-rank{rank}.json")) as f:
        arrays.update(json.load(f))
    return arrays


@pytest.fixture(scope="module")
def jobs(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    wave1 = {"main": _start("main", out), "fault": _start("fault", out),
             "alone": _start("alone", out, ranks=(0,), timeout_s=3)}
    done = {name: _finish(job) for name, job in wave1.items()}
    hang_out = tmp_path_factory.mktemp("hang")
    wave2 = {"resume": _start("resume", out), "hang": _start("hang", hang_out, timeout_s=3)}
    done["resume"] = _finish(wave2["resume"])
    hang_procs = wave2["hang"][0]
    done["hang"] = _finish((hang_procs[:1], hang_out, "hang"))
    hang_procs[1].kill()
    return {"out": str(out), "hang_out": str(hang_out), "done": done}


def _ok(jobs, name):
    for code, output in jobs["done"][name]:
        assert code == 0, output[-3000:]


def test_kvstore_api_across_workers(jobs):
    _ok(jobs, "main")
    ranks = [_load(jobs["out"], "main", r) for r in range(K)]
    for r, res in enumerate(ranks):
        assert (int(res["rank"]), int(res["num_workers"]), res["type"]) == (r, K, "dist_sync")
        np.testing.assert_array_equal(res["init_pull"], np.ones((2, 3)))  # rank 0's init
        np.testing.assert_array_equal(res["push_pull"], np.full((2, 3), 2 * (1 + 2)))  # 2 devices x 2 workers
        expect = np.concatenate([np.arange(i + 1) * 3 for i in range(4)])
        np.testing.assert_array_equal(res["pushpull"], expect)
        np.testing.assert_array_equal(res["pushpull_small"], expect)
        assert int(res["pushpull_collectives"]) == 1  # 4 keys, one bucket
        assert int(res["small_bucket_collectives"]) == 4
        np.testing.assert_array_equal(res["broadcast"], [7, 7, 7])
        np.testing.assert_array_equal(res["row_sparse_pull"], [7, 7, 7])
        sent = np.sum([quantize_2bit([models.compression_grad(w, s) for s in range(3)]) for w in range(K)], axis=0)
        for s in range(3):
            np.testing.assert_allclose(res[f"compressed_{s}"], sent[s])
    res = ranks[0]
    assert "applied synchronously" in res["async_warning"]
    assert "update_on_kvstore=True when training in async mode" in res["async_error"]
    assert res["horovod"] == "horovod 2 False" and res["horovod_update_on_kvstore"] == "False"
    assert "only reduces gradients" in res["horovod_error"]
    # the optimizer on the store: every worker applies the update of the summed gradient
    kv = mx.kv.create("local")
    kv.init("w", mx.nd.ones((4,)))
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=0.1, momentum=0.9))
    w = mx.nd.zeros((4,))
    for step in range(3):
        kv.pushpull("w", [mx.nd.array(np.arange(4) + r + step) for r in range(K)], out=w)
    for res in ranks:
        np.testing.assert_allclose(res["optimizer_w"], w.asnumpy(), rtol=1e-6)


def test_module_dist_sync_equals_single_process(jobs):
    _ok(jobs, "main")
    want = models.module_run(None, 0, K, seed=400)  # rank 0's initial parameters, the whole batch
    for r in range(K):
        res = _load(jobs["out"], "main", r)
        for name, w in want.items():
            np.testing.assert_allclose(res["module/" + name], w, rtol=1e-5, atol=1e-6, err_msg=f"rank {r} {name}")


def _reference(case):
    """One process: the whole batch on one context (MLP) or split over K contexts (BatchNorm: per-shard stats)."""
    ctxs = [mx.cpu(i) for i in range(K)] if case.arch == "bn" else [mx.cpu()]
    net = models.build(case, seed=100, ctx=ctxs)  # rank 0's seed
    trainer = gluon.Trainer(net.collect_params(), case.optimizer, dict(case.opt_params))
    for step in range(models.STEPS):
        x, y = models.batch(case, step, K)
        models.train_step(net, trainer, x, y, len(x), ctxs)
    return net, ctxs


@pytest.mark.parametrize("case", models.CASES, ids=[c.name for c in models.CASES])
def test_trainer_dist_sync_equals_single_process(jobs, case):
    _ok(jobs, "main")
    ranks = [_load(jobs["out"], "main", r) for r in range(K)]
    net, ctxs = _reference(case)
    for name, p in net.collect_params().items():
        key = f"{case.name}/{name[len(net.prefix):]}"
        for r, res in enumerate(ranks):
            ctx = ctxs[r] if len(ctxs) > 1 else ctxs[0]
            np.testing.assert_allclose(res[key], p.data(ctx).asnumpy(), rtol=2e-5, atol=2e-6, err_msg=key)
        if p.grad_req != "null":  # trained weights are the same on every worker
            np.testing.assert_array_equal(ranks[0][key], ranks[1][key])
    for res in ranks:  # gradients of all parameters travel in one bucket per step
        assert float(res[f"{case.name}/collectives_per_step"]) == 1


def test_a_branch_only_some_workers_run(jobs):
    """Stale gradients count as zero and the update happens everywhere, as in one process."""
    _ok(jobs, "main")
    ranks = [_load(jobs["out"], "main", r) for r in range(K)]
    net = models.build_branch(seed=200)
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1, "momentum": 0.9})
    for step in range(models.STEPS):
        x, y = models.batch(models.CASES[0], step, K)
        shards = [(models.shard(x, r, K), models.shard(y, r, K), r == 0) for r in range(K)]
        models.branch_step(net, trainer, shards, len(x))
    for name, p in net.collect_params().items():
        key = "branch/" + name[len(net.prefix):]
        for res in ranks:
            np.testing.assert_allclose(res[key], p.data().asnumpy(), rtol=2e-5, atol=2e-6, err_msg=key)


def test_dead_worker_makes_the_others_fail_fast(jobs):
    (code0, out0), (code1, _) = jobs["done"]["fault"]
    assert code0 == 0, out0[-3000:]
    assert code1 == 3  # rank 1 died on purpose
    res = _load(jobs["out"], "fault", 0)
    assert res["error_type"] == "KVStoreError"
    assert "failed on worker 0 of 2" in res["error"] and "died" in res["error"]
    assert float(res["seconds"]) < 15


def test_hung_worker_times_out(jobs):
    (code0, out0), = jobs["done"]["hang"]
    assert code0 == 0, out0[-3000:]
    res = _load(jobs["hang_out"], "hang", 0)
    assert "stopped responding (timeout 3 s" in res["error"]
    assert float(res["seconds"]) < 20


def test_missing_worker_fails_the_rendezvous(jobs):
    _ok(jobs, "alone")
    res = _load(jobs["out"], "alone", 0)
    assert "could not meet the other workers" in res["error"]


def test_resume_from_rank0_checkpoint_is_identical(jobs):
    _ok(jobs, "main")
    _ok(jobs, "resume")
    full = _load(jobs["out"], "main", 0)
    for r in range(K):
        resumed = _load(jobs["out"], "resume", r)
        names = [k for k in resumed if k.startswith("resumed/")]
        assert names
        for k in names:
            np.testing.assert_array_equal(resumed[k], full["ckpt_full/" + k.split("/", 1)[1]], err_msg=k)
