"""Executors (bind / simple_bind) against the imperative result, and dtype inference."""
import numpy as np
import pytest

import gluonic as mx
from gluonic import autograd, nd

RNG = np.random.RandomState(7)


def _arr(*shape, scale=1.0):
    return nd.array(RNG.uniform(-scale, scale, shape).astype("float32"))


def _mlp():
    x = mx.sym.var("data")
    h = mx.sym.Activation(mx.sym.FullyConnected(x, num_hidden=8, name="fc1"), act_type="relu", name="relu1")
    return mx.sym.FullyConnected(h, num_hidden=3, name="fc2")


def _mlp_imperative(v):
    h = nd.relu(nd.FullyConnected(v["data"], v["fc1_weight"], v["fc1_bias"], num_hidden=8))
    return nd.FullyConnected(h, v["fc2_weight"], v["fc2_bias"], num_hidden=3)


def _convnet():
    x = mx.sym.var("data")
    net = mx.sym.Convolution(x, num_filter=4, kernel=(3, 3), pad=(1, 1), name="conv1")
    net = mx.sym.BatchNorm(net, fix_gamma=False, name="bn1")
    net = mx.sym.Activation(net, act_type="relu", name="relu1")
    net = mx.sym.Pooling(net, kernel=(2, 2), stride=(2, 2), pool_type="max", name="pool1")
    return mx.sym.FullyConnected(mx.sym.Flatten(net), num_hidden=5, name="fc1")


def _convnet_imperative(v, aux):
    net = nd.Convolution(v["data"], v["conv1_weight"], v["conv1_bias"], num_filter=4, kernel=(3, 3), pad=(1, 1))
    net = nd.BatchNorm(net, v["bn1_gamma"], v["bn1_beta"], aux["bn1_moving_mean"], aux["bn1_moving_var"],
                       fix_gamma=False)
    net = nd.Pooling(nd.relu(net), kernel=(2, 2), stride=(2, 2), pool_type="max")
    return nd.FullyConnected(nd.Flatten(net), v["fc1_weight"], v["fc1_bias"], num_hidden=5)


def _values(sym, **shapes):
    arg_shapes, _, aux_shapes = sym.infer_shape(**shapes)
    args = {n: _arr(*s) for n, s in zip(sym.list_arguments(), arg_shapes)}
    aux = {n: nd.array(RNG.uniform(0.5, 1.5, s).astype("float32")) for n, s in
           zip(sym.list_auxiliary_states(), aux_shapes)}
    return args, aux


def _imperative_grads(fn, args, head_grad, aux=None):
    copies = {k: v.copy() for k, v in args.items()}
    for v in copies.values():
        v.attach_grad()
    with autograd.record():
        out = fn(copies) if aux is None else fn(copies, aux)
    out.backward(head_grad)
    return out, {k: v.grad for k, v in copies.items()}


def _close(a, b, tol=1e-5):
    np.testing.assert_allclose(a.asnumpy(), b.asnumpy(), rtol=tol, atol=tol)


def test_mlp_bind_forward_backward_matches_imperative():
    sym = _mlp()
    args, _ = _values(sym, data=(4, 6))
    grads = {k: nd.zeros(v.shape) for k, v in args.items()}
    ex = sym.bind(mx.cpu(), args, args_grad=grads)
    assert ex.arg_arrays[0] is args["data"] and ex.grad_dict["fc1_weight"] is grads["fc1_weight"]
    head = _arr(4, 3)
    out = ex.forward(is_train=True)
    ex.backward(head)
    ref, ref_grads = _imperative_grads(_mlp_imperative, args, head)
    _close(out[0], ref)
    for name in sym.list_arguments():
        _close(grads[name], ref_grads[name])
    assert list(ex.output_dict) == ["fc2_output"]


def test_convnet_simple_bind_training_updates_aux_and_matches_imperative():
    sym = _convnet()
    args, aux = _values(sym, data=(2, 3, 6, 6))
    ex = sym.simple_bind(mx.cpu(), data=(2, 3, 6, 6))
    assert [a.shape for a in ex.arg_arrays] == [v.shape for v in args.values()]
    assert all(float(a.abs().sum().asscalar()) == 0 for a in ex.arg_arrays + ex.aux_arrays)  # zeros
    ex.copy_params_from(args, {k: v.copy() for k, v in aux.items()})
    head = _arr(2, 5)
    out = ex.forward(is_train=True)[0]
    ex.backward([head])
    ref_aux = {k: v.copy() for k, v in aux.items()}
    ref, ref_grads = _imperative_grads(_convnet_imperative, args, head, ref_aux)
    _close(out, ref)
    for name in sym.list_arguments():
        _close(ex.grad_dict[name], ref_grads[name], 1e-4)
    for name in sym.list_auxiliary_states():
        _close(ex.aux_dict[name], ref_aux[name])
        assert not np.allclose(ex.aux_dict[name].asnumpy(), aux[name].asnumpy())  # training moved them
    predicted = ex.forward(is_train=False)[0]
    with autograd.predict_mode():
        _close(predicted, _convnet_imperative(args, ref_aux))


