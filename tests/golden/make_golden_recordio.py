"""Write the golden files of tests/data_formats/ (RecordIO, mx.image, ImageRecordIter).

Two steps, from the repository root::

    python3 tests/golden/make_golden_recordio.py --sources      # Pillow: the source images
    /work/mxvenv/bin/python tests/golden/make_golden_recordio.py  # real MXNet 1.9.1

The first step draws five tiny images (JPEG color and gray, PNG RGB, RGBA and palette)
into tests/golden/recordio/src/. MXNet's venv has no Pillow nor cv2 to encode images, so
the second step packs those bytes with MXNet's own ``recordio.pack`` and writes:

- ``raw.rec``/``raw.idx``: raw records (empty, odd lengths, magic numbers inside,
  headers with scalar and array labels), with ``MXIndexedRecordIO``;
- ``images.rec``/``images.idx``: the five images packed with ``IRHeader(0, i, 100 + i, 0)``;
- ``expected.params`` (``nd.save``): MXNet's ``imdecode`` of each image (flags 0/1),
  ``imresize`` of one image with every interpolation, ``ImageRecordIter`` batches
  for several option sets, and ``ImageIter`` batches after ``random.seed``;
- ``expected.json``: the records of ``raw.rec``, ``ImageRecordIter`` labels, pads and
  epochs, ``random_crop`` rectangles.

The whole folder stays under 100 KB.
"""
import json
import os
import struct
import sys

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "recordio")
SRC = os.path.join(HERE, "src")
IMAGES = ["color.jpg", "rgb.png", "gray.jpg", "rgba.png", "palette.png"]
MAGIC = struct.pack("<I", 0xCED7230A)

# Raw records: (key, bytes). Magic numbers at aligned and unaligned offsets split records.
RAW = [
    (0, b""),
    (1, b"a"),
    (2, b"abcd"),
    (3, b"abcde"),
    (4, MAGIC),
    (5, b"xx" + MAGIC),
    (6, b"abcd" + MAGIC + b"ef"),
    (7, MAGIC + MAGIC),
    (8, b"abcd" + MAGIC + b"efgh" + MAGIC),
    (9, b"ab" + MAGIC + MAGIC + b"z"),
    (10, bytes(range(256)) * 3),
]

# ImageRecordIter cases: name -> kwargs (data_shape (3, 10, 10) unless given).
# Most use dtype='uint8' (raw pixels) to keep the golden file small.
ITER_CASES = {
    "norm": dict(batch_size=5, mean_r=10, mean_g=20, mean_b=30, std_r=2, std_g=3, std_b=4, scale=0.5),
    "center_u8": dict(batch_size=5, dtype="uint8"),
    "small_shape": dict(batch_size=5, data_shape=(3, 20, 26), dtype="uint8"),
    "resize": dict(batch_size=5, resize=12, dtype="uint8"),
    "resize_cubic": dict(batch_size=5, resize=13, inter_method=2, dtype="uint8"),
    "resize_area": dict(batch_size=5, resize=11, inter_method=3, dtype="uint8"),
    "gray": dict(batch_size=5, data_shape=(1, 10, 10), dtype="uint8"),
    "mirror_pad": dict(batch_size=5, mirror=True, pad=2, fill_value=7, dtype="uint8"),
}
EPOCH_CASES = {"bs2": dict(batch_size=2), "bs3": dict(batch_size=3), "bs7": dict(batch_size=7),
               "bs2_noround": dict(batch_size=2, round_batch=False)}


def make_sources():
    import numpy as np
    from PIL import Image

    os.makedirs(SRC, exist_ok=True)
    y, x = np.mgrid[0:20, 0:30]
    color = np.stack([x * 8, y * 12, (x * y) % 256], -1).astype(np.uint8)
    Image.fromarray(color).save(os.path.join(SRC, "color.jpg"), quality=90)
    rng = np.random.RandomState(0)
    rgb = rng.randint(0, 256, (32, 24, 3)).astype(np.uint8)
    Image.fromarray(rgb).save(os.path.join(SRC, "rgb.png"))
    y, x = np.mgrid[0:16, 0:16]
    Image.fromarray(((x + y) * 8).astype(np.uint8)).save(os.path.join(SRC, "gray.jpg"), quality=90)
    rgba = rng.randint(0, 256, (18, 22, 4)).astype(np.uint8)
    Image.fromarray(rgba).save(os.path.join(SRC, "rgba.png"))
    pal = Image.fromarray(color[:14, :12]).quantize(8)
    pal.save(os.path.join(SRC, "palette.png"))


