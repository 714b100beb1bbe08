"""np functions record MXNet's operator names in traced graphs (what np-mode symbol files hold),
for the families whose tests call them through the functions only."""
from __future__ import annotations

import json

import pytest

import gluonic as mx
from gluonic import np
from gluonic.symbol.numpy import as_np_symbol


def _v(name):
    return as_np_symbol(mx.sym.var(name))


a, b, c = _v("a"), _v("b"), _v("c")

CASES = [
    (lambda: np.dot(a, b), "_np_dot"),
    (lambda: np.matmul(a, b), "_npi_matmul"),
    (lambda: np.tensordot(a, b, axes=([1], [0])), "_npi_tensordot"),
    (lambda: np.tensordot(a, b, axes=1), "_npi_tensordot_int_axes"),
    (lambda: np.einsum("ij,jk->ik", a, b), "_npi_einsum"),
    (lambda: np.kron(a, b), "_npi_kron"),
    (lambda: np.cross(a, b), "_npi_cross"),
    (lambda: np.linalg.norm(a), "_npi_norm"),
    (lambda: np.linalg.inv(a), "_npi_inv"),
    (lambda: np.linalg.det(a), "_npi_det"),
    (lambda: np.linalg.slogdet(a)[0], "_npi_slogdet"),
    (lambda: np.linalg.solve(a, b), "_npi_solve"),
    (lambda: np.linalg.cholesky(a), "_npi_cholesky"),
    (lambda: np.linalg.svd(a)[1], "_npi_svd"),
    (lambda: np.linalg.eigh(a)[0], "_npi_eigh"),
    (lambda: np.linalg.eigvalsh(a), "_npi_eigvalsh"),
    (lambda: np.linalg.eig(a)[0], "_npi_eig"),
    (lambda: np.linalg.eigvals(a), "_npi_eigvals"),
    (lambda: np.linalg.pinv(a, b), "_npi_pinv"),
    (lambda: np.linalg.pinv(a, 1e-10), "_npi_pinv_scalar_rcond"),
    (lambda: np.linalg.tensorinv(a, ind=1), "_npi_tensorinv"),
    (lambda: np.linalg.tensorsolve(a, b), "_npi_tensorsolve"),
    (lambda: np.linalg.qr(a)[0], "_npi_qr"),
    (lambda: np.linalg.matrix_rank(a), "_npi_matrix_rank"),
    (lambda: np.linalg.matrix_power(a, 3), "_npi_matrix_power"),
    (lambda: np.linalg.cond(a), "_npi_cond"),
    (lambda: np.linalg.lstsq(a, b)[0], "_npi_lstsq"),
    (lambda: mx.npx.random.uniform_n(a, b, batch_shape=(2,)), "_npi_uniform_n"),
    (lambda: mx.npx.random.normal_n(a, b, batch_shape=(2,)), "_npi_normal_n"),
    (lambda: np.random.gumbel(a, b), "_npi_gumbel"),
    (lambda: np.random.logistic(a, b), "_npi_logistic"),
    (lambda: np.random.exponential(a), "_npi_exponential"),
    (lambda: np.random.rayleigh(a), "_npi_rayleigh"),
    (lambda: np.random.pareto(a), "_npi_pareto"),
    (lambda: np.random.power(a), "_npi_powerd"),
]


@pytest.mark.parametrize("make, op_name", CASES, ids=[n for _, n in CASES])
def test_traced_graph_records_mxnet_op_name(make, op_name):
    out = make()
    nodes = json.loads(out.tojson())["nodes"]
    assert op_name in [n["op"] for n in nodes], [n["op"] for n in nodes]


def test_randint_records_mxnet_op_name():
    from gluonic.gluon import HybridBlock

    class Net(HybridBlock):
        def forward(self, x):
            return x + np.random.randint(0, 5, size=(2,)).astype("float32")

    net = Net()
    net.hybridize()
    mx.npx.set_np()
    try:
        net(np.zeros((2,)))
        assert "_npi_random_randint" in net._cached_graphs[next(iter(net._cached_graphs))].symbol.tojson()
    finally:
        mx.npx.reset_np()
