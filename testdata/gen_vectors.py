#!/usr/bin/env python3
"""Write pystruct's golden test vectors by running CPython's struct module.

Usage (from anywhere):

    PYENV_VERSION=3.13.0 python3 testdata/gen_vectors.py

The files are written to the vectors/ directory next to this script and are
fully determined by the CPython version and the fixed seeds below: running
the script twice gives identical files.  See README.md next to this script
for the file format.

Every case is executed here, in CPython, and whatever CPython returns or
raises is recorded.  The script only chooses the inputs.  A few inputs are
left out on purpose because pystruct deliberately behaves differently from
CPython 3.13.0 there (see README.md); the filters are marked "DELIBERATE
DIFFERENCE" below.
"""

import json
import math
import os
import platform
import random
import re
import struct
import sys

if sys.version_info[:2] != (3, 13) or platform.python_implementation() != "CPython":
    sys.exit(
        "gen_vectors.py: the vectors must come from CPython 3.13 "
        "(run: PYENV_VERSION=3.13.0 python3 testdata/gen_vectors.py); "
        "this is %s %s" % (platform.python_implementation(), sys.version.split()[0])
    )

SEED = 20240613
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors")

PREFIXES = ["", "@", "=", "<", ">", "!"]
NATIVE_PREFIXES = ["", "@"]
WHITESPACE = " \t\n\x0b\x0c\r"
NATIVE_CODES = "xcbB?hHiIlLqQnNefdspP"
STD_CODES = "xcbB?hHiIlLqQefdsp"
INT_CODES = "bBhHiIlLqQnNP"
FLOAT_CODES = "efd"
MAXSIZE = sys.maxsize

# Smallest magnitude that rounds to infinity in binary32 (2**128 - 2**103).
F32_OVERFLOW = 3.4028235677973366e38


def rng_for(name):
    """A private, deterministic random generator for one generator section."""
    return random.Random("%d:%s" % (SEED, name))


# ---------------------------------------------------------------------------
# Token encoding


def value_token(v):
    """Encode one Python value as a typed token (see README.md)."""
    if v is None:
        return "None"
    if v is True:
        return "True"
    if v is False:
        return "False"
    if type(v) is int:
        return "i:%d" % v
    if type(v) is float:
        if math.isnan(v):
            return "nan:" + struct.pack(">d", v).hex()
        return "f:" + v.hex()
    if type(v) is bytes:
        return "b:" + v.hex()
    raise TypeError("no token for %r (type %s)" % (v, type(v).__name__))


def values_text(values):
    return " ".join(value_token(v) for v in values)


def hexbuf(b):
    return "x" + bytes(b).hex()


def error_text(e):
    if type(e) is struct.error:
        name = "struct.error"
    elif type(e) is OverflowError:
        name = "OverflowError"
    else:
        # Anything else means the generator fed CPython an input that has no
        # pystruct equivalent (a str, a non-buffer, ...): fix the generator.
        raise RuntimeError("unexpected %s: %s" % (type(e).__name__, e)) from e
    msg = str(e)
    if any(c in msg for c in "\t\r\n") or " => " in msg:
        raise RuntimeError("message cannot be written on one line: %r" % msg)
    return "err %s: %s" % (name, msg)


# ---------------------------------------------------------------------------
# A minimal reading of formats, used only by the filters and the random
# generator (CPython itself computes every expected result).


def value_codes(fmt):
    """Return (native, [code for each value consumed]) or None if CPython
    would reject the format (or it is too big to expand)."""
    s = fmt
    native = True
    if s[:1] in ("@", "=", "<", ">", "!") and s:
        native = s[0] == "@"
        s = s[1:]
    valid = NATIVE_CODES if native else STD_CODES
    codes = []
    i = 0
    while i < len(s):
        if s[i] in WHITESPACE:
            i += 1
            continue
        j = i
        while j < len(s) and "0" <= s[j] <= "9":
            j += 1
        if j == len(s) or s[j] not in valid:
            return None
        count = int(s[i:j]) if j > i else 1
        code = s[j]
        if code in "sp":
            codes.append(code)
        elif code != "x":
            if count > 100000:
                return None
            codes.extend(code * count)
        i = j + 1
    return native, codes


def native_f_overflow(fmt, args):
    """DELIBERATE DIFFERENCE: CPython 3.13.0 packs a finite value that is too
    large for binary32 as +-inf with native 'f' ('' or '@' prefix), whereas
    standard 'f' raises OverflowError.  pystruct raises in every mode, so
    such cases are never written.  Reports whether any value meets a native
    'f' item with such a value."""
    parsed = value_codes(fmt)
    if parsed is None or not parsed[0]:
        return False
    for code, v in zip(parsed[1], args):
        if code != "f" or type(v) not in (int, float, bool):
            continue
        try:
            x = float(v)
        except OverflowError:
            continue  # "required argument is not a float" in both
        if math.isfinite(x) and abs(x) >= F32_OVERFLOW:
            return True
    return False


_ZERO_P = re.compile(r"(?<![0-9])0+p")


def has_zero_p(fmt):
    """DELIBERATE DIFFERENCE: CPython 3.13 writes a stray 0x00 byte just past
    a '0p' item; pystruct writes nothing.  pack() hides the stray byte
    (it is inside the zero-filled result or past its end) but pack_into()
    shows it, so pack_into cases never use a format with a '0p' item."""
    return _ZERO_P.search(fmt) is not None


def check_args(args):
    for v in args:
        # No Python str values (pystruct accepts Go strings where CPython
        # wants bytes) and no objects with __index__/__float__.
        if v is not None and type(v) not in (int, bool, float, bytes):
            raise TypeError("argument %r has no token" % (v,))


# ---------------------------------------------------------------------------
# Output files