def main():
    import random

    import mxnet as mx

    def path(name):
        return os.path.join(HERE, name)

    w = mx.recordio.MXIndexedRecordIO(path("raw.idx"), path("raw.rec"), "w")
    for key, rec in RAW:
        w.write_idx(key, rec)
    packed = [mx.recordio.pack(mx.recordio.IRHeader(0, 2.5, 11, 0), b"payload"),
              mx.recordio.pack(mx.recordio.IRHeader(0, [1.5, -2.0, 3.25], 12, 0), b"multi")]
    for i, rec in enumerate(packed):
        w.write_idx(100 + i, rec)
    w.close()

    blobs = [open(os.path.join(SRC, name), "rb").read() for name in IMAGES]
    w = mx.recordio.MXIndexedRecordIO(path("images.idx"), path("images.rec"), "w")
    for i, blob in enumerate(blobs):
        w.write_idx(i, mx.recordio.pack(mx.recordio.IRHeader(0, float(i), 100 + i, 0), blob))
    w.close()

    out, info = {}, {"raw": [[k, rec.hex()] for k, rec in RAW], "packed": [rec.hex() for rec in packed]}
    for name, blob in zip(IMAGES, blobs):
        out[f"decode/{name}/1"] = mx.image.imdecode(blob)
        out[f"decode/{name}/0"] = mx.image.imdecode(blob, flag=0)
    src = mx.image.imdecode(blobs[0])
    for interp in range(5):
        for w_, h_ in [(13, 9), (33, 23), (30, 10)]:
            out[f"resize/{interp}/{w_}x{h_}"] = mx.image.imresize(src, w_, h_, interp=interp)
    fsrc = src.astype("float32") / 3
    out["resize_float/1"] = mx.image.imresize(fsrc, 13, 9, interp=1)
    out["resize_float/3"] = mx.image.imresize(fsrc, 13, 9, interp=3)

    for name, kw in ITER_CASES.items():
        kw = dict(kw)
        shape = kw.pop("data_shape", (3, 10, 10))
        it = mx.io.ImageRecordIter(path_imgrec=path("images.rec"), data_shape=shape, **kw)
        batch = it.next()
        out[f"iter/{name}/data"] = batch.data[0]
        out[f"iter/{name}/label"] = batch.label[0]
    epochs = {}
    for name, kw in EPOCH_CASES.items():
        it = mx.io.ImageRecordIter(path_imgrec=path("images.rec"), data_shape=(3, 8, 8), **kw)
        runs = []
        for _ in range(3):
            try:
                runs.append([[b.label[0].asnumpy().astype(int).tolist()[: it.batch_size - b.pad], b.pad]
                             for b in it])
            except mx.base.MXNetError:  # MXNet refuses to wrap around twice in one batch
                runs.append("error")
                break
            it.reset()
        epochs[name] = runs
    info["epochs"] = epochs

    random.seed(7)
    it = mx.image.ImageIter(4, (3, 10, 10), path_imgrec=path("images.rec"), path_imgidx=path("images.idx"),
                            shuffle=True, rand_crop=True, rand_mirror=True, resize=12)
    for i, batch in enumerate(it):
        out[f"imageiter/aug/{i}/data"] = batch.data[0]
        out[f"imageiter/aug/{i}/label"] = batch.label[0]
    it = mx.image.ImageIter(3, (3, 10, 10), path_imgrec=path("images.rec"), mean=True, std=True,
                            last_batch_handle="discard")
    for i, batch in enumerate(it):
        out[f"imageiter/norm/{i}/data"] = batch.data[0]
        out[f"imageiter/norm/{i}/label"] = batch.label[0]
    random.seed(3)
    info["random_crop"] = [list(mx.image.random_crop(src, (8, 6))[1]) for _ in range(5)]
    info["random_crop_big"] = list(mx.image.random_crop(src, (40, 10))[1])
    info["center_crop"] = list(mx.image.center_crop(src, (40, 10))[1])
    out["center_crop/40x10"] = mx.image.center_crop(src, (40, 10))[0]

    mx.nd.save(path("expected.params"), out)
    with open(path("expected.json"), "w") as f:
        json.dump(info, f, indent=1)
    print("wrote", sorted(os.listdir(HERE)))


if __name__ == "__main__":
    if "--sources" in sys.argv:
        make_sources()
    else:
        main()
