"""Image decoding and encoding with Pillow, giving the pixels MXNet's OpenCV gives.

Checked against MXNet 1.9.1 (``tests/data_formats/test_image.py``): JPEG decoding (color
and grayscale) and PNG decoding are identical, pixel for pixel. Grayscale follows the
decoder OpenCV uses: libjpeg's own luma channel for JPEG, libpng's fixed-point formula
for PNG, OpenCV's ``cvtColor`` formula for other formats. EXIF orientation is ignored, as
in MXNet. Pillow is imported on first use, so ``import gluonic`` does not need it.
"""
from __future__ import annotations

import io

import numpy as np

from ..base import GluonicTypeError, GluonicValueError

__all__ = ["decode", "decode_cv", "encode_cv", "pil"]


def pil():
    """The ``PIL.Image`` module, or a clear error when Pillow is not installed."""
    try:
        from PIL import Image
    except ImportError as e:  # pragma: no cover - Pillow is in the test extra
        raise ImportError("mx.image and mx.recordio's image functions need Pillow: pip install Pillow") from e
    return Image


def _open(buf: bytes, where: str):
    Image = pil()
    try:
        im = Image.open(io.BytesIO(buf))
        return im, im.format or ""
    except Exception as e:
        head = bytes(buf[:8]).hex()
        raise GluonicValueError(f"{where}: cannot decode the image: unknown format or corrupt header. "
                                f"Received: {len(buf)} bytes starting with 0x{head}") from e


def _load(im, where: str, nbytes: int):
    try:
        im.load()
    except Exception as e:
        raise GluonicValueError(f"{where}: cannot decode the image: corrupt or truncated {im.format} data. "
                                f"Received: {nbytes} bytes ({e})") from e


def _high_byte(im) -> np.ndarray:
    """A 16-bit (or 32-bit integer) grayscale image as uint8, keeping the high byte (as libpng's strip_16)."""
    arr = np.asarray(im)
    if arr.dtype.itemsize > 1:
        arr = (arr.astype(np.uint32) >> (8 * (min(arr.dtype.itemsize, 2) - 1))).clip(0, 255)
    return arr.astype(np.uint8)


def _gray(im, fmt: str) -> np.ndarray:
    """(H, W) uint8 luma, as OpenCV's decoders compute it."""
    if im.mode == "L":
        return np.asarray(im)
    if im.mode.startswith("I"):
        return _high_byte(im)
    if im.mode == "LA":
        return np.asarray(im)[..., 0]
    rgb = np.asarray(im.convert("RGB")).astype(np.uint32)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    if fmt == "PNG":  # libpng's png_set_rgb_to_gray(0.299, 0.587): truncating 15-bit fixed point
        gray = (r * 9797 + g * 19234 + b * 3737) >> 15
    else:  # OpenCV's cvtColor(BGR2GRAY): rounded 14-bit fixed point
        gray = (r * 4899 + g * 9617 + b * 1868 + (1 << 13)) >> 14
    return gray.astype(np.uint8)


def _rgb(im) -> np.ndarray:
    """(H, W, 3) uint8 RGB; an alpha channel is dropped (not composited), as OpenCV does."""
    if im.mode == "RGB":
        return np.asarray(im)
    if im.mode in ("L", "LA") or im.mode.startswith("I"):
        gray = _gray(im, im.format or "")
        return np.repeat(gray[..., None], 3, axis=2)
    if im.mode == "RGBA":
        return np.asarray(im)[..., :3]
    return np.asarray(im.convert("RGB"))


def _decoded(buf, where: str):
    if isinstance(buf, np.ndarray):
        buf = buf.tobytes()
    if not isinstance(buf, (bytes, bytearray, memoryview)):
        raise GluonicTypeError(f"{where}: buf must be bytes, bytearray or a uint8 array. "
                               f"Received: {type(buf).__name__}")
    buf = bytes(buf)
    im, fmt = _open(buf, where)
    return im, fmt, buf


