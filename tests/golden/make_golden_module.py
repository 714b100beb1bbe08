"""Run MXNet 1.9.1's ``mx.mod.Module`` step by step and store the results in tests/golden/module/.

Run with a Python that has mxnet: /work/mxvenv/bin/python tests/golden/make_golden_module.py
(The functions take the ``mx`` namespace as an argument, so the test reuses them with gluonic.)

For each case, ``<case>.nd`` holds the inputs and fixed initial weights (``init:<name>``), and
for every batch ``b<k>`` of a forward(is_train=True) / backward / update loop: the output
(``b<k>:out``), the input gradient when the case asks for it (``b<k>:in_grad``) and every
parameter and auxiliary state after the update (``b<k>:arg:<name>``, ``b<k>:aux:<name>``).
The third batch of ``mlp_bn`` is smaller than the bound batch (Module reshapes).
``mlp_bn`` also stores ``predict`` (``mod.predict`` over 11 examples, padded last batch) and
``score:<metric>`` values, and ``mlp_bn-symbol.json`` / ``mlp_bn-0003.params`` written by
``mod.save_checkpoint``. ``fixed_adam`` fixes ``fc1_bias``: fixing ``fc1_weight`` instead would
hit an MXNet bug (with oneDNN, FullyConnected's backward writes a zero bias gradient when the
weight's grad_req is 'null', so MXNet never trains ``fc1_bias``).
``fit_log.txt`` is what ``fit_with_callbacks`` logs (speeds and times replaced by ``X``).
"""
import logging
import os
import re
import tempfile

import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "module")


def mlp(mx, batchnorm):
    net = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=16, name="fc1")
    if batchnorm:
        net = mx.sym.BatchNorm(net, fix_gamma=False, name="bn1")
    net = mx.sym.Activation(net, act_type="relu", name="relu1")
    net = mx.sym.FullyConnected(net, num_hidden=4, name="fc2")
    return mx.sym.SoftmaxOutput(net, name="softmax")


def snapshot(mx, arr):
    return mx.nd.array(arr.asnumpy(), dtype=arr.dtype)


# name -> (batchnorm, batch sizes, Module kwargs, bind kwargs, optimizer, optimizer_params)
CASES = {
    "mlp_bn": (True, [8, 8, 5], {}, {"inputs_need_grad": True}, "sgd",
               {"learning_rate": 0.1, "momentum": 0.9, "wd": 1e-3}),
    "fixed_adam": (False, [8, 8, 8], {"fixed_param_names": ["fc1_bias"]}, {}, "adam", (("learning_rate", 0.01),)),
}