class VectorFile:
    """Collects the cases of one vectors/*.txt file, running each in CPython."""

    def __init__(self, name, description):
        self.name = name
        self.description = description
        self.lines = []
        self.seen = set()
        self.skipped = 0

    def _add(self, op, fmt, buf, off, args, result):
        if not fmt.isascii():
            # CPython 3.13 raises UnicodeEncodeError, pystruct uses the 3.15
            # ValueError wording: tested in the Go unit tests instead.
            raise ValueError("non-ASCII format %r" % fmt)
        cols = [op, json.dumps(fmt, ensure_ascii=True), buf, off, args, result]
        for c in cols:
            if "\t" in c or "\n" in c:
                raise RuntimeError("bad column %r" % c)
        line = "\t".join(cols)
        if line not in self.seen:
            self.seen.add(line)
            self.lines.append(line)

    def calcsize(self, fmt):
        try:
            res = "ok %d" % struct.calcsize(fmt)
        except Exception as e:
            res = error_text(e)
        self._add("calcsize", fmt, "-", "-", "-", res)

    def pack(self, fmt, *args):
        check_args(args)
        if native_f_overflow(fmt, args):
            self.skipped += 1
            return
        try:
            res = "ok " + hexbuf(struct.pack(fmt, *args))
        except Exception as e:
            res = error_text(e)
        self._add("pack", fmt, "-", "-", values_text(args), res)

    def pack_into(self, fmt, buf, off, *args):
        check_args(args)
        if native_f_overflow(fmt, args) or has_zero_p(fmt):
            self.skipped += 1
            return
        if not -(1 << 63) <= off < (1 << 63):
            raise ValueError("offset %d does not fit in int64" % off)
        b = bytearray(buf)
        try:
            struct.pack_into(fmt, b, off, *args)
            res = "ok " + hexbuf(b)
        except Exception as e:
            res = error_text(e) + " => " + hexbuf(b)
        self._add("pack_into", fmt, hexbuf(buf), str(off), values_text(args), res)

    def unpack(self, fmt, buf):
        try:
            res = _ok_values(struct.unpack(fmt, bytes(buf)))
        except Exception as e:
            res = error_text(e)
        self._add("unpack", fmt, hexbuf(buf), "-", "-", res)

    def unpack_from(self, fmt, buf, off):
        if not -(1 << 63) <= off < (1 << 63):
            raise ValueError("offset %d does not fit in int64" % off)
        try:
            res = _ok_values(struct.unpack_from(fmt, bytes(buf), off))
        except Exception as e:
            res = error_text(e)
        self._add("unpack_from", fmt, hexbuf(buf), str(off), "-", res)

    def iter_unpack(self, fmt, buf):
        try:
            recs = list(struct.iter_unpack(fmt, bytes(buf)))
            if recs:
                res = "ok " + " ; ".join(values_text(r) if r else "()" for r in recs)
            else:
                res = "ok"
        except Exception as e:
            res = error_text(e)
        self._add("iter_unpack", fmt, hexbuf(buf), "-", "-", res)

    def write(self):
        header = [
            "# pystruct golden vectors: %s" % self.name,
            "# %s" % self.description,
            "# generated by testdata/gen_vectors.py -- do not edit; see testdata/README.md",
            "# python: %s %s" % (platform.python_implementation(), sys.version.replace("\n", " ")),
            "# machine: %s" % platform.machine(),
            "# native: byteorder=%s long=%d pointer=%d align8=%d intbits=%d"
            % (sys.byteorder, struct.calcsize("l"), struct.calcsize("P"),
               struct.calcsize("cq") - 8, sys.maxsize.bit_length() + 1),
            "# columns (TAB-separated): op format buffer offset args result",
            "#   op:     calcsize pack pack_into unpack unpack_from iter_unpack",
            "#   format: JSON/Go double-quoted string",
            "#   buffer: x<hex> (input bytes; pack_into: initial contents), - if n/a",
            "#   offset: decimal (pack_into, unpack_from), - otherwise",
            "#   args:   pack/pack_into values as tokens separated by spaces, - otherwise",
            "#   result: ok [payload] | err <exception>: <message> [=> x<buffer after pack_into>]",
            "#   tokens: i:<int> f:<float.hex()> nan:<16 hex IEEE bits> b:<hex> True False None",
            "# cases: %d" % len(self.lines),
        ]
        path = os.path.join(OUT_DIR, self.name)
        with open(path, "w", encoding="ascii", newline="\n") as f:
            f.write("\n".join(header + self.lines) + "\n")
        return path


def _ok_values(values):
    return "ok " + values_text(values) if values else "ok"


# ---------------------------------------------------------------------------
# Helpers for values


def int_bounds(prefix, code):
    """C range of an integer code in a mode (P: the plain pointer width)."""
    bits = 8 * struct.calcsize(prefix + code)
    if code in "bhilqn":
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


def is_little(prefix):
    if prefix in ("<",):
        return True
    if prefix in (">", "!"):
        return False
    return sys.byteorder == "little"


def float_from_bits(bits):
    return struct.unpack(">d", bits.to_bytes(8, "big"))[0]


def random_nan(rng):
    """A double NaN with a random sign and random non-zero payload
    (quiet or signalling)."""
    while True:
        mant = rng.getrandbits(52)
        if rng.random() < 0.3:
            mant &= (1 << 51) - 1  # signalling
        if mant:
            break
    sign = rng.getrandbits(1) << 63
    return float_from_bits(sign | (0x7FF << 52) | mant)


def random_bytes(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n))


# ---------------------------------------------------------------------------
# calcsize.txt


