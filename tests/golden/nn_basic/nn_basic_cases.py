"""Layer cases checked against real MXNet 1.9.1 (shared by the generator and tests/gluon/test_nn_basic.py).

Each case: (case id, layer expression, input spec, mode). The expression is evaluated with
``nn`` bound to ``gluon.nn`` and ``cnn`` to ``gluon.contrib.nn`` (gluonic also has those layers
in ``gluon.nn``). The input spec is ``(shape, kind)`` with kind ``"randn"`` or
``("int", low, high)`` (integer values in float32, for Embedding). Mode ``"train"`` runs
under ``autograd.record()``, ``"predict"`` under ``autograd.record(train_mode=False)``;
both backpropagate a seeded head gradient. Cases in ``NO_GRAD`` compare outputs only, those in
``NO_INPUT_GRAD`` skip the input gradient (see below).
"""

CASES = [
    ("dropout_predict", "nn.Dropout(0.5)", ((2, 3, 4), "randn"), "predict"),
    ("dropout_zero_train", "nn.Dropout(0.0)", ((2, 3), "randn"), "train"),
    ("batchnorm_train", "nn.BatchNorm()", ((4, 3, 2, 2), "randn"), "train"),
    ("batchnorm_predict", "nn.BatchNorm()", ((4, 3, 2, 2), "randn"), "predict"),
    ("batchnorm_last_train", "nn.BatchNorm(axis=-1, momentum=0.8, epsilon=1e-3)", ((3, 2, 4), "randn"), "train"),
    ("batchnorm_last_predict", "nn.BatchNorm(axis=-1, epsilon=1e-3)", ((3, 2, 4), "randn"), "predict"),
    ("batchnorm_fixed_train", "nn.BatchNorm(center=False, scale=False, in_channels=3)", ((4, 3, 5), "randn"),
     "train"),
    ("batchnorm_global_train", "nn.BatchNorm(use_global_stats=True)", ((4, 3, 2), "randn"), "train"),
    ("syncbatchnorm_train", "cnn.SyncBatchNorm(num_devices=1)", ((4, 3, 2, 2), "randn"), "train"),
    ("layernorm_train", "nn.LayerNorm()", ((2, 3, 5), "randn"), "train"),
    ("layernorm_axis1_train", "nn.LayerNorm(axis=1, epsilon=1e-3, center=False)", ((2, 3, 4), "randn"), "train"),
    ("instancenorm_train", "nn.InstanceNorm(scale=True)", ((2, 3, 5), "randn"), "train"),
    ("instancenorm_default_train", "nn.InstanceNorm()", ((2, 3, 2, 2), "randn"), "train"),
    ("groupnorm_train", "nn.GroupNorm(num_groups=2)", ((2, 4, 3), "randn"), "train"),
    ("embedding", "nn.Embedding(6, 3)", ((2, 4), ("int", 0, 6)), "train"),
    ("flatten", "nn.Flatten()", ((2, 3, 2), "randn"), "train"),
    ("lambda_name", "nn.Lambda('tanh')", ((2, 3), "randn"), "train"),
    ("hybridlambda_fn", "nn.HybridLambda(lambda F, x: F.relu(x) * 2)", ((2, 3), "randn"), "train"),
    ("hybridlambda_name", "nn.HybridLambda('sigmoid')", ((2, 3), "randn"), "train"),
    ("identity", "cnn.Identity()", ((2, 3), "randn"), "train"),
    ("leakyrelu", "nn.LeakyReLU(0.1)", ((2, 5), "randn"), "train"),
    ("prelu", "nn.PReLU()", ((2, 5), "randn"), "train"),
    ("prelu_channels", "nn.PReLU(in_channels=3)", ((2, 3, 4), "randn"), "train"),
    ("elu", "nn.ELU(alpha=0.5)", ((2, 5), "randn"), "train"),
    ("selu", "nn.SELU()", ((2, 5), "randn"), "train"),
    ("gelu", "nn.GELU()", ((2, 5), "randn"), "train"),
    ("swish", "nn.Swish(beta=1.5)", ((2, 5), "randn"), "train"),
    ("reflectionpad_int", "nn.ReflectionPad2D(1)", ((1, 2, 3, 3), "randn"), "train"),
    ("reflectionpad_tuple", "nn.ReflectionPad2D((0, 0, 0, 0, 1, 2, 2, 0))", ((1, 1, 4, 3), "randn"), "train"),
    ("sequential", "_seq(nn)", ((3, 4), "randn"), "train"),
]

# MXNet 1.9.1's SELU backward is wrong (it uses lambda * (y + alpha) for x < 0); gluonic's
# gradient is checked against finite differences in test_nn_activations.py instead.
NO_GRAD = {"selu"}

# MXNet 1.9.1's BatchNorm input gradient in predict mode (without use_global_stats) is not the
# derivative of its own forward pass (finite differences of MXNet's forward disagree with it by
# up to 0.86 here); gluonic gives the exact gradient, gamma * head / sqrt(running_var + eps),
# checked in test_nn_basic.py. Parameter gradients still match MXNet.
NO_INPUT_GRAD = {"batchnorm_predict", "batchnorm_last_predict"}

# MXNet 1.9.1's BatchNorm with fix_gamma (scale=False) overwrites the stored gamma with ones
# (in the predict-mode forward, or the training backward); gluonic uses 1 in the computation
# and leaves the stored value alone. Outputs and gradients agree; the stored gamma afterwards doesn't.
GAMMA_OVERWRITTEN = {"batchnorm_fixed_train"}


def _seq(nn):
    """A small stack, to check structural parameter names of nested layers."""
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(5), nn.BatchNorm(), nn.LeakyReLU(0.2), nn.LayerNorm(), nn.Dense(2, flatten=False))
    return net


def build(expr: str, nn, cnn):
    """Evaluate a case's layer expression."""
    return eval(expr, {"nn": nn, "cnn": cnn, "_seq": _seq})  # noqa: S307 - fixed expressions above


def param_value(name: str, shape, rng):
    """Seeded parameter values: positive for scales and variances, normal otherwise."""
    import numpy as np

    if name.endswith(("gamma", "running_var", "alpha")):
        return rng.uniform(0.5, 1.5, size=shape).astype(np.float32)
    return (rng.normal(0, 1, size=shape) * 0.5).astype(np.float32)


def input_value(spec, rng):
    import numpy as np

    shape, kind = spec
    if kind == "randn":
        return rng.normal(0, 1, size=shape).astype(np.float32)
    _, low, high = kind
    return rng.randint(low, high, size=shape).astype(np.float32)
