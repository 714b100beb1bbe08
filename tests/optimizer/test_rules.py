"""Each update rule against its formula, written out in NumPy float64 (3 steps, one weight)."""
import numpy as np
import pytest

import gluonic as mx
from gluonic import optimizer as opt

FULL = {"wd": 0.05, "rescale_grad": 0.5, "clip_gradient": 0.4}


def clip(x, c):
    return np.clip(x, -c, c) if c else x


def sgd(w, g, s, t, lr, wd, k):
    g = clip(k["rescale_grad"] * g, k["clip_gradient"])
    s["mom"] = k["momentum"] * s["mom"] - lr * wd * w - lr * g
    return w + s["mom"]


def nag(w, g, s, t, lr, wd, k):
    g, m = clip(k["rescale_grad"] * g, k["clip_gradient"]), k["momentum"]
    mom = m * s["mom"]
    w_new = w - mom + (m + 1) * (mom - lr * (g + wd * w))
    s["mom"] = mom - lr * (g + wd * w_new)  # MXNet's in-place kernel: wd term uses the new weight
    return w_new


def signum(w, g, s, t, lr, wd, k):
    g, m = clip(k["rescale_grad"] * g, k["clip_gradient"]), k["momentum"]
    s["mom"] = m * s["mom"] - (1 - m) * (wd * w + g)
    return (1 - lr * k["wd_lh"]) * w + lr * np.sign(s["mom"])


def adam(w, g, s, t, lr, wd, k):
    g = clip(k["rescale_grad"] * g + wd * w, k["clip_gradient"])
    s["m"] = k["beta1"] * s["m"] + (1 - k["beta1"]) * g
    s["v"] = k["beta2"] * s["v"] + (1 - k["beta2"]) * g * g
    lr_t = lr * np.sqrt(1 - k["beta2"] ** t) / (1 - k["beta1"] ** t)
    return w - lr_t * s["m"] / (np.sqrt(s["v"]) + k["epsilon"])


def adamw(w, g, s, t, lr, wd, k):
    g = clip(k["rescale_grad"] * g, k["clip_gradient"])
    s["m"] = k["beta1"] * s["m"] + (1 - k["beta1"]) * g
    s["v"] = k["beta2"] * s["v"] + (1 - k["beta2"]) * g * g
    eta = lr * np.sqrt(1 - k["beta2"] ** t) / (1 - k["beta1"] ** t)
    return w - eta * (s["m"] / (np.sqrt(s["v"]) + k["epsilon"]) + wd * w)


def adamax(w, g, s, t, lr, wd, k):
    g = clip(k["rescale_grad"] * g + wd * w, k["clip_gradient"])
    s["m"] = k["beta1"] * s["m"] + (1 - k["beta1"]) * g
    s["v"] = np.maximum(k["beta2"] * s["v"], np.abs(g))
    return w - lr / (1 - k["beta1"] ** t) * s["m"] / s["v"]


def nadam(w, g, s, t, lr, wd, k):
    b1, b2, sd = k["beta1"], k["beta2"], k["schedule_decay"]
    g = clip(k["rescale_grad"] * g + wd * w, k["clip_gradient"])
    mu, mu_next = b1 * (1 - 0.5 * 0.96 ** (t * sd)), b1 * (1 - 0.5 * 0.96 ** ((t + 1) * sd))
    s["sched"] = s.get("sched", 1.0) * mu
    s["m"] = b1 * s["m"] + (1 - b1) * g
    s["v"] = b2 * s["v"] + (1 - b2) * g * g
    m_bar = (1 - mu) * g / (1 - s["sched"]) + mu_next * s["m"] / (1 - s["sched"] * mu_next)
    return w - lr * m_bar / (np.sqrt(s["v"] / (1 - b2 ** t)) + k["epsilon"])


def lamb(w, g, s, t, lr, wd, k):
    g = clip(k["rescale_grad"] * g, k["clip_gradient"])
    s["m"] = k["beta1"] * s["m"] + (1 - k["beta1"]) * g
    s["v"] = k["beta2"] * s["v"] + (1 - k["beta2"]) * g * g
    m_hat, v_hat = s["m"] / (1 - k["beta1"] ** t), s["v"] / (1 - k["beta2"] ** t)
    r = m_hat / (np.sqrt(v_hat) + k["epsilon"]) + wd * w
    r1, r2 = np.linalg.norm(w), np.linalg.norm(r)
    return w - lr * (r1 / r2 if r1 > 0 and r2 > 0 else 1.0) * r