def run_case(mx, name):
    """Run case ``name`` with the ``mx`` namespace; returns ``(module, {key: NDArray})``."""
    batchnorm, batch_sizes, module_kwargs, bind_kwargs, optimizer, optimizer_params = CASES[name]
    sym = mlp(mx, batchnorm)
    rng = np.random.RandomState(len(name))
    arg_shapes, _, aux_shapes = sym.infer_shape(data=(8, 6))
    params = [n for n in sym.list_arguments() if n not in ("data", "softmax_label")]
    shapes = dict(zip(sym.list_arguments(), arg_shapes))
    arg_params = {n: mx.nd.array(rng.uniform(-0.5, 0.5, shapes[n])) for n in params}
    aux_params = {n: mx.nd.array(rng.uniform(0.5, 1.5, s) if n.endswith("var") else rng.uniform(-0.1, 0.1, s))
                  for n, s in zip(sym.list_auxiliary_states(), aux_shapes)}
    results = {f"init:{k}": v for k, v in {**arg_params, **aux_params}.items()}

    mod = mx.mod.Module(sym, **module_kwargs)
    mod.bind(data_shapes=[("data", (8, 6))], label_shapes=[("softmax_label", (8,))], **bind_kwargs)
    mod.init_params(arg_params=arg_params, aux_params=aux_params)
    mod.init_optimizer(optimizer=optimizer, optimizer_params=optimizer_params)
    for k, n in enumerate(batch_sizes):
        x = mx.nd.array(rng.uniform(-1, 1, (n, 6)))
        y = mx.nd.array(rng.randint(0, 4, n))
        results[f"b{k}:data"], results[f"b{k}:label"] = x, y
        mod.forward(mx.io.DataBatch([x], [y]), is_train=True)
        mod.backward()
        results[f"b{k}:out"] = snapshot(mx, mod.get_outputs()[0])
        if bind_kwargs.get("inputs_need_grad"):
            results[f"b{k}:in_grad"] = snapshot(mx, mod.get_input_grads()[0])
        mod.update()
        args, auxs = mod.get_params()
        results.update({f"b{k}:arg:{p}": snapshot(mx, v) for p, v in args.items()})
        results.update({f"b{k}:aux:{p}": snapshot(mx, v) for p, v in auxs.items()})
    if name == "mlp_bn":
        vx = rng.uniform(-1, 1, (11, 6)).astype(np.float32)
        vy = rng.randint(0, 4, 11).astype(np.float32)
        results["val:data"], results["val:label"] = mx.nd.array(vx), mx.nd.array(vy)
        val = mx.io.NDArrayIter(vx, vy, batch_size=8)
        results["predict"] = snapshot(mx, mod.predict(val))
        for metric, value in mod.score(val, ["acc", "ce"]):
            results[f"score:{metric}"] = mx.nd.array([value], dtype="float64")
    return mod, results


def fit_with_callbacks(mx):
    """A fit with every callback of ``mx.callback``; the test runs the same function with gluonic.

    ``mx`` is the mxnet package, or a namespace with gluonic's ``sym``, ``nd``, ``io``, ``mod``, ``callback``.
    """
    net = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=3, name="fc1")
    net = mx.sym.SoftmaxOutput(net, name="softmax")
    rng = np.random.RandomState(0)
    x = rng.randn(40, 2).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    train = mx.io.NDArrayIter(x, y, batch_size=4)
    arg_params = {"fc1_weight": mx.nd.array(rng.uniform(-0.5, 0.5, (3, 2))),
                  "fc1_bias": mx.nd.array(rng.uniform(-0.5, 0.5, (3,)))}
    mod = mx.mod.Module(net)
    cb = mx.callback
    mod.fit(train, eval_data=train, num_epoch=2, eval_metric=["acc", "ce"], arg_params=arg_params,
            optimizer_params={"learning_rate": 0.2},
            batch_end_callback=[cb.Speedometer(4, 3), cb.Speedometer(4, 5, False), cb.log_train_metric(4)],
            eval_end_callback=cb.LogValidationMetricsCallback(), epoch_end_callback=cb.do_checkpoint("fitlog", 2))
    mod.score(train, "acc", batch_end_callback=[cb.Speedometer(4, 3), cb.ProgressBar(10, 20)])


def masked_log(run):
    """The root logger's messages while ``run()`` runs, speeds and times replaced by ``X``."""
    lines = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = lambda record: lines.append(record.getMessage())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        run()
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    text = "\n".join(lines) + "\n"
    text = re.sub(r"Speed: [0-9.inf]+", "Speed: X", text)
    return re.sub(r"Time cost=[0-9.]+", "Time cost=X", text)


def main():
    import mxnet as mx

    os.makedirs(HERE, exist_ok=True)
    for name in CASES:
        mod, results = run_case(mx, name)
        mx.nd.save(os.path.join(HERE, f"{name}.nd"), results)
        if name == "mlp_bn":
            mod.save_checkpoint(os.path.join(HERE, "mlp_bn"), 3)

    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            log = masked_log(lambda: fit_with_callbacks(mx))
        finally:
            os.chdir(cwd)
    with open(os.path.join(HERE, "fit_log.txt"), "w") as f:
        f.write(log)


if __name__ == "__main__":
    main()