def gen_calcsize():
    vf = VectorFile("calcsize.txt", "calcsize: every code, counts, whitespace, alignment, format errors")

    # Every ASCII character as a one-character code, native and standard.
    # DELIBERATE DIFFERENCE: 'F' and 'D' are bad chars in CPython 3.13 but
    # complex codes in pystruct, which reads CPython 3.15's language; their
    # cases come from pack's live complex test, derived from 'ff'/'dd'.
    for prefix in ("", "<"):
        for c in range(128):
            if chr(c) in "FD":
                continue
            vf.calcsize(prefix + chr(c))

    # Every code with repeat counts, including 0 and leading zeros.
    for prefix in PREFIXES:
        for code in NATIVE_CODES:
            for count in ("0", "1", "2", "00", "010", "256"):
                vf.calcsize(prefix + count + code)

    # Alignment: every pair of codes in native mode, plus zero-count
    # alignment; a few pairs in a standard mode (never padded).
    for a in NATIVE_CODES:
        for b in NATIVE_CODES:
            vf.calcsize("@" + a + b)
    for a in "bx":
        for b in STD_CODES:
            vf.calcsize("=" + a + b)
    for prefix in ("", "<"):
        for a in "cb":
            for b in NATIVE_CODES:
                vf.calcsize(prefix + a + "0" + b)
                vf.calcsize(prefix + a + "0" + b + "b")
                vf.calcsize(prefix + "3" + a + b)

    for fmt in [
        "", "@", "=", "<", ">", "!",
        "@ci", "@ic", "@lhl", "@llh", "@llh0l", "bq", "b0q", "0q", "b0qb",
        "b?", "be", "bf", "bd", "bP", "bn", "bN", "b3s h", "b2x h", "c5p i", "xd",
        "c0x", "bi0x", "i0s", "b0i0s", "=bd", "<bd", ">bd", "!bd",
        "cbxxxxxxhhhhiillffd?", "3c3b18x12h6i6l6f3d3?",
        "<cbxxxxxxhhhhiillffd?", "<3c3b18x12h6i6l6f3d3?",
        "xcbhilfd?", "xcBHILfd?", "@xcbhilfd?", "<xcbhilfd?",
        "0s0p0c0x0h", "iii", "3i", "i3i", "q3b", "3bq", "3b0q", "3b0e", "be0d",
        "@hcd", "@dch", "@sd", "@5sd", "@5pd", "@5xd", "@b0P", "@b0n",
        "100H", "187s", "20p", "1000p", "0s", "0p", "s", "p", "c", "x",
        "@b0s0p0x0c", "@b0e0f0d", "@e0bf", "@efd", "@def", "@?e", "@?f",
        ">ibcp", ">IB", "=i2H", "<i5sf",
    ]:
        vf.calcsize(fmt)

    # Whitespace.
    for ws in WHITESPACE:
        for fmt in [
            ws, ws + "h", "h" + ws, "<" + ws + "h", ws + "<h", "h" + ws + "h",
            "1" + ws + "h", "12" + ws, "h" + ws + "12", "2h" + ws + ws + "3b",
            "@b" + ws + "q", "b" + ws + "0q", ws * 3,
        ]:
            vf.calcsize(fmt)
    vf.calcsize("\t\n\x0b\x0c\r h")
    vf.calcsize(" h h h ")
    vf.calcsize("<   ")

    # Compile errors.
    for fmt in [
        # A 'Z' without 'f' or 'd' after it is a bad char in 3.15 too; "F",
        # "D", "Zf" and "Zd" are not (DELIBERATE DIFFERENCE, as above).
        "Z", "g", "u", "w", "O", "E", "C", "G", "j", "r", "Zx", "Z f", "ZF", "3Z", "hZ d",
        "hZ", "Z12", "12Z", "hg", "h1g",
        " <h", "<@h", "@@h", "<h>h", "h<", "<<", "@=", "!!", "h@", "h!",
        "1 h", "12 ", "1\th", "3 s",
        "<n", "=N", "!P", ">n", "<N", "=P", ">P", "!n", "<2n", "=0N", ">0P",
        "12345", "c12345", "14s42", "h 12", "h12", "3", "0", "00", "<7", "@ 5",
        "99999999999999999999999", "99999999999999999999999Z", "99999999999999999999999h",
        "9223372036854775808x", "9223372036854775808", "18446744073709551616b",
        "9223372036854775807x", "9223372036854775807s", "9223372036854775807p",
        "9223372036854775807b", "9223372036854775807c", "009223372036854775807x",
        "9223372036854775806xb", "9223372036854775807xb", "b9223372036854775807x",
        "4611686018427387904h", "4611686018427387903h", "<4611686018427387904h",
        "2305843009213693952i", "2305843009213693951i", "1152921504606846976q",
        "1152921504606846975q", "b1152921504606846975q", "b1152921504606846974q",
        "<b1152921504606846975q", "=b1152921504606846975q",
        "@c1152921504606846975d", "@b2305843009213693951i", "@b2305843009213693950i",
        "4611686018427387903b4611686018427387903H", "4611686018427387904b4611686018427387904H",
        "9223372036854775807x0q", "9223372036854775800x0q", "9223372036854775807x0x",
        "<9223372036854775807x0q", "9223372036854775807xq", "1b9223372036854775807s",
        "\x00", "2\x00i", "h\x00", "<\x00", "\x00Z", "Z\x00", "12\x00", "99999999999999999999999\x00",
        "h\x00h", "@ \x00",
    ]:
        vf.calcsize(fmt)
    return vf


# ---------------------------------------------------------------------------
# ints.txt


def int_test_values(rng, prefix, code):
    lo, hi = int_bounds(prefix, code)
    vals = [lo - 1, lo, lo + 1, hi - 1, hi, hi + 1, 0, 1, -1, 300, -700000]
    for e in (8, 16, 32, 63, 64):
        vals += [1 << e, -(1 << e) - 1]
    vals += [(1 << 64) - 1, -(1 << 63), 10**30, -(10**30), MAXSIZE * 4]
    for _ in range(5):
        vals.append(rng.randint(lo, hi))
    bits = hi.bit_length()
    vals.append(rng.randint(hi + 1, hi + (1 << bits)))
    vals.append(rng.randint(lo - (1 << bits), lo - 1))
    vals.append(rng.getrandbits(rng.randint(1, 90)) * rng.choice((1, -1)))
    vals += [True, False]
    return vals


def gen_ints():
    vf = VectorFile("ints.txt", "integer codes b B h H i I l L q Q n N P in every applicable mode")
    rng = rng_for("ints")
    wrong = [None, 1.0, 1.5, float("nan"), b"", b"1"]
    for code in INT_CODES:
        prefixes = NATIVE_PREFIXES if code in "nNP" else PREFIXES
        for prefix in prefixes:
            fmt = prefix + code
            size = struct.calcsize(fmt)
            lo, hi = int_bounds(prefix, code)
            if prefix in ("@", "<", ">"):
                vals = int_test_values(rng, prefix, code) + wrong
            else:
                # the same mode as one of the above ('' is '@', '=' is '<'
                # on a little-endian host, '!' is '>'): a short list
                vals = [lo - 1, lo, hi, hi + 1, 0, -1, 1 << 64, 10**30, True, None, 1.0, rng.randint(lo, hi)]
            for v in vals:
                vf.pack(fmt, v)
            # Repeat counts.
            vf.pack(prefix + "3" + code, lo, 0, hi)
            vf.pack(prefix + "3" + code, lo, hi + 1, 0)
            vf.pack(prefix + "3" + code, 1, 2)
            vf.pack(prefix + "0" + code)
            vf.pack(prefix + "2" + code + "b", True, -1, 5)
            # Unpack: fixed patterns, random bytes, wrong sizes.
            little = is_little(prefix)
            patterns = [b"\x00" * size, b"\xff" * size, b"\x01" + b"\x00" * (size - 1)]
            hi_first = [b"\x80" + b"\x00" * (size - 1), b"\x7f" + b"\xff" * (size - 1)]
            patterns += [p[::-1] if little else p for p in hi_first]
            for p in patterns:
                vf.unpack(fmt, p)
            for _ in range(4):
                vf.unpack(fmt, random_bytes(rng, size))
            vf.unpack(prefix + "3" + code, random_bytes(rng, 3 * size))
            for n in (0, size + 1):
                vf.unpack(fmt, random_bytes(rng, n))
    return vf


# ---------------------------------------------------------------------------
# floats.txt