def ftml(w, g, s, t, lr, wd, k):
    b1, b2 = k["beta1"], k["beta2"]
    g = clip(k["rescale_grad"] * g + wd * w, k["clip_gradient"])
    s["v"] = b2 * s["v"] + (1 - b2) * g * g
    d_t = (1 - b1 ** t) / lr * (np.sqrt(s["v"] / (1 - b2 ** t)) + k["epsilon"])
    s["z"] = b1 * s["z"] + (1 - b1) * g - (d_t - b1 * s["d"]) * w
    s["d"] = d_t
    return -s["z"] / d_t


def adagrad(w, g, s, t, lr, wd, k):
    g = clip(k["rescale_grad"] * g, k["clip_gradient"])
    s["h"] = s["h"] + g * g
    return w - lr * (g / np.sqrt(s["h"] + k["eps"]) + wd * w)


def adadelta(w, g, s, t, lr, wd, k):
    rho, eps = k["rho"], k["epsilon"]
    g = clip(k["rescale_grad"] * g, k["clip_gradient"])
    s["ag"] = rho * s["ag"] + (1 - rho) * g * g
    d = np.sqrt(s["ad"] + eps) / np.sqrt(s["ag"] + eps) * g
    s["ad"] = rho * s["ad"] + (1 - rho) * d * d
    return w - (d + wd * w)


def rmsprop(w, g, s, t, lr, wd, k):
    g1 = k["gamma1"]
    g = clip(k["rescale_grad"] * g + wd * w, k["clip_gradient"])
    s["n"] = (1 - g1) * g * g + g1 * s["n"]
    if not k["centered"]:
        w = w - lr * g / np.sqrt(s["n"] + k["epsilon"])
    else:
        s["gbar"] = (1 - g1) * g + g1 * s["gbar"]
        s["delta"] = k["gamma2"] * s["delta"] - lr * g / np.sqrt(s["n"] - s["gbar"] ** 2 + k["epsilon"])
        w = w + s["delta"]
    return clip(w, k["clip_weights"])


def ftrl(w, g, s, t, lr, wd, k):
    g = clip(k["rescale_grad"] * g, k["clip_gradient"])
    s["z"] = s["z"] + g - (np.sqrt(s["n"] + g * g) - np.sqrt(s["n"])) * w / lr
    s["n"] = s["n"] + g * g
    z, l1 = s["z"], k["lamda1"]
    return (np.sign(z) * l1 - z) / ((k["beta"] + np.sqrt(s["n"])) / lr + wd) * (np.abs(z) > l1)


def dcasgd(w, g, s, t, lr, wd, k):
    g = clip(k["rescale_grad"] * g, k["clip_gradient"])
    step = -lr * (g + wd * w + k["lamda"] * g * g * (w - s.get("prev", s["w0"])))
    s["mom"] = k["momentum"] * s["mom"] + step
    s["prev"] = w
    return w + s["mom"]


def lars(w, g, s, t, lr, wd, k):
    w_norm, g_norm = np.linalg.norm(w), np.linalg.norm(g)
    lr = lr * k["eta"] * w_norm / (g_norm * k["rescale_grad"] + wd * w_norm + k["eps"])
    return sgd(w, g, s, t, lr, wd, k)


def groupadagrad(w, g, s, t, lr, wd, k):
    g = clip(k["rescale_grad"] * g, k["clip_gradient"])
    s["h"] = s["h"] + np.mean(g * g, axis=1, keepdims=True)
    return w - lr * g / np.sqrt(s["h"] + k["eps"])


def plain(w, g, s, t, lr, wd, k):
    return w + k["rescale_grad"] * g


RULES = [
    ("sgd", sgd, dict(learning_rate=0.1, momentum=0.9, **FULL)),
    ("sgd", sgd, dict(learning_rate=0.1, momentum=0.0, **FULL)),
    ("nag", nag, dict(learning_rate=0.1, momentum=0.8, **FULL)),
    ("signum", signum, dict(learning_rate=0.01, momentum=0.9, wd_lh=0.02, **FULL)),
    ("adam", adam, dict(learning_rate=0.01, beta1=0.8, beta2=0.99, epsilon=1e-6, **FULL)),
    ("adamw", adamw, dict(learning_rate=0.01, beta1=0.8, beta2=0.99, epsilon=1e-6, **FULL)),
    ("adamax", adamax, dict(learning_rate=0.01, beta1=0.8, beta2=0.99, **FULL)),
    ("nadam", nadam, dict(learning_rate=0.01, beta1=0.8, beta2=0.99, epsilon=1e-6, schedule_decay=0.01, **FULL)),
    ("lamb", lamb, dict(learning_rate=0.01, beta1=0.8, beta2=0.99, epsilon=1e-6, **FULL)),
    ("ftml", ftml, dict(learning_rate=0.01, beta1=0.6, beta2=0.99, epsilon=1e-6, **FULL)),
    ("adagrad", adagrad, dict(learning_rate=0.1, eps=1e-6, **FULL)),
    ("adadelta", adadelta, dict(rho=0.8, epsilon=1e-4, **FULL)),
    ("rmsprop", rmsprop, dict(learning_rate=0.01, gamma1=0.8, epsilon=1e-6, centered=False, clip_weights=0.7,
                              **FULL)),
    ("rmsprop", rmsprop, dict(learning_rate=0.01, gamma1=0.8, gamma2=0.7, epsilon=1e-6, centered=True,
                              clip_weights=None, **FULL)),
    ("ftrl", ftrl, dict(learning_rate=0.1, lamda1=0.02, beta=1.5, **FULL)),
    ("dcasgd", dcasgd, dict(learning_rate=0.1, momentum=0.0, lamda=0.5, **FULL)),
    ("dcasgd", dcasgd, dict(learning_rate=0.1, momentum=0.7, lamda=0.5, **FULL)),
    ("lars", lars, dict(learning_rate=0.1, momentum=0.9, eta=0.01, eps=1e-6, **FULL)),
    ("groupadagrad", groupadagrad, dict(learning_rate=0.1, eps=1e-5, rescale_grad=0.5, clip_gradient=0.4)),
    ("test", plain, dict(rescale_grad=0.5)),
]

