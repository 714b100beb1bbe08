"""Every model-zoo network against files written by real MXNet 1.9.1 (issue 8, item 3).

Goldens (``tests/golden/model_zoo/``, from ``tests/golden/make_golden_model_zoo.py``): MXNet's exported
``<name>-symbol.json.gz``, its input and output in ``interop.npz``, and the real exported
``mobilenet0.25-0000.params``. The other models' parameters come from ``zoo_params.param_value``
(name and shape -> value; the generator gave MXNet's models the same values), written here by gluonic.

(a) ``SymbolBlock.imports`` of MXNet's graph, (b) ``mx.model.load_checkpoint`` + ``bind`` of it, and
(c) gluonic's own zoo model loading the parameters by structural names all give MXNet's output;
(d) MXNet's real ``.params`` file loads both ways; (e) gluonic's exports load in real MXNet (only when
``GLUONIC_MXNET_PYTHON`` names a Python with mxnet).
"""
import functools
import gzip
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

import gluonic as mx
from gluonic import nd
from gluonic.gluon.model_zoo import vision

GOLDEN = os.path.join(os.path.dirname(__file__), "..", "golden")
ZOO_GOLDEN = os.path.join(GOLDEN, "model_zoo")
sys.path.insert(0, GOLDEN)
import zoo_params  # noqa: E402

ALL = ["resnet18_v1", "resnet34_v1", "resnet50_v1", "resnet101_v1", "resnet152_v1",
       "resnet18_v2", "resnet34_v2", "resnet50_v2", "resnet101_v2", "resnet152_v2",
       "vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn",
       "alexnet", "squeezenet1.0", "squeezenet1.1", "densenet121", "densenet161", "densenet169", "densenet201",
       "inceptionv3", "mobilenet1.0", "mobilenet0.75", "mobilenet0.5", "mobilenet0.25",
       "mobilenetv2_1.0", "mobilenetv2_0.75", "mobilenetv2_0.5", "mobilenetv2_0.25"]
# one network per family runs by default; the others are marked slow
FAST = {"resnet18_v1", "resnet18_v2", "vgg11", "alexnet", "squeezenet1.1", "densenet121", "inceptionv3",
        "mobilenet0.25", "mobilenetv2_0.25"}
MODELS = [pytest.param(n, marks=() if n in FAST else pytest.mark.slow) for n in ALL]


@functools.lru_cache(maxsize=1)
def _golden_arrays():
    with np.load(os.path.join(ZOO_GOLDEN, "interop.npz")) as f:
        return {k: f[k] for k in f.files}


def golden(name):
    """(input, MXNet's output) of model ``name``."""
    arrays = _golden_arrays()
    return zoo_params.codes_to_input(arrays[name + "/input"]), arrays[name + "/output"]


def assert_close(got, want, what):
    got = got.asnumpy() if hasattr(got, "asnumpy") else np.asarray(got)
    assert got.shape == want.shape, f"{what}: shape {got.shape}, MXNet gave {want.shape}"
    scale = float(np.abs(want).max())
    err = float(np.abs(got - want).max())
    assert err <= 1e-4 * max(scale, 1.0), f"{what}: max error {err:.3g} vs MXNet (output scale {scale:.3g})"


def mxnet_json(name, directory):
    """Gunzip MXNet's ``<name>-symbol.json`` into ``directory``; returns its path."""
    path = os.path.join(str(directory), name + "-symbol.json")
    with gzip.open(os.path.join(ZOO_GOLDEN, name + "-symbol.json.gz"), "rb") as src, open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


@functools.lru_cache(maxsize=1)
def formula_params(name):
    """``(arg_params, aux_params)`` of MXNet's graph of ``name``: names and shapes from the graph,
    values from the formula."""
    with gzip.open(os.path.join(ZOO_GOLDEN, name + "-symbol.json.gz"), "rt") as f:
        sym = mx.sym.fromjson(f.read())
    x, _ = golden(name)
    arg_shapes, _, aux_shapes = sym.infer_shape(data=x.shape)
    args = {n: zoo_params.param_value(n, s) for n, s in zip(sym.list_arguments(), arg_shapes) if n != "data"}
    auxs = {n: zoo_params.param_value(n, s) for n, s in zip(sym.list_auxiliary_states(), aux_shapes)}
    return args, auxs


def write_export_params(name, path):
    """MXNet's export layout: ``arg:<name>`` / ``aux:<name>`` keys, written by gluonic's ``nd.save``."""
    args, auxs = formula_params(name)
    nd.save(path, {**{"arg:" + k: nd.array(v) for k, v in args.items()},
                   **{"aux:" + k: nd.array(v) for k, v in auxs.items()}})
    return path


def graph_nodes(graph):
    """(op, name, attrs, inputs) per node, ignoring what may differ without effect: the version field of
    input entries, and the ``__storage_type__`` and ``__shape__`` hints of variables (``__shape__`` keeps 0
    for dimensions unknown when the block was traced: MXNet's model was traced before its first forward)."""
    ignored = ("__storage_type__", "__shape__")
    return [(n["op"], n["name"], {k: v for k, v in n.get("attrs", {}).items() if k not in ignored},
             [e[:2] for e in n["inputs"]]) for n in graph["nodes"]]