def test_grad_req_write_add_null_and_dict():
    sym = _mlp()
    args, _ = _values(sym, data=(4, 6))
    head = _arr(4, 3)
    _, ref = _imperative_grads(_mlp_imperative, args, head)
    reqs = {"fc1_weight": "add", "fc2_weight": "write", "fc2_bias": "null"}
    ex = sym.simple_bind(mx.cpu(), grad_req=reqs, data=(4, 6))
    ex.copy_params_from(args)
    assert ex.grad_dict["data"] is None and ex.grad_dict["fc2_bias"] is None and ex.grad_dict["fc1_bias"] is None
    for _ in range(2):
        ex.forward(is_train=True)
        ex.backward(head)
    _close(ex.grad_dict["fc1_weight"], ref["fc1_weight"] * 2)
    _close(ex.grad_dict["fc2_weight"], ref["fc2_weight"])
    ex.backward(head)  # again after one forward: MXNet accumulates once more for 'add'
    _close(ex.grad_dict["fc1_weight"], ref["fc1_weight"] * 3)
    ex2 = sym.simple_bind(mx.cpu(), grad_req=["null", "write", "null", "null", "null"], data=(4, 6))
    assert [g is not None for g in ex2.grad_arrays] == [False, True, False, False, False]
    ex3 = sym.simple_bind(mx.cpu(), grad_req="null", data=(4, 6))
    ex3.forward(is_train=True)
    ex3.backward(head)  # nothing to differentiate: a no-op, as in MXNet
    assert ex3.grad_arrays == [None] * 5


def test_bind_without_args_grad_computes_nothing():
    a, b = mx.sym.var("a"), mx.sym.var("b")
    ex = (2 * a + b).bind(mx.cpu(), {"a": nd.array([1, 2]), "b": nd.array([2, 3])})
    assert ex.grad_arrays == [None, None]
    assert ex.forward()[0].asnumpy().tolist() == [4, 7]
    ex.backward()


def test_loss_heads_need_no_out_grads_and_others_do():
    x = mx.sym.var("x")
    ex = mx.sym.MakeLoss(x * 2).simple_bind(mx.cpu(), x=(3,))
    ex.forward(is_train=True, x=nd.ones(3))
    ex.backward()
    assert ex.grad_dict["x"].asnumpy().tolist() == [2, 2, 2]
    ex = mx.sym.sum(x).simple_bind(mx.cpu(), x=(3,))
    ex.forward(is_train=True)
    with pytest.raises(ValueError, match="not a loss layer.*out_grads"):
        ex.backward()
    ex.backward(nd.array([2.0]))
    assert ex.grad_dict["x"].asnumpy().tolist() == [2, 2, 2]
    with pytest.raises(ValueError, match="head gradient 0 must have the output's shape"):
        ex.backward(nd.ones((2,)))
    with pytest.raises(TypeError, match="out_grads must be NDArrays"):
        ex.backward([np.ones(1)])


def test_write_zeroes_gradients_the_heads_do_not_reach():
    x = mx.sym.var("x")
    ex = mx.sym.BlockGrad(x * 3).simple_bind(mx.cpu(), x=(2,))
    ex.grad_dict["x"][:] = 5
    ex.forward(is_train=True)
    ex.backward()
    assert ex.grad_dict["x"].asnumpy().tolist() == [0, 0]


def test_outputs_are_refilled_in_place_and_forward_kwargs():
    a, b = mx.sym.var("a"), mx.sym.var("b")
    ex = (a + b).simple_bind(mx.cpu(), a=(2, 3), b=(2, 3))
    kept = ex.outputs[0]
    assert kept.shape == (2, 3)
    ex.forward(a=nd.ones((2, 3)), b=np.full((2, 3), 2.0))
    assert kept.asnumpy().tolist() == [[3] * 3] * 2
    assert ex.arg_dict["b"].asnumpy()[0, 0] == 2
    with pytest.raises(TypeError, match="Unknown argument zz"):
        ex.forward(zz=nd.ones((2, 3)))
    with pytest.raises(ValueError, match=r"Argument a, need: \(2, 3\), received: \(2, 4\)"):
        ex.forward(a=nd.ones((2, 4)))
    with pytest.raises(ValueError, match="NDArrays or numpy arrays"):
        ex.forward(a=[1, 2, 3])


