"""mx.kv in one process: create, the key-value API (values checked against MXNet 1.9.1's), compression,
the Trainer's use of the 'device' store, DMLC variables and the launcher's command line."""
import sys

import numpy as np
import pytest

import gluonic as mx
from gluonic import gluon
from gluonic.kvstore import env
from gluonic.launch import build_command

from . import models


def ones(*shape):
    return mx.nd.ones(shape)


def test_create_names_and_properties():
    for name in ("local", "device", "nccl", "local_allreduce_device"):
        kv = mx.kv.create(name)
        assert (kv.type, kv.rank, kv.num_workers) == (name, 0, 1)
        assert kv.is_capable(mx.kv.KVStore.OPTIMIZER)
    assert mx.kvstore.create is mx.kv.create
    assert isinstance(mx.kv.create(), mx.kv.KVStoreBase)
    with pytest.raises(TypeError, match="name must be a string"):
        mx.kv.create(3)
    with pytest.raises(ValueError, match="Unknown kvstore type 'foo'.*dist_sync"):
        mx.kv.create("foo")  # MXNet silently made a local store


def test_push_pull_semantics_match_mxnet():
    # the values in the comments were printed by MXNet 1.9.1 for the same calls
    kv = mx.kv.create("local")
    kv.init(3, ones(2, 3))
    out = mx.nd.zeros((2, 3))
    kv.pull(3, out=out)
    np.testing.assert_array_equal(out.asnumpy(), np.ones((2, 3)))
    kv.push(3, [ones(2, 3) * 2, ones(2, 3) * 3])  # the values of several devices are summed: 5
    kv.pull(3, out=out)
    assert out.asnumpy()[0, 0] == 5
    kv.push(3, ones(2, 3) * 7)  # without an optimizer, push replaces the stored value
    a, b = mx.nd.zeros((2, 3)), mx.nd.zeros((2, 3), ctx=mx.cpu(1))
    kv.pull(3, out=[a, b])
    assert a.asnumpy()[0, 0] == b.asnumpy()[0, 0] == 7
    vals = [ones(2, 3) * 5, ones(2, 3)]
    kv.pushpull(3, vals)  # no out: the sum is written back into the values
    assert [v.asnumpy()[0, 0] for v in vals] == [6, 6]
    kv.broadcast(4, ones(2, 3) * 9, out=a)
    assert a.asnumpy()[0, 0] == 9
    kv.row_sparse_pull(4, out=b, row_ids=mx.nd.array([1]))
    assert b.asnumpy()[1, 0] == 9
    keys = [5, 6]
    kv.init(keys, [mx.nd.zeros((1,)), mx.nd.zeros((2,))])
    outs = [mx.nd.zeros((1,)), mx.nd.zeros((2,))]
    kv.pushpull(keys, [[ones(1), ones(1)], ones(2) * 4], out=outs)
    assert outs[0].asnumpy().tolist() == [2] and outs[1].asnumpy().tolist() == [4, 4]


def test_errors_are_clear():
    kv = mx.kv.create("local")
    kv.init(3, ones(2))
    with pytest.raises(ValueError, match="duplicate init of key 3"):
        kv.init(3, ones(2))
    with pytest.raises(ValueError, match="key 99 has not been initialized"):
        kv.pull(99, out=ones(2))
    with pytest.raises(TypeError, match="Mixed key types"):
        kv.init("w", ones(2))
    with pytest.raises(ValueError, match="holds shape \\(2,\\)"):
        kv.push(3, ones(3))
    with pytest.raises(ValueError, match="one value .* per key"):
        kv.push([3], [ones(2), ones(2)])
    with pytest.raises(ValueError, match="set_optimizer"):
        kv.save_optimizer_states("/nonexistent/x")
    with pytest.raises(ValueError, match="row_ids must be given"):
        kv.row_sparse_pull(3, out=ones(2))
    with pytest.raises(ValueError, match="not supported for the 'local' kvstore"):
        kv.set_gradient_compression({"type": "2bit"})
    with pytest.raises(ValueError, match="Supported gradient compression"):
        mx.kv.create("device").set_gradient_compression({"type": "1bit"})