def float_test_values():
    vals = [
        0.0, -0.0, math.inf, -math.inf, math.nan, -math.nan,
        1.0, -1.0, 2.0, -2.0, 0.5, 0.1, -0.1, 1 / 3, math.pi, -math.e, 3.1415, 100.0, 1e10, -1e-10,
        1e-300, 5e-324, -5e-324, 1e-320, 2.2250738585072014e-308, 2.225073858507201e-308,
        sys.float_info.max, -sys.float_info.max, 1e300, -1e300, 1e39, -1e39, 1e38, -1e38,
        # binary32 boundaries and ties
        2.0**-149, -(2.0**-149), 2.0**-150, -(2.0**-150), 2.0**-150 * 1.0000001, 3 * 2.0**-151,
        2.0**-126, 2.0**-127, 2.0**-126 - 2.0**-149, 2.0**-126 - 2.0**-150,
        1 + 2.0**-24, 1 + 3 * 2.0**-24, 1 + 2.0**-23, 1 + 2.0**-24 + 2.0**-50, 1 - 2.0**-25,
        -(1 + 2.0**-24), -(1 + 3 * 2.0**-24), 16777217.0, 16777219.0,
        3.4028234663852886e38, -3.4028234663852886e38, 3.4028235677973366e38, -3.4028235677973366e38,
        math.nextafter(3.4028235677973366e38, 0.0), -math.nextafter(3.4028235677973366e38, 0.0),
        2.0**128, -(2.0**128), math.ldexp((1 << 24) - 1, 104), math.ldexp((1 << 25) - 1, 103),
        # binary16 boundaries and ties
        2.0**-24, -(2.0**-24), 2.0**-25, -(2.0**-25), 2.0**-25 + 2.0**-35, -(2.0**-25) - 2.0**-35,
        2.0**-26, -(2.0**-26), 3 * 2.0**-26, 2.0**-14, 2.0**-14 - 2.0**-24, 2.0**-14 - 2.0**-25,
        2.0**-14 - 2.0**-25 - 2.0**-65, 1 + 2.0**-11, 1 + 3 * 2.0**-11, 1 + 2.0**-11 + 2.0**-16,
        1 + 2.0**-12, 1 + 2.0**-10, -(1 + 2.0**-11), -(1 + 2.0**-11) - 2.0**-16, -(1 + 2.0**-12),
        0.333251953125, 65504.0, -65504.0, 65519.0, -65519.0, 65519.99, math.nextafter(65520.0, 0.0),
        65520.0, -65520.0, 65536.0, -65536.0, 0x1FFDFFFFFF * 2.0**-26, 2048.0, 2047.0,
        # integers and bools as float inputs
        0, 1, -1, 7, 65504, 65519, 65520, -65520, 65536, 16777217, 2**53 + 1, 2**64,
        10**38, 10**39, -(10**39), 2**128, 2**1023, 2**1024, 10**308, 10**309,
        10**400, -(10**400), True, False,
        # wrong types
        None, b"", b"1.0", b"\x00",
    ]
    # The largest double below each small integer (rounding carries into the exponent).
    for base in range(1, 33):
        vals.append(math.nextafter(float(base), 0.0))
    return vals


def float_unpack_patterns(code):
    if code == "e":
        return [0x0000, 0x8000, 0x0001, 0x03FF, 0x0400, 0x3C00, 0x3555, 0x7BFF, 0xFBFF, 0x7C00, 0xFC00,
                0x7C01, 0x7E00, 0x7DFF, 0x7FFF, 0xFC01, 0xFE00, 0xFFFF, 0x7E01, 0xFDFF]
    if code == "f":
        return [0x00000000, 0x80000000, 0x00000001, 0x007FFFFF, 0x00800000, 0x3F800000, 0x7F7FFFFF,
                0xFF7FFFFF, 0x7F800000, 0xFF800000, 0x7F800001, 0x7FC00000, 0x7FBFFFFF, 0x7FFFFFFF,
                0xFF800001, 0xFFC00000, 0xFFFFFFFF, 0x7FC00001, 0x7FA00000, 0x3EAAAAAB]
    return [0, 1 << 63, 1, 0x000FFFFFFFFFFFFF, 0x0010000000000000, 0x3FF0000000000000,
            0x7FEFFFFFFFFFFFFF, 0x7FF0000000000000, 0xFFF0000000000000, 0x7FF0000000000001,
            0x7FF8000000000000, 0x7FF7FFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF, 0xFFF8000000000000,
            0xFFFFFFFFFFFFFFFF, 0xFFF0000000000001, 0x7FF8000000000001, 0x3FD5555555555555]


def gen_floats():
    vf = VectorFile("floats.txt", "float codes e f d in every mode: rounding, overflow, NaN, wrong types")
    rng = rng_for("floats")
    base_vals = float_test_values()
    # '@' and '' are the same mode, as are '=' and '<' (little-endian host)
    # and '!' and '>': the full value list runs in one of each, a short one
    # in the others.
    short_vals = [0.0, -0.0, math.inf, -math.nan, 1.5, -0.1, 5e-324, 2.0**-149, 2.0**-25, 1 + 2.0**-11,
                  1 + 3 * 2.0**-24, 65519.0, 65520.0, 65520, 3.4028234663852886e38, 3.4028235677973366e38,
                  1e300, 10**39, 10**400, True, None, b""]
    for code in FLOAT_CODES:
        size = struct.calcsize("<" + code)
        for prefix in PREFIXES:
            fmt = prefix + code
            full = prefix in ("", "<", ">")
            vals = list(base_vals if full else short_vals)
            nrand = 6 if full else 2
            vals += [random_nan(rng) for _ in range(nrand)]
            vals += [float_from_bits(rng.getrandbits(64)) for _ in range(nrand)]
            for _ in range(nrand):
                if code == "e":
                    h = struct.unpack("<e", random_bytes(rng, 2))[0]
                    vals.append(h)
                    if math.isfinite(h):
                        vals.append(h * (1 + rng.uniform(-2.0**-10, 2.0**-10)))
                else:
                    f = struct.unpack("<f", random_bytes(rng, 4))[0]
                    vals.append(f)
                    if math.isfinite(f):
                        vals.append(f * (1 + rng.uniform(-2.0**-23, 2.0**-23)))
                vals.append(rng.uniform(-70000.0, 70000.0))
                vals.append(math.ldexp(rng.random(), rng.randint(-160, 140)) * rng.choice((1, -1)))
            for v in vals:
                vf.pack(fmt, v)  # native 'f' overflow is filtered in pack()
            vf.pack(prefix + "3" + code, 1.5, -0.0, math.inf)
            vf.pack(prefix + "2" + code, 1.5, None)
            vf.pack(prefix + "2" + code, 1.5)

            little = is_little(prefix)
            patterns = float_unpack_patterns(code)
            if not full:
                patterns = patterns[::3]
            for p in patterns:
                vf.unpack(fmt, p.to_bytes(size, "little" if little else "big"))
            for _ in range(nrand):
                vf.unpack(fmt, random_bytes(rng, size))
                # random NaN / inf bit pattern
                bits = rng.getrandbits(8 * size)
                expmask = {2: 0x7C00, 4: 0x7F800000, 8: 0x7FF0000000000000}[size]
                vf.unpack(fmt, (bits | expmask).to_bytes(size, "little" if little else "big"))
            vf.unpack(prefix + "2" + code, random_bytes(rng, 2 * size))
            for n in (0, size + 1):
                vf.unpack(fmt, random_bytes(rng, n))
    return vf