def test_bind_errors_name_the_argument():
    sym = _mlp()
    args, _ = _values(sym, data=(4, 6))
    with pytest.raises(ValueError, match="key `fc2_bias` is missing in `args`"):
        sym.bind(mx.cpu(), {k: v for k, v in args.items() if k != "fc2_bias"})
    with pytest.raises(ValueError, match="Length of args"):
        sym.bind(mx.cpu(), list(args.values())[:3])
    bad = dict(args, fc2_weight=nd.zeros((3, 9)))
    with pytest.raises(ValueError, match=r"'fc2_weight'.*expected \(3, 8\).*received \(3, 9\)"):
        sym.bind(mx.cpu(), bad)
    with pytest.raises(ValueError, match=r"args_grad for argument 'data'.*expected \(4, 6\), received \(4, 5\)"):
        sym.bind(mx.cpu(), args, args_grad={"data": nd.zeros((4, 5))})
    with pytest.raises(TypeError, match="Context type error"):
        sym.bind("cpu", args)
    with pytest.raises(ValueError, match="grad_req must be in"):
        sym.bind(mx.cpu(), args, grad_req="sometimes")
    with pytest.raises(TypeError, match="must hold NDArrays"):
        sym.bind(mx.cpu(), dict(args, data=np.ones((4, 6))))
    with pytest.raises(ValueError, match=r"cannot decide the shapes of \['data', 'fc1_weight'"):
        sym.simple_bind(mx.cpu())


def test_simple_bind_infers_label_shape_and_dtypes():
    net = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=4, name="fc"), name="sm")
    ex = net.simple_bind(mx.cpu(), type_dict={"data": "float64"}, data=(5, 3))
    assert ex.arg_dict["sm_label"].shape == (5,)
    assert {a.dtype for a in ex.arg_arrays} == {np.float64}
    assert ex.outputs[0].dtype == np.float64
    ex = mx.sym.BatchNorm(mx.sym.var("data"), name="bn").simple_bind(
        mx.cpu(), type_dict={"data": np.float16}, grad_req="null", data=(2, 3))
    assert [a.dtype for a in ex.arg_arrays] == [np.float16, np.float32, np.float32]
    assert [a.dtype for a in ex.aux_arrays] == [np.float32, np.float32]


def test_copy_params_from():
    sym = _mlp()
    ex = sym.simple_bind(mx.cpu(), data=(2, 6))
    w = nd.array(np.arange(48).reshape(8, 6), dtype="float64")
    ex.copy_params_from({"fc1_weight": w})
    assert ex.arg_dict["fc1_weight"].dtype == np.float32
    np.testing.assert_array_equal(ex.arg_dict["fc1_weight"].asnumpy(), w.asnumpy())
    with pytest.raises(ValueError, match='Find name "zz" that is not in the arguments'):
        ex.copy_params_from({"zz": nd.ones(1)})
    ex.copy_params_from({"zz": nd.ones(1)}, {"yy": nd.ones(1)}, allow_extra_params=True)
    with pytest.raises(ValueError, match='"yy" that is not in the auxiliary states'):
        ex.copy_params_from({}, {"yy": nd.ones(1)})
    with pytest.raises(ValueError, match=r"'fc1_bias' has shape \(8,\).*Received: shape \(3,\)"):
        ex.copy_params_from({"fc1_bias": nd.ones(3)})


def test_reshape_shares_parameters_and_checks_sizes():
    sym = _mlp()
    args, _ = _values(sym, data=(4, 6))
    ex = sym.simple_bind(mx.cpu(), data=(4, 6))
    ex.copy_params_from(args)
    small = ex.reshape(data=(2, 6))
    assert small.arg_dict["fc1_weight"] is ex.arg_dict["fc1_weight"]
    assert small.arg_dict["data"].shape == (2, 6) and small.outputs[0].shape == (2, 3)
    small.arg_dict["data"][:] = 1  # a view of the big executor's memory
    assert ex.arg_dict["data"].asnumpy()[:2].tolist() == [[1] * 6] * 2
    head = _arr(2, 3)
    out = small.forward(is_train=True)[0]
    small.backward(head)
    ref, ref_grads = _imperative_grads(_mlp_imperative, dict(args, data=nd.ones((2, 6))), head)
    _close(out, ref)
    _close(ex.grad_dict["fc2_weight"], ref_grads["fc2_weight"])  # gradients land in shared memory
    with pytest.raises(ValueError, match="larger than the original.*allow_up_sizing=True"):
        ex.reshape(data=(8, 6))
    assert ex.reshape(allow_up_sizing=True, data=(8, 6)).arg_dict["data"].shape == (8, 6)
    with pytest.raises(ValueError, match="unspecified array arg:fc1_weight.*partial_shaping=True"):
        ex.reshape(data=(4, 5))
    assert ex.reshape(partial_shaping=True, data=(4, 5)).arg_dict["fc1_weight"].shape == (8, 5)


