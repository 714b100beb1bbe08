"""hybridize(backend='inductor'): the generated graph through torch.compile (slow: compiles C++)."""
import numpy as np
import pytest

import gluonic as mx
from gluonic import autograd
from gluonic.gluon import nn


@pytest.mark.slow
def test_inductor_backend_matches_default_forward_and_backward():
    def build():
        with mx.name.NameManager():
            net = nn.HybridSequential()
            with net.name_scope():
                net.add(nn.Dense(8, activation="relu", in_units=4), nn.Dense(2, in_units=8))
        return net

    ref, fast = build(), build()
    ref.initialize(mx.init.Xavier())
    fast.initialize()
    for a, b in zip(ref.collect_params().values(), fast.collect_params().values()):
        b.set_data(a.data())
    ref.hybridize()
    x = mx.nd.array(np.random.rand(3, 4))
    y_ref = ref(x)
    y_fast = fast.optimize_for(x, backend="inductor")
    np.testing.assert_allclose(y_fast.asnumpy(), y_ref.asnumpy(), rtol=1e-5, atol=1e-6)
    for net in (ref, fast):
        with autograd.record():
            out = net(x).sum()
        out.backward()
    np.testing.assert_allclose(fast[0].weight.grad().asnumpy(), ref[0].weight.grad().asnumpy(), rtol=1e-5,
                               atol=1e-6)