# ---------------------------------------------------------------------------
# bytes.txt


def gen_bytes():
    vf = VectorFile("bytes.txt", "byte codes s p c x: truncation, padding, Pascal length bytes, wrong types")
    rng = rng_for("bytes")
    for code in "sp":
        for prefix in ("", ">"):
            for count in (None, 0, 1, 2, 3, 5, 255, 256, 300):
                n = 1 if count is None else count
                fmt = prefix + ("" if count is None else str(count)) + code
                for ln in sorted({0, 1, 2, max(n - 1, 0), n, n + 1, 300}):
                    vf.pack(fmt, random_bytes(rng, ln))
                for v in (1, None, True, 1.0):
                    vf.pack(fmt, v)
                vf.pack(fmt)
                vf.pack(fmt, b"a", b"b")
                # unpack
                vf.unpack(fmt, random_bytes(rng, n))
                vf.unpack(fmt, random_bytes(rng, n + 1))
                if n:
                    vf.unpack(fmt, random_bytes(rng, n - 1))
                if code == "p" and n:
                    for lb in sorted({0, 1, 2, n - 1, n, n + 1, 254, 255}):
                        if 0 <= lb <= 255:
                            vf.unpack(fmt, bytes([lb]) + random_bytes(rng, n - 1))
    for fmt, args in [
        ("3s", (b"abcdef",)), ("11s", (b"helloworld",)), ("0s", (b"abc",)), ("3s", (b"ab",)),
        ("20s", (b"helloworld",)), ("2p", (b"abc",)), ("4p", (b"abc",)), ("5p", (b"abc",)),
        ("1000p", (b"x" * 1000,)), ("255p", (b"x" * 300,)), ("258p", (b"x" * 300,)),
        ("256p", (b"y" * 255,)), ("256p", (b"y" * 256,)), ("0p", (b"helloworld",)),
        ("0px", (b"a",)), ("<0ph", (b"", 5)), ("<h0p", (5, b"abc")), ("0p0p", (b"a", b"b")),
        ("b0pb", (1, b"zz", 2)), ("@b0ph", (1, b"", 2)), ("s0s", (b"a", b"b")),
        ("2s3p4s", (b"abc", b"abc", b"abc")), ("<5sh", (b"hi", -2)), ("@c5pi", (b"z", b"abcdefg", 7)),
    ]:
        vf.pack(fmt, *args)
    # Unpacks from the CPython test-suite tables.
    vf.unpack("3p", b"\x05ab")
    vf.unpack("3p", b"\x01ab")
    vf.unpack("1p", b"\x05")
    vf.unpack("300p", b"\xff" + b"y" * 299)
    vf.unpack("300p", b"\x05" + b"y" * 299)
    vf.unpack("0p", b"")
    vf.unpack("0p0s", b"")
    vf.unpack("3sx", b"a\x00\x00\xff")
    vf.unpack("3c", b"abc")
    # c
    for prefix in ("", "<", ">", "@"):
        for v in (b"a", b"\x00", b"\xff", b"", b"ab", 97, 0, None, True, 1.0):
            vf.pack(prefix + "c", v)
        vf.pack(prefix + "3c", b"a", b"b", b"c")
        vf.pack(prefix + "3c", b"a", b"bc", b"d")
        vf.pack(prefix + "0c")
        vf.pack(prefix + "0c", b"a")
        for b in (0, 1, 0x61, 0x7F, 0x80, 0xFF):
            vf.unpack(prefix + "c", bytes([b]))
        vf.unpack(prefix + "3c", random_bytes(rng, 3))
        vf.unpack(prefix + "c", b"")
        vf.unpack(prefix + "c", b"ab")
    # x
    for prefix in ("", "<", "@"):
        for fmt in ("x", "3x", "0x", "b3xh", "xcx", "2xb2x", "10x", "x?x"):
            size = struct.calcsize(prefix + fmt)
            for _ in range(3):
                vf.unpack(prefix + fmt, random_bytes(rng, size))
        vf.pack(prefix + "x")
        vf.pack(prefix + "3x")
        vf.pack(prefix + "x", 1)
        vf.pack(prefix + "b3xh", -1, 258)
        vf.pack(prefix + "xcx", b"q")
        vf.pack(prefix + "x?x", True)
    return vf


# ---------------------------------------------------------------------------
# misc.txt: bool, argument counts, mixed formats, alignment padding


def gen_misc():
    vf = VectorFile("misc.txt", "bool, argument counts, mixed formats, native alignment padding on pack/unpack")
    rng = rng_for("misc")
    bool_vals = [True, False, 0, 1, 2, -1, 256, 2**64, 0.0, -0.0, 0.5, math.nan, math.inf, b"", b"x", b"\x00", None]
    for prefix in PREFIXES:
        for v in bool_vals:
            vf.pack(prefix + "?", v)
        vf.pack(prefix + "5?", 0, None, b"", 5, -1)
        vf.pack(prefix + "?", 1, 2)
        vf.pack(prefix + "?")
    for b in range(256):
        vf.unpack("?", bytes([b]))
    for prefix in ("<", ">", "=", "@"):
        for b in (0x00, 0x01, 0x7F, 0xFF, 0x0F, 0xF0, 0x80):
            vf.unpack(prefix + "?", bytes([b]))
        vf.unpack(prefix + "3?", b"\x00\x01\xff")

    # Argument counts.
    for fmt in ["i", "2i", "x", "0s", "0p", "0i", "0c", "0x", "3s", "3p", "s", "p", "3c", "hh", "<2h3s",
                "@ci", "", "<", "3x", "s p c", "2s2p", "10i", "b0i", "0s0p0c"]:
        items = value_codes(fmt)[1]
        n = len(items)
        for m in sorted({0, 1, n - 1, n + 1, n + 2}):
            if m >= 0 and m != n:
                vf.pack(fmt, *([0] * m))
    vf.pack("3s", b"a", b"b")
    vf.pack("x", 1)
    vf.pack("", 1)
    vf.pack("", )
    vf.pack("<")
    vf.pack("iii", 3)
    vf.pack("i", 3, 3, 3)
    vf.pack("0s", b"abc")
    vf.pack("0p", b"abc")

    # Mixed formats (the transitiveness vectors of CPython's own tests).
    for prefix in PREFIXES:
        for fmt in ("xcbhilfd?", "xcBHILfd?"):
            vf.pack(prefix + fmt, b"a", 1, 255, 65535, 65536, 3.1415, 3.1415, True)
            size = struct.calcsize(prefix + fmt)
            vf.unpack(prefix + fmt, random_bytes(rng, size))
        vf.pack(prefix + "cbxxxxxxhhhhiillffd?", b"a", -1, 1, 2, 3, 4, 5, 6, 7, 8, 1.5, 2.5, 3.5, False)
        vf.unpack(prefix + "cbxxxxxxhhhhiillffd?", random_bytes(rng, struct.calcsize(prefix + "cbxxxxxxhhhhiillffd?")))
        vf.pack(prefix + "i5sf", 1, b"ab", 1.5)
        vf.pack(prefix + "i2H", -5, 1, 65535)

    # Native alignment padding on pack and unpack.
    for fmt, args in [
        ("@ci", (b"#", 0x12131415)), ("=ci", (b"#", 0x12131415)), ("@ic", (0x12131415, b"#")),
        ("@llh0l", (1, 2, 3)), ("@llh", (1, 2, 3)), ("@lhl", (1, 2, 3)), ("bq", (1, 2)),
        ("b0q", (1,)), ("b0qb", (1, 2)), ("be", (1, 1.0)), ("bf", (1, 1.0)), ("bd", (1, 1.0)),
        ("bP", (1, 2)), ("bn", (-1, -2)), ("bN", (1, 2)), ("b3s h", (1, b"abc", 2)),
        ("b2x h", (1, 2)), ("c5p i", (b"a", b"bc", 3)), ("xd", (1.0,)), ("@?q?", (True, -1, True)),
        ("@hcd", (1, b"z", 2.0)), ("@e0bf", (1.0, 2.0)), ("@b0P", (7,)), ("@sd", (b"s", 0.5)),
        ("@3c0i", (b"a", b"b", b"c")), ("@bi0x", (1, 2)),
    ]:
        vf.pack(fmt, *args)
        size = struct.calcsize(fmt)
        vf.unpack(fmt, random_bytes(rng, size))
        vf.unpack(fmt, b"\xff" * size)
    return vf