# Optimizer constructor arguments that are not update settings of the reference functions.
_KEYS = {"momentum": 0.0}


@pytest.mark.parametrize("name,ref,kwargs", RULES, ids=[f"{r[0]}-{i}" for i, r in enumerate(RULES)])
def test_rule_matches_formula(name, ref, kwargs):
    rng = np.random.RandomState(7)
    w = rng.standard_normal((4, 6)) * 0.5
    o = opt.create(name, **kwargs)
    settings = {"rescale_grad": 1.0, "clip_gradient": None, **_KEYS, **kwargs}
    weight = mx.nd.array(w)
    state = o.create_state(0, weight)
    ref_state = {k: np.zeros_like(w) for k in ("mom", "m", "v", "z", "d", "h", "ag", "ad", "n", "gbar", "delta")}
    ref_state["h"] = np.zeros((4, 1)) if name == "groupadagrad" else np.zeros_like(w)
    ref_state["w0"] = w
    lr, wd = o.learning_rate, settings.get("wd", 0.0)
    for t in range(1, 4):
        g = rng.standard_normal(w.shape)
        o.update(0, weight, mx.nd.array(g), state)
        w = ref(w, g, ref_state, t, lr, wd, settings)
        np.testing.assert_allclose(weight.asnumpy(), w, rtol=2e-5, atol=2e-6, err_msg=f"{name} step {t}")


def test_sgld_noise_has_the_documented_scale():
    mx.random.seed(3)
    lr, wd = 0.01, 0.1
    o = opt.create("sgld", learning_rate=lr, wd=wd, rescale_grad=0.5)
    w0 = np.random.RandomState(0).standard_normal((200, 200)).astype(np.float32)
    g = np.random.RandomState(1).standard_normal((200, 200)).astype(np.float32)
    weight = mx.nd.array(w0)
    o.update(0, weight, mx.nd.array(g), o.create_state(0, weight))
    noise = weight.asnumpy() - (w0 - lr / 2 * (0.5 * g + wd * w0))
    assert abs(noise.mean()) < 3 * np.sqrt(lr) / 200
    assert abs(noise.std() / np.sqrt(lr) - 1) < 0.02
    mx.random.seed(3)
    again = mx.nd.array(w0)
    o.update(0, again, mx.nd.array(g), None)
    np.testing.assert_array_equal(again.asnumpy(), weight.asnumpy())


def test_adamw_skips_update_for_non_finite_rescale():
    o = opt.AdamW(rescale_grad=float("inf"))
    w = mx.nd.ones((3,))
    o.update(0, w, mx.nd.ones((3,)), o.create_state(0, w))
    np.testing.assert_array_equal(w.asnumpy(), np.ones(3, np.float32))
    assert o.num_update == 1


def test_adadelta_leaves_the_gradient_unchanged():
    o = opt.AdaDelta(rescale_grad=0.5)
    w, g = mx.nd.ones((3,)), mx.nd.array([1.0, 2.0, 3.0])
    o.update(0, w, g, o.create_state(0, w))
    np.testing.assert_array_equal(g.asnumpy(), [1.0, 2.0, 3.0])


def test_float64_weights_keep_their_dtype():
    for name in ("sgd", "adam", "adagrad", "rmsprop", "ftrl", "adadelta", "nadam"):
        o = opt.create(name)
        w = mx.nd.ones((3,), dtype="float64")
        st = o.create_state(0, w)
        o.update(0, w, mx.nd.ones((3,), dtype="float64"), st)
        assert w.dtype == np.float64, name
        assert all(s.dtype == np.float64 for s in (st if isinstance(st, tuple) else [st]) if s is not None), name
