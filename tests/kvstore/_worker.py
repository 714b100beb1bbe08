"""One worker of the distributed tests: :func:`run` (forked by the tests), or
``python _worker.py MODE OUT_DIR`` with RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT set.

Modes: ``main`` (kvstore API + Trainer runs + in-process resume), ``gpu`` (GPU arrays), ``fault`` (train, rank 0
checkpoints, rank 1 dies), ``hang`` (rank 1 stops responding), ``resume`` (a new job that
continues from the ``fault`` job's checkpoint), ``alone`` (the other worker never
comes to the rendezvous). Results go to ``OUT_DIR/<mode>-rank<r>.npz``.
The models and data are those of :mod:`tests.kvstore.models`, shared with the
single-process references.
"""
import json
import os
import sys
import time
import traceback

import numpy as np
import torch

import gluonic as mx

try:
    from . import models
except ImportError:  # run as a script
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import models

MODE = OUT = ""


def kvstore_api(res: dict) -> None:
    kv = mx.kv.create("dist_sync")
    r, k = kv.rank, kv.num_workers
    res["rank"], res["num_workers"], res["type"] = r, k, kv.type
    kv.init(3, mx.nd.ones((2, 3)) * (r + 1))  # rank 0's value wins
    out = mx.nd.zeros((2, 3))
    kv.pull(3, out=out)
    res["init_pull"] = out.asnumpy()
    kv.push(3, [mx.nd.ones((2, 3)) * (r + 1), mx.nd.ones((2, 3)) * (r + 1)])  # devices, then workers
    kv.pull(3, out=[out])
    res["push_pull"] = out.asnumpy()
    keys = [10, 11, 12, 13]
    kv.init(keys, [mx.nd.zeros((i + 1,)) for i in range(4)])
    vals = [mx.nd.arange(i + 1) * (r + 1) for i in range(4)]
    before = kv._num_collectives
    kv.pushpull(keys, vals)  # results written back into vals; one bucket
    res["pushpull_collectives"] = kv._num_collectives - before
    res["pushpull"] = np.concatenate([v.asnumpy() for v in vals])
    kv._bucket_bytes = 8  # two float32 per bucket: several buckets, same result
    vals = [mx.nd.arange(i + 1) * (r + 1) for i in range(4)]
    before = kv._num_collectives
    kv.pushpull(keys, vals, out=vals)
    res["small_bucket_collectives"] = kv._num_collectives - before
    res["pushpull_small"] = np.concatenate([v.asnumpy() for v in vals])
    b = mx.nd.zeros((3,))
    kv.broadcast(20, mx.nd.ones((3,)) * (r + 7), out=b)
    res["broadcast"] = b.asnumpy()
    kv.row_sparse_pull(20, out=b, row_ids=mx.nd.array([0, 2]))
    res["row_sparse_pull"] = b.asnumpy()
    kv.barrier()

    skv = mx.kv.create("dist_sync")  # string keys and an optimizer on the store
    skv.init("w", mx.nd.ones((4,)))
    skv.set_optimizer(mx.optimizer.SGD(learning_rate=0.1, momentum=0.9))
    w = mx.nd.zeros((4,))
    for step in range(3):
        skv.pushpull("w", mx.nd.array(np.arange(4) + r + step), out=w)
    res["optimizer_w"] = w.asnumpy()
    path = os.path.join(OUT, f"kv-states-{r}")
    skv.save_optimizer_states(path)
    skv.load_optimizer_states(path)

    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        akv = mx.kv.create("dist_async")
    res["async_warning"] = " ".join(str(w.message) for w in caught)
    net = models.build(models.CASES[0], seed=1)
    try:
        mx.gluon.Trainer(net.collect_params(), "sgd", kvstore=akv, update_on_kvstore=False)
    except ValueError as e:
        res["async_error"] = str(e)
    hkv = mx.kv.create("horovod")
    res["horovod"] = f"{hkv.type} {hkv.num_workers} {hkv.is_capable('optimizer')}"
    try:
        hkv.set_optimizer(mx.optimizer.SGD())
    except ValueError as e:
        res["horovod_error"] = str(e)
    trainer = mx.gluon.Trainer(net.collect_params(), "sgd", kvstore=hkv)
    res["horovod_update_on_kvstore"] = str(trainer._update_on_kvstore)

    ckv = mx.kv.create("dist_sync")  # 2-bit compression: quantized per worker, then summed
    ckv.set_gradient_compression({"type": "2bit", "threshold": 0.5})
    ckv.init(0, mx.nd.zeros((4,)))
    g = mx.nd.zeros((4,))
    for step in range(3):
        ckv.pushpull(0, mx.nd.array(models.compression_grad(r, step)), out=g)
        res[f"compressed_{step}"] = g.asnumpy()


def trainer_runs(res: dict, kv) -> None:
    r, k = kv.rank, kv.num_workers
    for case in models.CASES:
        net = models.build(case, seed=100 + r)  # broadcast from rank 0 makes the seeds irrelevant
        trainer = mx.gluon.Trainer(net.collect_params(), case.optimizer, dict(case.opt_params), kvstore=kv,
                                   update_on_kvstore=case.update_on_kvstore)
        start = kv._num_collectives
        for step in range(models.STEPS):
            x, y = models.batch(case, step, k)
            models.train_step(net, trainer, models.shard(x, r, k), models.shard(y, r, k), len(x))
        res[f"{case.name}/collectives_per_step"] = (kv._num_collectives - start) / models.STEPS
        for name, p in net.collect_params().items():
            res[f"{case.name}/{name[len(net.prefix):]}"] = p.data().asnumpy()


