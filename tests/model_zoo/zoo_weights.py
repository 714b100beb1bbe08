"""Deterministic weights and inputs for comparing model-zoo outputs with real MXNet.

Plain NumPy, so the golden generator (run under MXNet) and the tests (run under gluonic)
fill the same values into parameters listed in the same order, and the golden file only
stores inputs' sizes and outputs. Weights are He-scaled so that deep networks' outputs stay
finite; BatchNorm statistics are non-trivial so that inference-mode normalization matters.
"""
import numpy as np

# model name -> input height/width used for the output comparison (small where the network allows)
INPUT_SIZES = {
    **{f"resnet{d}_v{v}": 32 for d in (18, 34, 50, 101, 152) for v in (1, 2)},
    **{f"vgg{d}{bn}": 32 for d in (11, 13, 16, 19) for bn in ("", "_bn")},
    "alexnet": 63,
    "squeezenet1.0": 213,
    "squeezenet1.1": 209,
    **{f"densenet{d}": 224 for d in (121, 161, 169, 201)},
    "inceptionv3": 299,
    **{f"mobilenet{m}": 32 for m in ("1.0", "0.75", "0.5", "0.25")},
    **{f"mobilenetv2_{m}": 32 for m in ("1.0", "0.75", "0.5", "0.25")},
}


def param_values(names_and_shapes, seed=0):
    """One float32 array per (name, shape), drawn in order from ``RandomState(seed)``.

    Values are uniform (cheap to draw for the large VGG/AlexNet layers) with the spread below.
    """
    rng = np.random.RandomState(seed)
    out = []
    for name, shape in names_and_shapes:
        shape = tuple(shape)
        if name.endswith("_weight") and len(shape) > 1:
            center, half = 0.0, np.sqrt(6.0 / int(np.prod(shape[1:])))  # He-scaled: variance 2 / fan_in
        elif name.endswith(("_gamma", "_running_var")):
            center, half = 1.2, 0.2
        else:  # biases, betas, running means
            center, half = 0.0, 0.2
        value = rng.random_sample(shape)
        value *= 2 * half
        value += center - half
        out.append(value.astype(np.float32))
    return out


def input_batch(size, seed=1):
    """A (1, 3, size, size) float32 batch with values in [-1, 1)."""
    return np.random.RandomState(seed).uniform(-1, 1, (1, 3, size, size)).astype(np.float32)


def fill(net, mx, seed=0):
    """Set every parameter of ``net`` (initialized, shapes known) from :func:`param_values`."""
    params = list(net.collect_params().values())
    for p, v in zip(params, param_values([(p.name, p.shape) for p in params], seed)):
        p.set_data(mx.nd.array(v))