# ---------------------------------------------------------------------------
# offsets.txt: unpack sizes, unpack_from and pack_into offsets, partial writes


def gen_offsets():
    vf = VectorFile("offsets.txt", "unpack buffer sizes, unpack_from and pack_into offsets, partial writes")
    rng = rng_for("offsets")
    fmts = ["<h", "<I", "b", "@i", "4s", "", "3x", ">ibcp", "@b0q"]

    # unpack: every buffer length around the struct size.
    for fmt in fmts:
        size = struct.calcsize(fmt)
        for n in range(0, size + 3):
            vf.unpack(fmt, random_bytes(rng, n))
        vf.unpack(fmt, random_bytes(rng, 2 * size + 1))

    # unpack_from, following the order of checks in CPython.
    for fmt in fmts:
        size = struct.calcsize(fmt)
        for n in sorted({0, size, size + 1, 10}):
            buf = random_bytes(rng, n)
            offs = set(range(-n - 2, n + 3))
            offs |= {-size - 1, -size, -size + 1, size, -n - size, MAXSIZE, MAXSIZE - 1, -MAXSIZE,
                     -MAXSIZE - 1, 2**32, -(2**32)}
            for off in sorted(offs):
                vf.unpack_from(fmt, buf, off)
    vf.unpack_from("<h", b"\x01\x02\x03", 1)
    vf.unpack_from("<h", b"\x01\x02", -MAXSIZE - 1)
    vf.unpack_from("4s", b"abcd01234", 0)
    for off in range(0, 10):
        vf.unpack_from("4s", b"abcd01234", off)
    vf.unpack_from("b", bytes(1), 5)
    vf.unpack_from("<I", bytes(10), -2)
    vf.unpack_from("<B", bytes(10), -11)
    vf.unpack_from("<I", bytes(10), MAXSIZE)

    # pack_into: offsets on a buffer of 0xff bytes (so writes are visible).
    values = {"<h": (0x1234,), "<I": (0xDEADBEEF,), "b": (-2,), "@i": (7,), "4s": (b"ab",), "": (), "<": (),
              "3x": (), ">ibcp": (1, 2, b"c", b"p"), "@b0q": (1,)}
    for fmt in fmts:
        size = struct.calcsize(fmt)
        args = values[fmt]
        for n in sorted({0, size, size + 1, 10}):
            buf = b"\xff" * n
            offs = set(range(-n - 2, n + 3))
            offs |= {-size - 1, -size, -size + 1, size, -n - size, MAXSIZE, MAXSIZE - 1, -MAXSIZE,
                     -MAXSIZE - 1, 2**32, -(2**32)}
            for off in sorted(offs):
                vf.pack_into(fmt, buf, off, *args)
        # Count errors are reported before the offset is looked at.
        for off in (0, -100, 100, MAXSIZE):
            vf.pack_into(fmt, b"\xff" * 10, off, *(args + (1,)))
            if args:
                vf.pack_into(fmt, b"\xff" * 10, off, *args[:-1])
    vf.pack_into("b", bytes(1), 5, 1)
    vf.pack_into("<I", bytes(10), -2, 123)
    vf.pack_into("<B", bytes(10), -11, 123)
    vf.pack_into("<I", bytes(10), MAXSIZE, 1)
    vf.pack_into("21s", b" " * 100, 0, b"Reykjavik rocks, eow!")
    vf.pack_into("21s", b" " * 100, 10, b"Reykjavik rocks, eow!")
    vf.pack_into("21s", bytes(10), 0, b"Reykjavik rocks, eow!")
    vf.pack_into("21s", bytes(10), 2, b"Reykjavik rocks, eow!")

    # Partial writes: the region is zeroed, earlier items are written, then
    # the failing item stops the call.
    for fmt, args in [
        ("<hh", (1, 70000)), ("<hxh", (1, 70000)), ("<bbb", (1, 2, 300)), ("<4sh", (b"ab", 99999)),
        ("<i?d", (5, True, None)), ("<i?d", (5, True, b"")), ("<hh", (70000, 1)), ("<3sc", (b"abc", b"")),
        ("<3sc", (b"abc", b"xy")), ("<qQ", (-1, -1)), ("<dd", (2.5, None)), ("<fe", (1.0, 1e6)),
        ("<ef", (1.0, 1e300)), ("@ci", (b"a", 2**40)), ("@bq", (3, 2**64)), ("@ih", (-1, 40000)),
        ("<Iii", (0xFFFFFFFF, 1, 2**31)), ("<hhhh", (1, 2, 3, 1.5)), ("<2s2s", (b"ab", None)),
        ("<2p2p", (b"ab", 5)), ("@P?P", (2**64 - 1, True, 2**64)), ("<l", (2**31,)), ("@l", (2**63,)),
        ("<ee", (65504.0, 65520.0)), ("<ee", (65504.0, 65520)), ("<ff", (1.0, 10**39)), ("<dd", (1.0, 10**400)),
    ]:
        size = struct.calcsize(fmt)
        for n, off in [(size + 2, 1), (size, 0), (size + 4, -size - 1), (size + 3, 3)]:
            vf.pack_into(fmt, b"\xff" * n, off, *args)
        vf.pack_into(fmt, random_bytes(rng, size + 2), 2, *args)

    # CPython's standard 'q'/'Q' routines for the byte order opposite to the
    # host's store the low 64 bits of an out-of-range int before raising
    # (a negative 'Q' stores nothing); those for the host's order check
    # first. pack_into shows the difference.
    for prefix in "<>!=":
        for code, vals in (("q", (2**63, -(2**63) - 1, 10**30, -(10**30), 2**65 + 0x1234)),
                           ("Q", (2**64, 2**64 + 5, 10**30, -1, -(10**30)))):
            for v in vals:
                vf.pack_into(prefix + "h" + code, b"\xaa" * 12, 1, 7, v)
    return vf


