"""autograd semantics: recording scopes, grad_req, heads, higher order, custom Functions."""
import numpy as np
import pytest

import gluonic as mx
from gluonic import autograd
from gluonic.base import GluonicValueError


def _var(values, req="write"):
    x = mx.nd.array(values)
    x.attach_grad(req)
    return x


def test_modes():
    assert not autograd.is_recording() and not autograd.is_training()
    with autograd.record():
        assert autograd.is_recording() and autograd.is_training()
        with autograd.pause():
            assert not autograd.is_recording() and not autograd.is_training()
        with autograd.predict_mode():
            assert autograd.is_recording() and not autograd.is_training()
    with autograd.record(train_mode=False):
        assert autograd.is_recording() and not autograd.is_training()
    with autograd.train_mode():
        assert autograd.is_training() and not autograd.is_recording()
    assert autograd.set_recording(True) is False
    assert autograd.set_recording(False) is True
    assert autograd.set_training(True) is False
    assert autograd.set_training(False) is True


def test_nothing_recorded_outside_record():
    x = _var([1.0, 2.0])
    y = x * 2  # outside record: not part of any graph
    with pytest.raises(GluonicValueError, match="not in a computational graph"):
        y.backward()
    with autograd.record():
        z = y * x  # y is a constant here
    z.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [2.0, 4.0])


def test_grad_req_write_overwrites_and_add_accumulates():
    x = _var([1.0, 2.0, 3.0])
    for _ in range(2):
        with autograd.record():
            y = x * x
        y.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [2, 4, 6])
    x = _var([1.0, 2.0, 3.0], "add")
    for _ in range(3):
        with autograd.record():
            y = x * x
        y.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [6, 12, 18])


def test_grad_req_write_with_variable_used_twice():
    x = _var([3.0])
    with autograd.record():
        y = x * x + x * 2
    y.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [8.0])


def test_grad_req_null_and_detach():
    x = _var([1.0], "null")
    assert x.grad is None
    y = _var([2.0])
    with autograd.record():
        z = y.detach() * y
    z.backward()
    np.testing.assert_allclose(y.grad.asnumpy(), [2.0])


def test_head_grads_and_multiple_heads():
    x = _var([1.0, 2.0])
    with autograd.record():
        a = x * 3
        b = x * x
    autograd.backward([a, b], [mx.nd.array([1.0, 10.0]), mx.nd.array([2.0, 2.0])])
    np.testing.assert_allclose(x.grad.asnumpy(), [3 + 4, 30 + 8])
    with pytest.raises(GluonicValueError, match="one entry per head"):
        autograd.backward([a, b], [mx.nd.array([1.0, 1.0])])


def test_retain_graph():
    x = _var([2.0])
    with autograd.record():
        y = x * x
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [4.0])


def test_autograd_grad_does_not_touch_grad_buffer_and_higher_order():
    x = _var([2.0, 3.0])
    with autograd.record():
        y = x * x * x
        dy = autograd.grad(y, x, create_graph=True)
        assert np.allclose(dy.asnumpy(), 3 * np.array([4.0, 9.0]))
    dy.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), 6 * np.array([2.0, 3.0]))
    x2 = _var([1.0])
    with autograd.record():
        y2 = x2 * 5
    (g,) = autograd.grad(y2, [x2])
    assert g.asnumpy().tolist() == [5.0] and x2.grad.asnumpy().tolist() == [0.0]


def test_mark_variables_uses_given_buffers():
    x = mx.nd.array([1.0, 2.0])
    g = mx.nd.array([0.0, 0.0])
    autograd.mark_variables([x], [g], "add")
    for _ in range(2):
        with autograd.record():
            y = x * 4
        y.backward()
    assert g.asnumpy().tolist() == [8.0, 8.0]
    with pytest.raises(GluonicValueError, match="equal lengths"):
        autograd.mark_variables([x], [g, g])


def test_attach_grad_rejects_integer_arrays():
    with pytest.raises(TypeError, match="floating-point"):
        mx.nd.array([1, 2], dtype="int32").attach_grad()


def test_custom_function():
    class Scale(autograd.Function):
        def forward(self, x, y):
            self.save_for_backward(x, y)
            return x * y

        def backward(self, dz):
            x, y = self.saved_tensors
            return dz * y * 10, dz * x  # deliberately not the true gradient for x

    x, y = _var([1.0, 2.0]), _var([3.0, 4.0])
    with autograd.record():
        z = Scale()(x, y)
    z.backward()
    np.testing.assert_allclose(z.asnumpy(), [3.0, 8.0])
    np.testing.assert_allclose(x.grad.asnumpy(), [30.0, 40.0])
    np.testing.assert_allclose(y.grad.asnumpy(), [1.0, 2.0])


def test_custom_function_wrong_number_of_grads():
    class Bad(autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, dy):
            return dy, dy

    x = _var([1.0])
    with autograd.record():
        y = Bad()(x)
    with pytest.raises(GluonicValueError, match="one gradient per input"):
        y.backward()


def test_inplace_write_into_variable_outside_record():
    x = _var([1.0, 2.0])
    x[:] = 5
    with autograd.record():
        y = x * x
    y.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [10.0, 10.0])
