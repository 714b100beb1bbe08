"""Print the golden values of tests/io/test_data_iter.py from real MXNet 1.9.1.

Run with MXNet's interpreter (not gluonic's)::

    /work/mxvenv/bin/python tests/golden/make_golden_data_iter.py

and paste the output over the GOLDEN_* literals in the test. The test runs the same
functions with gluonic as ``mx``. Examples are identified by their row number: data row
i is [2i, 2i + 1], its label is 100 + i.
"""
import pprint

import numpy as np

CASES = [(10, 3), (10, 5), (4, 6), (5, 7), (3, 8)]
MODES = ["pad", "discard", "roll_over"]


def arrays(n):
    return np.arange(n * 2).reshape(n, 2), np.arange(n) + 100


def rows(batch):
    ids = [int(v) for v in batch.data[0].asnumpy()[:, 0] / 2]
    assert [int(v) - 100 for v in batch.label[0].asnumpy()] == ids
    return ids


def epochs(it, count=3):
    out = []
    for _ in range(count):
        out.append([(rows(b), b.pad) for b in it])
        it.reset()
    return out


def ndarray_iter(mx):
    golden = {}
    for n, bs in CASES:
        for mode in MODES:
            for shuffle in (False, True):
                if (n, bs, mode) == (3, 8, "roll_over"):
                    continue  # MXNet fails in slice_axis; gluonic raises a clear error
                np.random.seed(0)
                data, label = arrays(n)
                it = mx.io.NDArrayIter(data, label, bs, shuffle=shuffle, last_batch_handle=mode)
                golden[(n, bs, mode, shuffle)] = epochs(it)
    return golden


def manual_protocol(mx):
    golden = {}
    for mode in MODES:
        it = mx.io.NDArrayIter(*arrays(10), 3, last_batch_handle=mode)
        out = []
        while it.iter_next():
            out.append(([int(v) for v in it.getdata()[0].asnumpy()[:, 0] / 2], it.getpad(), it.getindex()))
        golden[mode] = out
    return golden


def resize_iter(mx):
    golden = {}
    for mode in MODES:
        for reset_internal in (True, False):
            it = mx.io.ResizeIter(mx.io.NDArrayIter(*arrays(10), 3, last_batch_handle=mode), 5, reset_internal)
            golden[(mode, reset_internal)] = epochs(it, 2)
    return golden


def prefetching_iter(mx):
    data, label = arrays(10)
    a = mx.io.NDArrayIter({"data": data}, {"lab": label}, 4)
    b = mx.io.NDArrayIter({"data": data * 10}, {"lab": label * 2}, 4)
    it = mx.io.PrefetchingIter([a, b], rename_data=[{"data": "d1"}, {"data": "d2"}])
    out = {"provide_data": repr(it.provide_data), "provide_label": repr(it.provide_label), "epochs": []}
    for _ in range(2):
        out["epochs"].append([
            ([x.asnumpy()[:, 0].tolist() for x in batch.data], [x.asnumpy().tolist() for x in batch.label], batch.pad)
            for batch in it
        ])
        it.reset()
    return out


def descriptions(mx):
    out = {}
    it = mx.io.NDArrayIter([np.zeros((4, 2)), np.ones((4, 3, 5))], {"b": np.zeros(4), "a": np.ones((4, 1))}, 2)
    out["list_dict"] = (repr(it.provide_data), repr(it.provide_label))
    it = mx.io.NDArrayIter(mx.nd.zeros((4, 2), dtype="int32"), None, 3, data_name="x")
    out["int32_nolabel"] = (repr(it.provide_data), repr(it.provide_label))
    it = mx.io.NDArrayIter(np.zeros((4, 2), dtype=np.int64), np.zeros((4,), dtype=np.float64), 3)
    out["numpy_dtypes"] = (repr(it.provide_data), repr(it.provide_label))
    return out


if __name__ == "__main__":
    import mxnet

    for name in ("ndarray_iter", "manual_protocol", "resize_iter", "prefetching_iter", "descriptions"):
        print(f"GOLDEN_{name.upper()} = ", end="")
        pprint.pprint(globals()[name](mxnet), width=110, compact=True)
        print()