def build(name):
    """gluonic's network, named as in a fresh MXNet process (``resnetv10_...``)."""
    with mx.name.NameManager():
        return vision.get_model(name, classes=10)


@pytest.mark.parametrize("name", MODELS)
def test_model_against_mxnet_files(name, tmp_path):
    """(a), (b) and (c) for one network (one test, so the parameter values are computed once)."""
    x, want = golden(name)
    sym_file = mxnet_json(name, tmp_path)
    params = write_export_params(name, str(tmp_path / f"{name}-0007.params"))

    # (a) SymbolBlock.imports of MXNet's graph
    net = mx.gluon.SymbolBlock.imports(sym_file, ["data"], params)
    assert_close(net(nd.array(x)), want, f"{name} SymbolBlock.imports")

    # (b) load_checkpoint + bind
    sym, args, auxs = mx.model.load_checkpoint(str(tmp_path / name), 7)
    exe = sym.bind(mx.cpu(), args={**args, "data": nd.array(x)}, aux_states=auxs, grad_req="null")
    assert_close(exe.forward(is_train=False)[0], want, f"{name} load_checkpoint + bind")
    del net, sym, args, auxs, exe
    os.remove(params)

    # (c) gluonic's own network, the same values under its structural names (``features.0.weight``):
    # names, shapes and semantics all match MXNet's
    args, auxs = formula_params(name)
    shapes = {k: v.shape for k, v in {**args, **auxs}.items()}
    zoo = build(name)
    structural = zoo._collect_params_with_prefix()
    assert sorted(p.name for p in structural.values()) == sorted(shapes), f"{name}: parameter names differ"
    path = str(tmp_path / f"{name}.params")
    nd.save(path, {k: nd.array(zoo_params.param_value(p.name, shapes[p.name])) for k, p in structural.items()})
    zoo.load_parameters(path)
    assert_close(zoo(nd.array(x)), want, f"{name} zoo model, imperative")
    zoo.hybridize()
    assert_close(zoo(nd.array(x)), want, f"{name} zoo model, hybridized")

    # gluonic's export writes MXNet's graph: same nodes, names, attributes and wiring
    zoo.export(str(tmp_path / "gluonic"), 0)
    with open(str(tmp_path / "gluonic-symbol.json")) as f:
        ours = json.load(f)
    with open(sym_file) as f:
        theirs = json.load(f)
    assert ours["heads"] == theirs["heads"] and ours["arg_nodes"] == theirs["arg_nodes"]
    diffs = [(a, b) for a, b in zip(graph_nodes(ours), graph_nodes(theirs)) if a != b]
    assert len(ours["nodes"]) == len(theirs["nodes"]) and not diffs, f"{name}: first differences {diffs[:2]}"


def test_mobilenet_real_mxnet_params(tmp_path):
    name = "mobilenet0.25"
    params = os.path.join(ZOO_GOLDEN, name + "-0000.params")
    assert os.path.getsize(params) < 2**20
    x, want = golden(name)
    # the real file holds exactly the formula's values: the formula is the same under NumPy 1.x and 2.x
    args, auxs = formula_params(name)
    saved = nd.load(params)
    assert sorted(saved) == sorted(["arg:" + k for k in args] + ["aux:" + k for k in auxs])
    for key, value in saved.items():
        np.testing.assert_array_equal(value.asnumpy(), {**args, **auxs}[key.split(":", 1)[1]], err_msg=key)
    # SymbolBlock.imports of MXNet's exported pair, unchanged
    net = mx.gluon.SymbolBlock.imports(mxnet_json(name, tmp_path), ["data"], params)
    assert_close(net(nd.array(x)), want, "imports of MXNet's mobilenet0.25 files")
    # the zoo model's ParameterDict loads the export file by full names (``arg:mobilenet0_conv0_weight``);
    # as in MXNet, ``load_parameters`` would look for the structural names of ``save_parameters`` instead
    zoo = build(name)
    zoo.collect_params().load(params)
    assert_close(zoo(nd.array(x)), want, "mobilenet0_25().load_parameters(MXNet's export)")


EXPORT_CHECKED = ["resnet18_v1", "resnet18_v2", "vgg11_bn", "alexnet", "squeezenet1.1", "densenet121",
                  "mobilenet0.25", "mobilenetv2_0.25"]


@pytest.mark.skipif(not os.environ.get("GLUONIC_MXNET_PYTHON"),
                    reason="set GLUONIC_MXNET_PYTHON to a Python with mxnet to check gluonic's exports in MXNet")
def test_gluonic_exports_load_in_mxnet(tmp_path):
    for name in EXPORT_CHECKED:
        args, auxs = formula_params(name)
        values = {**args, **auxs}
        net = build(name)
        x, want = golden(name)
        net.initialize()
        net(nd.array(x))
        for pname, param in net.collect_params().items():
            param.set_data(nd.array(values[pname]))
        net.hybridize()
        out = net(nd.array(x)).asnumpy()
        assert_close(out, want, f"{name} before export")
        net.export(str(tmp_path / name), 0)
        np.savez(str(tmp_path / f"{name}-io.npz"), input=x, output=out)
    script = os.path.join(GOLDEN, "make_golden_model_zoo.py")
    proc = subprocess.run([os.environ["GLUONIC_MXNET_PYTHON"], script, "--check-gluonic-exports", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count(": OK") == len(EXPORT_CHECKED), proc.stdout