def test_optimizer_on_the_store_and_its_states(tmp_path):
    kv = mx.kv.create("local")
    kv.init("w", ones(2))
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=0.1, momentum=0.9))
    w = mx.nd.zeros((2,))
    kv.push("w", ones(2))
    kv.pull("w", out=w)
    np.testing.assert_allclose(w.asnumpy(), [0.9, 0.9], rtol=1e-6)  # MXNet: [0.9 0.9]
    kv.save_optimizer_states(str(tmp_path / "s"), dump_optimizer=True)
    kv.pushpull("w", ones(2), out=w)
    after = w.asnumpy()
    kv2 = mx.kv.create("local")
    kv2.init("w", ones(2) * 0.9)
    kv2.set_optimizer(mx.optimizer.SGD(learning_rate=0.1, momentum=0.9))
    kv2.load_optimizer_states(str(tmp_path / "s"))
    kv2.pushpull("w", ones(2), out=w)
    np.testing.assert_array_equal(w.asnumpy(), after)  # the momentum came back
    with pytest.raises(TypeError, match="needs an mx.optimizer.Optimizer"):
        kv.set_optimizer("sgd")


def quantize_2bit(grads, threshold=0.5):
    """NumPy reference of MXNet's 2-bit compression with error feedback: one residual per sender."""
    residual = np.zeros_like(grads[0])
    sent = []
    for g in grads:
        residual = residual + g
        q = np.where(residual >= threshold, threshold, np.where(residual <= -threshold, -threshold, 0))
        residual = residual - q
        sent.append(q.astype(np.float32))
    return sent


def test_two_bit_compression_on_the_device_store():
    kv = mx.kv.create("device")
    kv.set_gradient_compression({"type": "2bit", "threshold": 0.5})
    kv.init(0, mx.nd.zeros((4,)))
    per_device = [[models.compression_grad(d, s) for s in range(3)] for d in range(2)]
    expect = np.sum([quantize_2bit(g) for g in per_device], axis=0)
    out = mx.nd.zeros((4,))
    for s in range(3):
        kv.pushpull(0, [mx.nd.array(per_device[0][s]), mx.nd.array(per_device[1][s], ctx=mx.cpu(1))], out=out)
        np.testing.assert_allclose(out.asnumpy(), expect[s])


def test_trainer_uses_the_device_store_for_several_contexts():
    case = models.CASES[0]
    ctxs = [mx.cpu(0), mx.cpu(1)]
    net = models.build(case, seed=1, ctx=ctxs)
    trainer = gluon.Trainer(net.collect_params(), case.optimizer, dict(case.opt_params))
    assert trainer._kvstore.type == "device" and trainer._update_on_kvstore is True
    one = models.build(case, seed=1)
    assert gluon.Trainer(models.build(case, 1).collect_params(), "sgd")._kvstore is None  # one context: nothing to reduce
    ref = gluon.Trainer(one.collect_params(), case.optimizer, dict(case.opt_params), kvstore=None)
    for step in range(2):
        x, y = models.batch(case, step, 2)
        models.train_step(net, trainer, x, y, len(x), ctxs)
        models.train_step(one, ref, x, y, len(x))
    for p, q in zip(net.collect_params().values(), one.collect_params().values()):
        np.testing.assert_allclose(p.data(mx.cpu(1)).asnumpy(), q.data().asnumpy(), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="Unknown kvstore type"):
        gluon.Trainer(models.build(case, 2).collect_params(), "sgd", kvstore="bogus")
    with pytest.raises(TypeError, match="kvstore must be"):
        gluon.Trainer(models.build(case, 2).collect_params(), "sgd", kvstore=3)


def test_dmlc_environment_mapping(monkeypatch):
    environ = {"DMLC_NUM_WORKER": "4", "DMLC_TASK_ID": "2", "DMLC_PS_ROOT_URI": "10.1.1.1",
               "DMLC_PS_ROOT_PORT": "9091", "DMLC_INTERFACE": "eth1", "DMLC_NUM_SERVER": "2", "RANK": "3"}
    applied = env.apply_dmlc_env(environ)
    assert applied == {"WORLD_SIZE": "4", "MASTER_ADDR": "10.1.1.1", "MASTER_PORT": "9091",
                       "GLOO_SOCKET_IFNAME": "eth1", "NCCL_SOCKET_IFNAME": "eth1"}
    assert environ["RANK"] == "3"  # torchrun's variables win
    assert env.launched(environ) and not env.launched({})
    env.exit_if_not_worker({"DMLC_ROLE": "worker"})
    with pytest.raises(SystemExit) as e:
        env.exit_if_not_worker({"DMLC_ROLE": "server"})
    assert e.value.code == 0