def test_monitor_callback_and_debug_str():
    sym = _mlp()
    ex = sym.simple_bind(mx.cpu(), data=(2, 6))
    seen = []
    ex.set_monitor_callback(lambda name, arr: seen.append((name, arr.shape)))
    ex.forward()
    assert seen == [("fc1_output", (2, 8)), ("relu1_output", (2, 8)), ("fc2_output", (2, 3))]
    seen.clear()
    ex.set_monitor_callback(lambda name, arr: seen.append(name), monitor_all=True)
    ex.forward()
    assert seen[:4] == ["fc1_data", "fc1_weight", "fc1_bias", "fc1_output"]
    text = ex.debug_str()
    assert "output[0]=fc2(0)" in text and "Op:FullyConnected, Name=fc1" in text and "num_hidden=8" in text


def test_shared_exec_and_shared_buffer():
    sym = _mlp()
    base = sym.simple_bind(mx.cpu(), data=(4, 6))
    buffer = {}
    ex = sym.simple_bind(mx.cpu(), data=(2, 6), shared_exec=base, shared_buffer=buffer,
                         shared_arg_names=["fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias"])
    assert ex.arg_dict["fc2_weight"] is base.arg_dict["fc2_weight"]
    assert ex.grad_dict["fc2_weight"] is base.grad_dict["fc2_weight"]
    assert buffer["data"] is ex.arg_dict["data"]
    again = sym.simple_bind(mx.cpu(), data=(1, 6), shared_buffer=buffer)
    again.arg_dict["data"][:] = 3
    assert buffer["data"].asnumpy()[0, 0] == 3


def test_symbol_eval_and_group_outputs():
    a = mx.sym.var("a")
    g = mx.sym.Group([a * 2, mx.sym.relu(a)])
    ex = g.bind(mx.cpu(), {"a": nd.array([-1.0, 3.0])})
    outs = ex.forward()
    assert [o.asnumpy().tolist() for o in outs] == [[-2, 6], [0, 3]]
    assert len(ex.output_dict) == 2


# ---------------------------------------------------------------------- dtype inference
def test_infer_type_propagates_through_ops():
    data = mx.sym.var("data")
    fc = mx.sym.FullyConnected(data, num_hidden=3, name="fc")
    assert fc.infer_type(data="float64") == ([np.float64] * 3, [np.float64], [])
    assert fc.infer_type() == ([np.float32] * 3, [np.float32], [])
    bn = mx.sym.BatchNorm(data, name="bn")
    assert bn.infer_type(data="float16") == ([np.float16, np.float32, np.float32], [np.float16],
                                             [np.float32, np.float32])
    emb = mx.sym.Embedding(data, input_dim=5, output_dim=3, dtype="float16", name="emb")
    assert emb.infer_type(data="int32") == ([np.int32, np.float16], [np.float16], [])
    assert mx.sym.Cast(data, dtype="int32").infer_type(data="float16")[1] == [np.int32]
    assert mx.sym.shape_array(data).infer_type(data="float64")[1] == [np.int64]
    assert mx.sym.one_hot(data, depth=3).infer_type(data="int32")[1] == [np.float32]
    a, b = mx.sym.var("a"), mx.sym.var("b")
    # backward propagation: a takes b's dtype through relu and the sum, as in MXNet
    assert (mx.sym.relu(a) + b).infer_type(b="float64") == ([np.float64, np.float64], [np.float64], [])
    assert mx.sym.take(a, b).infer_type(a="float64", b="int32") == ([np.float64, np.int32], [np.float64], [])


def test_infer_type_uses_meta_rules_when_shapes_are_known():
    x = mx.sym.var("x", shape=(2, 5), dtype="float16")
    assert mx.sym.argsort(x).infer_type()[1] == [np.float32]
    assert mx.sym.argsort(x, dtype="int32").infer_type()[1] == [np.int32]
    assert mx.sym.topk(x, ret_typ="both").infer_type()[1] == [np.float16, np.float32]
    assert mx.sym.argmax(x, axis=1).infer_type()[1] == [np.float16]


def test_backward_after_an_inference_forward():
    x = mx.sym.var("x")
    ex = (x * x).simple_bind(mx.cpu(), x=(2,))
    ex.forward(is_train=False, x=nd.array([1.0, 3.0]))
    ex.backward(nd.ones(2))  # MXNet allows it: gradients are recorded whenever an argument wants one
    assert ex.grad_dict["x"].asnumpy().tolist() == [2, 6]
    with pytest.raises(ValueError, match="needs a forward pass first"):
        (x * 2).simple_bind(mx.cpu(), x=(2,)).backward(nd.ones(2))