# ---------------------------------------------------------------------------
# iter.txt


def gen_iter():
    vf = VectorFile("iter.txt", "iter_unpack: record sizes, empty buffers, formats without values")
    rng = rng_for("iter")
    for fmt in ["", "<", "0i", "0s", "@b0i", ">ibcp", ">IB", "<h", "b", "@ci", "3x", "4x", "<q", "?",
                "<x", "s", "0p", "2s3p", "<e", "<f", ">d", "@b0q", "<hx", "x3c", "@ihb", "<0c"]:
        size = struct.calcsize(fmt)
        if size == 0:
            for n in (0, 1, 2, 5):
                vf.iter_unpack(fmt, random_bytes(rng, n))
            continue
        for n in sorted({0, 1, size - 1, size, size + 1, 2 * size - 1, 2 * size, 2 * size + 1,
                         3 * size, 4 * size, 5 * size + size // 2}):
            if n >= 0:
                vf.iter_unpack(fmt, random_bytes(rng, n))
    vf.iter_unpack(">IB", bytes(range(1, 16)))
    vf.iter_unpack(">IB", bytes(range(1, 11)))
    vf.iter_unpack(">ibcp", b"1234567")
    vf.iter_unpack(">ibcp", b"123456")
    vf.iter_unpack(">ibcp", b"12345678")
    vf.iter_unpack(">", b"12")
    vf.iter_unpack("4x", bytes(12))
    vf.iter_unpack("<e", bytes.fromhex("007c00fc017e00fe"))
    vf.iter_unpack("<f", bytes.fromhex("0100807f0000c0ff"))
    vf.iter_unpack("Z", b"")
    vf.iter_unpack("12", b"")
    vf.iter_unpack("99999999999999999999999", b"")
    vf.iter_unpack("<n", bytes(8))
    vf.iter_unpack("h\x00", b"")
    return vf


# ---------------------------------------------------------------------------
# errors.txt: format errors under every op, and which error wins


BAD_FORMATS = [
    "Z", "hZ", "<n", "!P", "=N", " <h", "h<", "1 h", "12345", "c12345", "14s42", "h 12", "h12",
    "99999999999999999999999", "99999999999999999999999Z", "9223372036854775808x",
    "4611686018427387904h", "b9223372036854775807x", "b1152921504606846975q",
    "\x00", "2\x00i", "h\x00", "Z\x00", "12\x00",
]


def gen_errors():
    vf = VectorFile("errors.txt", "error precedence: format errors under every op, first failing item, error kinds")
    for fmt in BAD_FORMATS:
        vf.calcsize(fmt)
        vf.pack(fmt)
        vf.pack(fmt, 1)
        vf.pack(fmt, 1, 2, None)
        vf.pack_into(fmt, b"\xff" * 8, 0, 1)
        vf.pack_into(fmt, b"\xff" * 8, 100)
        vf.unpack(fmt, b"")
        vf.unpack(fmt, bytes(4))
        vf.unpack_from(fmt, bytes(4), 0)
        vf.unpack_from(fmt, bytes(4), -100)
        vf.iter_unpack(fmt, b"")
        vf.iter_unpack(fmt, bytes(3))

    # Count errors before value errors; first failing item wins.
    for fmt, args in [
        ("3s", (b"a", b"b")), ("<hh", (None,)), ("<hh", (None, None, None)),
        ("<bh", (300, None)), ("<hb", (None, 300)), ("<b?c", (1, True, 5)), ("<cb", (5, 300)),
        ("<sp", (5, 6)), ("<ps", (b"", 6)), ("<ef", (None, 1e300)), ("<fe", (1e300, None)),
        ("<de", (None, 70000.0)), ("<ed", (70000.0, None)), ("<bB", (-129, -1)), ("<Bb", (-1, -129)),
        ("<qQ", (2**63, -1)), ("@nN", (2**63, -1)), ("@Pn", (-(2**63) - 1, 0)),
    ]:
        vf.pack(fmt, *args)

    # Error kinds that depend on the argument type.
    for fmt in ("<e", ">e", "e", "@e"):
        for v in (65520, 65520.0, -65520, -65520.0, 70000, 10**6, 10**39, 10**400, True, 65519, 65519.5):
            vf.pack(fmt, v)
    for fmt in ("<f", ">f", "!f", "=f"):
        for v in (10**39, -(10**39), 1e39, -1e39, 2**128, 2**128 - 2**103, 2**128 - 2**103 - 1,
                  3.4028235677973366e38, 10**400, 1e300):
            vf.pack(fmt, v)
    for fmt in ("<d", "d", ">d"):
        for v in (10**400, -(10**400), 2**1024, 2**1024 - 2**970, 2**1024 - 2**971, 10**308):
            vf.pack(fmt, v)
    for fmt in ("P", "@P"):
        for v in (2**64, 2**64 - 1, -(2**63), -(2**63) - 1, -1, 10**30, -(10**30)):
            vf.pack(fmt, v)
    for fmt in ("<h", "<H", "<i", "<I", "<l", "<L", "<q", "<Q", ">q", ">Q", "h", "l", "L", "n", "N", "q", "Q"):
        for v in (1.0, 1.5, None, b"a", 10**30, -(10**30), -1):
            vf.pack(fmt, v)
    for fmt in ("c", "s", "p", "3s", "3p", "<c"):
        for v in (None, 1, True, 1.5, b"", b"ab"):
            vf.pack(fmt, v)
    return vf


# ---------------------------------------------------------------------------
# random.txt


def rand_format(rng):
    """A random well-formed format and the codes of the values it takes."""
    prefix = rng.choice(PREFIXES)
    codes = NATIVE_CODES if prefix in NATIVE_PREFIXES else STD_CODES
    parts = []
    items = []
    for _ in range(rng.randint(1, 6)):
        code = rng.choice(codes)
        count = rng.randint(0, 10) if code in "sp" else rng.randint(0, 4)
        r = rng.random()
        if count == 1 and r < 0.5:
            text = code
        elif r < 0.1:
            text = "0" + str(count) + code
        else:
            text = str(count) + code
        parts.append(text)
        items.append((code, count))
    sep = ""
    if rng.random() < 0.2:
        sep = rng.choice([" ", "  ", "\t", "\n"])
    fmt = prefix + sep.join(parts)
    if rng.random() < 0.05:
        fmt += " "
    return prefix, fmt, items


def rand_float(rng, code):
    r = rng.random()
    if r < 0.05:
        return random_nan(rng)
    if r < 0.1:
        return rng.choice([0.0, -0.0, math.inf, -math.inf, math.nan])
    if code == "e":
        if r < 0.4:
            return struct.unpack("<e", random_bytes(rng, 2))[0]
        if r < 0.5:
            return rng.uniform(-66000.0, 66000.0)
        return math.ldexp(rng.random(), rng.randint(-26, 16)) * rng.choice((1, -1))
    if code == "f":
        if r < 0.4:
            return struct.unpack("<f", random_bytes(rng, 4))[0]
        return math.ldexp(rng.random(), rng.randint(-151, 129)) * rng.choice((1, -1))
    if r < 0.5:
        return float_from_bits(rng.getrandbits(64))
    return math.ldexp(rng.random(), rng.randint(-1080, 1025)) * rng.choice((1, -1))


def rand_value(rng, prefix, code, count):
    """A random value that CPython accepts for the code."""
    if code in INT_CODES:
        if rng.random() < 0.05:
            return rng.choice([True, False])
        lo, hi = int_bounds(prefix, code)
        if code == "P" and rng.random() < 0.2:
            return rng.randint(-(1 << 63), -1)
        return rng.randint(lo, hi)
    if code in FLOAT_CODES:
        if rng.random() < 0.05:
            return rng.choice([0, 1, -7, 65519, True, rng.randint(-(2**20), 2**20)])
        while True:
            v = rand_float(rng, code)
            # Finite values that overflow the target format go to
            # rand_bad_value instead.
            if code == "d" or not math.isfinite(v) or abs(v) < (65520.0 if code == "e" else F32_OVERFLOW):
                return v
    if code == "?":
        return rng.choice([True, False, 0, 1, 2, -1, 0.0, 1.5, math.nan, b"", b"x", None])
    if code == "c":
        return random_bytes(rng, 1)
    # s, p: shorter, equal or longer than the field
    return random_bytes(rng, rng.randint(0, count + 3))


def rand_bad_value(rng, prefix, code):
    """A random value that CPython rejects for the code (or None if every
    value is accepted)."""
    if code in INT_CODES:
        if rng.random() < 0.3:
            return rng.choice([None, 1.0, 2.5, b"1", math.nan])
        lo, hi = int_bounds(prefix, code)
        bits = hi.bit_length() + rng.randint(1, 70)
        return rng.choice([hi + rng.randint(1, 1 << bits), lo - rng.randint(1, 1 << bits)])
    if code in FLOAT_CODES:
        if code == "d" or rng.random() < 0.3:
            return rng.choice([None, b"", b"2", 10**400, -(10**400)])
        lim = 65520.0 if code == "e" else F32_OVERFLOW
        return rng.choice([lim, -lim, lim * rng.uniform(1, 4), 10**39, -65520, 1e300])
    if code == "c":
        return rng.choice([b"", b"ab", 65, None])
    if code in "sp":
        return rng.choice([None, 3, 1.0])
    return None


def gen_random():
    vf = VectorFile("random.txt", "random well-formed formats with random values, buffers and offsets")
    rng = rng_for("random")
    for _ in range(1500):
        prefix, fmt, items = rand_format(rng)
        size = struct.calcsize(fmt)
        args = []
        codes = []
        for code, count in items:
            if code == "x":
                continue
            n = 1 if code in "sp" else count
            args += [rand_value(rng, prefix, code, count) for _ in range(n)]
            codes += [code] * n
        r = rng.random()
        if r < 0.15 and args:
            # one bad value (out of range or wrong type)
            i = rng.randrange(len(args))
            bad = rand_bad_value(rng, prefix, codes[i])
            if bad is not None:
                args[i] = bad
        elif r < 0.18 and args:
            args.pop(rng.randrange(len(args)))
        elif r < 0.21:
            args.insert(rng.randrange(len(args) + 1), 0)
        vf.pack(fmt, *args)

        vf.unpack(fmt, random_bytes(rng, size))
        if rng.random() < 0.2:
            n = rng.randint(0, size + 4)
            if n == size:
                n += 1
            vf.unpack(fmt, random_bytes(rng, n))
        if rng.random() < 0.2:
            n, off = rand_offset(rng, size)
            vf.unpack_from(fmt, random_bytes(rng, n), off)
        if rng.random() < 0.2:
            n, off = rand_offset(rng, size)
            fill = b"\xff" * n if rng.random() < 0.7 else random_bytes(rng, n)
            vf.pack_into(fmt, fill, off, *args)
        if rng.random() < 0.1:
            k = rng.randint(0, 3)
            n = k * size + (rng.randint(1, size - 1) if size > 1 and rng.random() < 0.3 else 0)
            vf.iter_unpack(fmt, random_bytes(rng, n))
    return vf


def rand_offset(rng, size):
    """A buffer length and an offset, usually one that fits the struct."""
    if rng.random() < 0.75:
        n = size + rng.randint(0, 8)
        off = rng.randint(0, n - size)
        if rng.random() < 0.4:
            off -= n  # the same position counted from the end
        return n, off
    n = rng.randint(0, 2 * size + 4)
    return n, rng.randint(-n - 3, n + 3)


# ---------------------------------------------------------------------------


def self_check():
    """The filters above assume these CPython 3.13.0 facts; stop if they
    ever stop holding."""
    assert struct.pack("f", 1e300) == b"\x00\x00\x80\x7f", "native f overflow changed"
    try:
        struct.pack("<f", F32_OVERFLOW)
        raise AssertionError("<f overflow threshold changed")
    except OverflowError:
        pass
    struct.pack("<f", math.nextafter(F32_OVERFLOW, 0.0))
    b = bytearray(b"\xff" * 4)
    struct.pack_into("<h0p", b, 0, 5, b"abc")
    assert b == bytearray(b"\x05\x00\x00\xff"), "0p stray byte changed: %r" % b


def main():
    self_check()
    os.makedirs(OUT_DIR, exist_ok=True)
    total = 0
    for gen in (gen_calcsize, gen_ints, gen_floats, gen_bytes, gen_misc, gen_offsets, gen_iter, gen_errors, gen_random):
        vf = gen()
        path = vf.write()
        total += len(vf.lines)
        print("%-14s %6d cases (%d skipped: deliberate differences)" % (vf.name, len(vf.lines), vf.skipped))
    print("total          %6d cases in %s" % (total, OUT_DIR))


if __name__ == "__main__":
    main()