def branch_run(res: dict, kv) -> None:
    """Rank 1 never runs branch b: its gradient there is stale, rank 0's is fresh."""
    r, k = kv.rank, kv.num_workers
    net = models.build_branch(seed=200 + r)
    trainer = mx.gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1, "momentum": 0.9}, kvstore=kv)
    case = models.CASES[0]
    for step in range(models.STEPS):
        x, y = models.batch(case, step, k)
        models.branch_step(net, trainer, [(models.shard(x, r, k), models.shard(y, r, k), r == 0)], len(x))
    for name, p in net.collect_params().items():
        res[f"branch/{name[len(net.prefix):]}"] = p.data().asnumpy()


def checkpointed_run(kv, stop_after=None, resume=False):
    """SGD MLP for STEPS steps; rank 0 checkpoints after CKPT steps."""
    r, k = kv.rank, kv.num_workers
    case = models.CASES[0]
    net = models.build(case, seed=300 + r)
    if resume:
        net.load_parameters(os.path.join(OUT, "ckpt.params"))
    trainer = mx.gluon.Trainer(net.collect_params(), case.optimizer, dict(case.opt_params), kvstore=kv)
    if resume:
        trainer.load_states(os.path.join(OUT, "ckpt.states"))
    for step in range(models.CKPT if resume else 0, models.STEPS):
        if stop_after is not None and step == stop_after and r == 1:
            if MODE == "hang":
                time.sleep(60)
            os._exit(3)  # this worker dies
        x, y = models.batch(case, step, k)
        models.train_step(net, trainer, models.shard(x, r, k), models.shard(y, r, k), len(x))
        if step + 1 == models.CKPT and not resume:
            if r == 0:
                net.save_parameters(os.path.join(OUT, "ckpt.params"))
                trainer.save_states(os.path.join(OUT, "ckpt.states"))
            kv.barrier()
    return {name[len(net.prefix):]: p.data().asnumpy() for name, p in net.collect_params().items()}


def gpu_arrays(res: dict) -> None:
    """The kvstore with arrays on gpu(0) (the CPU under GLUONIC_GPU_STANDIN=cpu): values stay there."""
    ctx = mx.cpu() if os.environ.get("GLUONIC_GPU_STANDIN") == "cpu" else mx.gpu(0)
    kv = mx.kv.create("dist_sync")
    r = kv.rank
    kv.init(3, mx.nd.ones((2, 3), ctx=ctx) * (r + 1))
    out = mx.nd.zeros((2, 3), ctx=ctx)
    kv.push(3, mx.nd.ones((2, 3), ctx=ctx) * (r + 1))
    kv.pull(3, out=out)
    res["push_pull"], res["context"] = out.asnumpy(), str(out.context)
    kv.init([10, 11], [mx.nd.zeros((4,), ctx=ctx), mx.nd.zeros((5,), ctx=ctx)])
    vals = [mx.nd.arange(4, ctx=ctx) * (r + 1), mx.nd.arange(5, ctx=ctx) * (r + 1)]
    kv.pushpull([10, 11], vals)
    res["pushpull"] = np.concatenate([v.asnumpy() for v in vals])
    res["backend"] = str(torch.distributed.get_backend())
    kv.barrier()


def run(mode: str, out: str, rank: int, world: int, port: int, timeout_s: float) -> None:
    """The entry point of a forked worker: set the launcher's variables, run ``mode``, exit."""
    os.environ.update(RANK=str(rank), WORLD_SIZE=str(world), LOCAL_RANK=str(rank), MASTER_ADDR="127.0.0.1",
                      MASTER_PORT=str(port), GLUONIC_KVSTORE_TIMEOUT=str(timeout_s))
    main(mode, out)


def main(mode: str, out: str) -> None:
    global MODE, OUT
    MODE, OUT = mode, out
    torch.set_num_threads(1)
    try:
        _main()
    except BaseException:
        with open(os.path.join(OUT, f"{MODE}-rank{os.environ['RANK']}.err"), "w") as f:
            f.write(traceback.format_exc())
        os._exit(1)
    os._exit(0)  # skip the process group's teardown; the other worker may be gone


def _main() -> None:
    res: dict = {}
    if MODE == "main":
        kvstore_api(res)
        kv = mx.kv.create("dist_sync")
        trainer_runs(res, kv)
        branch_run(res, kv)
        for name, v in models.module_run(kv, kv.rank, kv.num_workers, seed=400 + kv.rank).items():
            res["module/" + name] = v
        for name, v in checkpointed_run(kv).items():
            res["ckpt_full/" + name] = v
    elif MODE in ("fault", "hang"):
        kv = mx.kv.create("dist_sync")
        t0 = time.time()
        try:
            checkpointed_run(kv, stop_after=models.CKPT)
            res["error"] = "no error"
        except mx.kv.KVStoreError as e:
            res["error"], res["error_type"] = str(e), type(e).__name__
        res["seconds"] = time.time() - t0
    elif MODE == "alone":  # the other worker never comes
        t0 = time.time()
        try:
            mx.kv.create("dist_sync")
            res["error"] = "no error"
        except mx.kv.KVStoreError as e:
            res["error"] = str(e)
        res["seconds"] = time.time() - t0
    elif MODE == "gpu":
        gpu_arrays(res)
    elif MODE == "resume":
        kv = mx.kv.create("dist_sync")
        for name, v in checkpointed_run(kv, resume=True).items():
            res["resumed/" + name] = v
    arrays = {key: np.asarray(v) for key, v in res.items() if not isinstance(v, str)}
    np.savez(os.path.join(OUT, f"{MODE}-rank{os.environ['RANK']}.npz"), **arrays)
    with open(os.path.join(OUT, f"{MODE}-rank{os.environ['RANK']}.json"), "w") as f:
        json.dump({key: v for key, v in res.items() if isinstance(v, str)}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