def test_launcher_command_line():
    cmd, environ = build_command(["-n", "2", "python", "train.py", "--epochs", "3"])
    assert cmd[:3] == [sys.executable, "-m", "torch.distributed.run"]
    assert "--nproc-per-node=2" in cmd and "--master-addr=127.0.0.1" in cmd and "--no-python" in cmd
    assert cmd[-4:] == ["python", "train.py", "--epochs", "3"]
    assert environ["OMP_NUM_THREADS"] in ("1", environ.get("OMP_NUM_THREADS"))
    cmd, _ = build_command(["-n", "1", "-s", "2", "--launcher", "local", "train.py"])
    assert cmd[-2:] == [sys.executable, "train.py"]
    for bad in (["-n", "2", "--launcher", "ssh", "x.py"], ["-n", "2"], ["-n", "0", "x.py"],
                ["-n", "2", "--nnodes", "2", "x.py"]):
        with pytest.raises(SystemExit):
            build_command(bad)


def test_a_branch_only_one_context_runs():
    ctxs = [mx.cpu(0), mx.cpu(1)]
    net = models.build_branch(seed=3)
    net.collect_params().reset_ctx(ctxs)
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    ref = models.build_branch(seed=3)
    ref_trainer = gluon.Trainer(ref.collect_params(), "sgd", {"learning_rate": 0.1})
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    for step in range(2):
        x, y = models.batch(models.CASES[0], step, 2)
        shards = [(models.shard(x, r, 2), models.shard(y, r, 2), r == 0) for r in range(2)]
        with mx.autograd.record():
            losses = [loss_fn(net(mx.nd.array(a, ctx=c), use_b), mx.nd.array(b, ctx=c))
                      for (a, b, use_b), c in zip(shards, ctxs)]
        mx.autograd.backward(losses)
        trainer.step(len(x))  # context 1 never ran b: no stale-gradient error, same update on both copies
        models.branch_step(ref, ref_trainer, shards, len(x))
    for p, q in zip(net.collect_params().values(), ref.collect_params().values()):
        for c in ctxs:
            np.testing.assert_allclose(p.data(c).asnumpy(), q.data().asnumpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("env_vars,gpus,want", [
    ({"WORLD_SIZE": "1"}, 1, "cpu:gloo,cuda:nccl"),
    ({"WORLD_SIZE": "2", "LOCAL_WORLD_SIZE": "2"}, 2, "cpu:gloo,cuda:nccl"),
    ({"WORLD_SIZE": "2", "LOCAL_WORLD_SIZE": "2"}, 1, "gloo"),  # NCCL refuses two workers on one GPU
    ({"WORLD_SIZE": "4", "LOCAL_WORLD_SIZE": "2"}, 2, "cpu:gloo,cuda:nccl"),  # two machines, two GPUs each
    ({"WORLD_SIZE": "2", "LOCAL_RANK": "0"}, 1, "gloo"),  # no LOCAL_WORLD_SIZE: every worker assumes all local
    ({"WORLD_SIZE": "1"}, 0, "gloo"),
])
def test_dist_backend_choice_is_the_same_on_every_worker(monkeypatch, env_vars, gpus, want):
    from gluonic.kvstore import dist

    for name in ("WORLD_SIZE", "LOCAL_WORLD_SIZE", "LOCAL_RANK", "GLUONIC_DIST_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env_vars.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("torch.cuda.is_available", lambda: gpus > 0)
    monkeypatch.setattr("torch.cuda.device_count", lambda: gpus)
    monkeypatch.setattr("torch.distributed.is_nccl_available", lambda: True)
    assert dist._backend() == want
    monkeypatch.setenv("GLUONIC_DIST_BACKEND", "gloo")
    assert dist._backend() == "gloo"