def decode(buf, flag: int = 1, to_rgb: bool = True, where: str = "imdecode") -> np.ndarray:
    """Decode to a ``(H, W, 3)`` (``flag=1``) or ``(H, W, 1)`` (``flag=0``) uint8 array."""
    if flag not in (0, 1):
        raise GluonicValueError(f"{where}: flag must be 0 (grayscale) or 1 (color). Received: {flag}")
    im, fmt, buf = _decoded(buf, where)
    if flag == 0:
        if fmt == "JPEG" and im.mode != "L":
            im.draft("L", im.size)  # libjpeg's own luma output, as OpenCV requests it
        _load(im, where, len(buf))
        return np.ascontiguousarray(_gray(im, fmt)[..., None])
    _load(im, where, len(buf))
    out = _rgb(im)
    if not to_rgb:
        out = out[..., ::-1]
    return np.ascontiguousarray(out)


def decode_cv(buf, iscolor: int = -1, where: str = "unpack_img") -> np.ndarray:
    """Decode like ``cv2.imdecode(buf, iscolor)``: BGR(A) channel order, 2-D for grayscale."""
    if iscolor in (0, 1):
        out = decode(buf, iscolor, to_rgb=False, where=where)
        return out[..., 0] if iscolor == 0 else out
    if iscolor != -1:
        raise GluonicValueError(f"{where}: iscolor must be -1 (unchanged), 0 (grayscale) or 1 (color). "
                                f"Received: {iscolor}")
    im, fmt, buf = _decoded(buf, where)
    _load(im, where, len(buf))
    if im.mode == "L":
        return np.asarray(im).copy()
    if im.mode.startswith("I;16"):
        return np.asarray(im).astype(np.uint16)
    if im.mode == "P" and "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA"):
        rgba = np.asarray(im.convert("RGBA"))
        return np.ascontiguousarray(rgba[..., [2, 1, 0, 3]])
    return np.ascontiguousarray(_rgb(im)[..., ::-1])


_FORMATS = {".JPG": "JPEG", ".JPEG": "JPEG", ".PNG": "PNG", ".BMP": "BMP", ".TIF": "TIFF", ".TIFF": "TIFF",
            ".WEBP": "WEBP"}


def encode_cv(img, img_fmt: str = ".jpg", quality: int = 95, where: str = "pack_img") -> bytes:
    """Encode an OpenCV-layout uint8 image (``(H, W)``, ``(H, W, 1)``, BGR or BGRA) to bytes."""
    arr = img.asnumpy() if hasattr(img, "asnumpy") else np.asarray(img)
    fmt = _FORMATS.get(str(img_fmt).upper())
    if fmt is None:
        raise GluonicValueError(f"{where}: unsupported image format; use '.jpg' or '.png'. Received: {img_fmt!r}")
    if arr.dtype != np.uint8:
        raise GluonicTypeError(f"{where}: the image must be uint8. Received: dtype {arr.dtype}")
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[..., 0]
    if arr.ndim == 3 and arr.shape[2] in (3, 4):
        arr = arr[..., [2, 1, 0, 3][: arr.shape[2]]]  # BGR(A) -> RGB(A)
        if fmt == "JPEG" and arr.shape[2] == 4:
            arr = arr[..., :3]
    elif arr.ndim != 2:
        raise GluonicValueError(f"{where}: the image must be (H, W), (H, W, 1), (H, W, 3) or (H, W, 4). "
                                f"Received: shape {arr.shape}")
    im = pil().fromarray(np.ascontiguousarray(arr))
    out = io.BytesIO()
    if fmt == "JPEG":
        im.save(out, "JPEG", quality=int(quality))
    elif fmt == "PNG":
        im.save(out, "PNG", compress_level=int(min(max(quality, 0), 9)))
    else:
        im.save(out, fmt)
    return out.getvalue()
