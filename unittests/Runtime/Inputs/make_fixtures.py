#!/usr/bin/env python3
"""Writes the .npy/.npz fixtures of NpyTest.cpp into this directory.

Run by hand when a fixture changes (the files are committed, the build does
not need numpy): /usr/bin/python3 make_fixtures.py  (numpy 1.24 was used).

Every value here is hand-chosen and repeated, as literals or IEEE bit
patterns, in NpyTest.cpp, so that the reader is checked against numpy's
writer rather than against our own.

The writers were validated against numpy once, by hand: a one-off driver
wrote arrays of every dtype, a scalar, a 0-size array and a non-ASCII name
with writeNpy and writeNpz; np.load returned the same names (in order),
dtypes, shapes and values, every .npy was byte-identical to np.save's output,
and `python3 -m zipfile -t` and `unzip -t` found no errors in the .npz.
NpyTest also compares serializeNpy byte for byte with the numpy fixtures.
"""

import os
import struct
import zipfile
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


def save(name, array):
    np.save(path(name), array, allow_pickle=False)


def write_bytes(name, data):
    with open(path(name), "wb") as f:
        f.write(data)


def read_bytes(name):
    with open(path(name), "rb") as f:
        return f.read()


# One file per supported dtype, with edge values.
save("f16.npy", np.array([1.0, -2.0, 0.5, 65504.0, np.inf, -0.0], np.float16))
save("f32.npy", np.array([[1.5, -0.25, 100.0], [-0.0, np.inf, np.nan]], np.float32))
save("f64.npy", np.array([0.1, -1e300, 2.5], np.float64))
save("i8.npy", np.array([-128, -1, 0, 1, 127], np.int8))
save("u8.npy", np.array([0, 1, 128, 255], np.uint8))
save("i16.npy", np.array([-32768, -2, 300, 32767], np.int16))
save("i32.npy", np.array([[-2147483648, -1], [65536, 2147483647]], np.int32))
save("i64.npy", np.array([-(2**63), -1, 2**32, 2**63 - 1], np.int64))
save("bool.npy", np.array([True, False, True, True, False]))

save("scalar.npy", np.float64(3.25))  # shape ()
save("empty.npy", np.zeros((0, 3), np.int32))
save("fortran.npy", np.asfortranarray(np.arange(6, dtype=np.int32).reshape(2, 3)))
save("be_i32.npy", np.array([1, -2, 0x01020304], ">i4"))
save("be_f64.npy", np.array([1.5, -2.0], ">f8"))
for version, name, array in [
    ((2, 0), "v2.npy", np.array([1, 2, 3], np.int16)),
    ((3, 0), "v3.npy", np.array([1.0, 2.0], np.float32)),
]:
    with open(path(name), "wb") as f:
        np.lib.format.write_array(f, array, version=version)

# Archives: numpy writes ZIP64 extra fields into every local header.
npz_arrays = dict(
    x=np.array([[1.5, -0.25, 100.0], [-0.0, np.inf, np.nan]], np.float32),
    y=np.array([-128, -1, 0, 1, 127], np.int8),
    z=np.float64(3.25),
)
np.savez(path("stored.npz"), **npz_arrays)
np.savez_compressed(path("deflated.npz"), **npz_arrays)


def zip64_archive(entries):
    """A stored archive whose central directory saturates every size and
    offset field and puts the values in ZIP64 extra fields, with ZIP64 end
    records (what >4 GiB archives look like, in miniature)."""
    body, central = b"", b""
    for name, data in entries:
        name = name.encode()
        crc = zlib.crc32(data)
        offset = len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 0, 0, 0x21,
                            crc, len(data), len(data), len(name), 0)
        body += name + data
        extra = struct.pack("<HHQQQ", 1, 24, len(data), len(data), offset)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 0,
                               0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(name),
                               len(extra), 0, 0, 0, 0, 0xFFFFFFFF)
        central += name + extra
    cd_offset, n = len(body), len(entries)
    z64_end = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, n, n,
                          len(central), cd_offset)
    locator = struct.pack("<IIQI", 0x07064B50, 0, cd_offset + len(central), 1)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF,
                      0xFFFFFFFF, 0xFFFFFFFF, 0)
    return body + central + z64_end + locator + end


write_bytes("zip64.npz", zip64_archive([
    ("a.npy", read_bytes("i16.npy")), ("b.npy", read_bytes("bool.npy"))]))
with np.load(path("zip64.npz")) as z:  # Python's zipfile agrees it is valid.
    assert list(z.keys()) == ["a", "b"]
    assert (z["a"] == np.load(path("i16.npy"))).all()

# Malformed inputs: each must give an error, never a crash.
f32 = read_bytes("f32.npy")
write_bytes("bad_truncated.npy", f32[:-3])
write_bytes("bad_magic.npy", b"\x93NUMPZ" + f32[6:])
write_bytes("bad_header_cut.npy", f32[:40])
header = b"{'descr': <f4, 'fortran_order': False, 'shape': (2, 3), }"
header += b" " * (127 - 10 - len(header)) + b"\n"
write_bytes("bad_garbage_header.npy",
            b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header +
            f32[128:])
save("bad_c8.npy", np.array([1 + 2j], np.complex64))
stored = read_bytes("stored.npz")
with zipfile.ZipFile(path("stored.npz")) as z:
    info = z.getinfo("y.npy")
# Flip the last data byte of y.npy (local header 30 bytes + name + extra).
name_len, extra_len = struct.unpack_from("<HH", stored, info.header_offset + 26)
flip_at = info.header_offset + 30 + name_len + extra_len + info.file_size - 1
write_bytes("bad_crc.npz",
            stored[:flip_at] + bytes([stored[flip_at] ^ 1]) + stored[flip_at + 1:])
write_bytes("bad_truncated.npz", stored[: len(stored) // 2])
with zipfile.ZipFile(path("bad_bzip2.npz"), "w", zipfile.ZIP_BZIP2) as z:
    z.writestr(zipfile.ZipInfo("a.npy"), read_bytes("i8.npy"),
               compress_type=zipfile.ZIP_BZIP2)  # Fixed date: reproducible.
# The central directory of deflated.npz claims one byte more for x.npy than
# its deflate stream holds (Python's zipfile does not notice; we do).
deflated = bytearray(read_bytes("deflated.npz"))
cd = deflated.index(b"PK\x01\x02")  # The first central record: x.npy.
size, = struct.unpack_from("<I", deflated, cd + 24)
struct.pack_into("<I", deflated, cd + 24, size + 1)
write_bytes("bad_deflate_size.npz", bytes(deflated))

total = sum(os.path.getsize(path(f)) for f in os.listdir(HERE))
print(f"wrote fixtures to {HERE}: {total} bytes")
