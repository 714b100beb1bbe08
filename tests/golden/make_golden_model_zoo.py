"""Model-zoo files written by real MXNet 1.9.1, for ``tests/model_zoo/test_mxnet_files.py``.

Run with a Python that has mxnet::

    /work/mxvenv/bin/python tests/golden/make_golden_model_zoo.py [--only NAME,NAME]

For every ``vision.get_model`` name (``classes=10``, built inside a fresh ``mx.name.NameManager()``
so parameter names start at ``<model>0_``), with the smallest input the architecture accepts (32x32
where global pooling allows, 63x63 AlexNet, 209/213 SqueezeNet, 221 DenseNet, 299 Inception V3),
it sets every parameter to ``zoo_params.param_value(name, shape)``, hybridizes, runs the fixed input
and exports. Into ``tests/golden/model_zoo/`` it writes:

- ``<name>-symbol.json.gz``: MXNet's exported graph, gzipped (deterministic: mtime 0);
- ``mobilenet0.25-0000.params``: MXNet's exported parameters of the smallest model, as written
  (the other models' files would be far too large to commit: the formula stands in for them);
- ``interop.npz``: ``<name>/input`` (uint8 codes, see ``zoo_params.codes_to_input``) and
  ``<name>/output`` (MXNet's float32 output).

The reverse check, used by a test when ``GLUONIC_MXNET_PYTHON`` names a Python with mxnet::

    python make_golden_model_zoo.py --check-gluonic-exports DIR

imports every ``DIR/<name>-symbol.json`` + ``DIR/<name>-0000.params`` (written by gluonic) with MXNet's
``SymbolBlock.imports``, runs ``input`` from ``DIR/<name>-io.npz`` and compares with ``output`` there
(gluonic's result). Prints one line per model; exit status 1 on any mismatch.
"""
import argparse
import glob
import gzip
import os
import shutil
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zoo_params  # noqa: E402

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model_zoo")
REAL_PARAMS = ("mobilenet0.25",)

# name -> input side; batch 2 for the small inputs, 1 for the large ones
SIDES = {}
for _depth in (18, 34, 50, 101, 152):
    SIDES[f"resnet{_depth}_v1"] = SIDES[f"resnet{_depth}_v2"] = 32
for _depth in (11, 13, 16, 19):
    SIDES[f"vgg{_depth}"] = SIDES[f"vgg{_depth}_bn"] = 32
SIDES["alexnet"] = 63
SIDES["squeezenet1.0"] = 213
SIDES["squeezenet1.1"] = 209
for _depth in (121, 161, 169, 201):
    SIDES[f"densenet{_depth}"] = 221
SIDES["inceptionv3"] = 299
for _mult in ("1.0", "0.75", "0.5", "0.25"):
    SIDES[f"mobilenet{_mult}"] = SIDES[f"mobilenetv2_{_mult}"] = 32


def input_shape(name):
    side = SIDES[name]
    return (2 if side <= 64 else 1, 3, side, side)


def gzip_copy(src, dst):
    with open(src, "rb") as f:
        data = f.read()
    with open(dst, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(data)


def generate(names):
    import mxnet as mx
    from mxnet.gluon.model_zoo import vision

    os.makedirs(HERE, exist_ok=True)
    npz_path = os.path.join(HERE, "interop.npz")
    arrays = dict(np.load(npz_path)) if os.path.exists(npz_path) else {}
    tmp = tempfile.mkdtemp()
    try:
        for name in names:
            with mx.name.NameManager():
                net = vision.get_model(name, classes=10)
            net.initialize()
            codes = zoo_params.input_codes(input_shape(name))
            x = mx.nd.array(zoo_params.codes_to_input(codes))
            net(x)  # completes the deferred shapes
            for pname, param in net.collect_params().items():
                param.set_data(mx.nd.array(zoo_params.param_value(pname, param.shape)))
            eager = net(x).asnumpy()
            net.hybridize()
            out = net(x).asnumpy()
            np.testing.assert_allclose(out, eager, rtol=1e-4, atol=1e-4 * np.abs(eager).max())
            prefix = os.path.join(tmp, name)
            net.export(prefix, 0)
            gzip_copy(prefix + "-symbol.json", os.path.join(HERE, name + "-symbol.json.gz"))
            if name in REAL_PARAMS:
                shutil.copyfile(prefix + "-0000.params", os.path.join(HERE, name + "-0000.params"))
            arrays[name + "/input"] = codes
            arrays[name + "/output"] = out.astype(np.float32)
            print(f"{name:18s} input {codes.shape} output std {out.std():.3g} max|.| {np.abs(out).max():.3g}",
                  flush=True)
    finally:
        shutil.rmtree(tmp)
    np.savez_compressed(npz_path, **arrays)
    total = sum(os.path.getsize(p) for p in glob.glob(os.path.join(HERE, "*")))
    print(f"{HERE}: {total / 2**20:.2f} MiB")


def check_gluonic_exports(directory):
    import mxnet as mx

    failures = 0
    jsons = sorted(glob.glob(os.path.join(directory, "*-symbol.json")))
    if not jsons:
        print(f"no *-symbol.json in {directory}")
        return 1
    for path in jsons:
        name = os.path.basename(path)[: -len("-symbol.json")]
        prefix = os.path.join(directory, name)
        io = np.load(prefix + "-io.npz")
        net = mx.gluon.SymbolBlock.imports(path, ["data"], prefix + "-0000.params")
        got = net(mx.nd.array(io["input"])).asnumpy()
        want = io["output"]
        scale = max(float(np.abs(want).max()), 1e-6)
        err = float(np.abs(got - want).max()) / scale
        ok = got.shape == want.shape and err < 1e-3
        failures += not ok
        print(f"{name}: {'OK' if ok else 'MISMATCH'} (max error / max|output| = {err:.2e})", flush=True)
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated model names (default: all)")
    parser.add_argument("--check-gluonic-exports", metavar="DIR")
    args = parser.parse_args()
    if args.check_gluonic_exports:
        sys.exit(check_gluonic_exports(args.check_gluonic_exports))
    generate(args.only.split(",") if args.only else list(SIDES))


if __name__ == "__main__":
    main()
