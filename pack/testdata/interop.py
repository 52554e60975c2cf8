#!/usr/bin/env python3
"""The CPython side of pack/interop_test.go (TestInterop).

The Go test starts this script once, with the interpreter under test, and
talks to it over pipes: one JSON object per line on stdin is a request, and
this script answers every request with one JSON object per line on stdout,
in order.  It uses only the standard library and runs unchanged on CPython
3.11, 3.12 and 3.13 (and later).  It makes no decisions about what is
right: it runs CPython's struct module and reports what happened.

Values travel as typed tokens (strings), so that JSON loses nothing:

    "i:<decimal>"              int, any size
    "f:<16 hex digits>"        float: the bits of the binary64, big-endian
    "b:<hex>"                  bytes
    "T", "F"                   True, False
    "N"                        None
    "z:<16 hex>:<16 hex>"      complex: bits of the real and imaginary parts
    "l:<n>"                    a list of n zeros
    "o"                        a plain object()

Requests ("op"), with the fields they use, and the fields of the answer:

    hello                            version, full, impl, native
    calcsize     fmt                 size
    pack         fmt vals            ok (hex)
    unpack       fmt buf             vals
    unpack_from  fmt buf off         vals
    pack_into    fmt buf off vals    buf (hex; also after an error, since
                                     pack_into may have written part of it)
    iter_unpack  fmt buf             recs (a list of value lists)
    gen          seed n              gen: n records made up here from
                                     random.Random(seed), see gen_record

Every answer carries the request's "id".  A struct call that raises answers
"err": [exception class name, str(exception)] instead of its result.
"""

import json
import math
import platform
import random
import struct
import sys

# Python 3.11 and 3.12 cannot unpack a '0p' item (SystemError) and pack it
# with a stray 0xff byte (gh-124248), so generated formats avoid it there.
ZERO_P_OK = sys.version_info >= (3, 13)
# From 3.14 on, 'e' and 'f' keep NaN payloads (gh-130317), unlike 3.13;
# generated values avoid NaNs for those codes there.
NAN_PAYLOADS_KEPT = sys.version_info >= (3, 14)


# ---------------------------------------------------------------- tokens


def to_value(tok):
    kind, _, rest = tok.partition(":")
    if kind == "i":
        return int(rest)
    if kind == "f":
        return bits_float(rest)
    if kind == "b":
        return bytes.fromhex(rest)
    if kind == "z":
        re, _, im = rest.partition(":")
        return complex(bits_float(re), bits_float(im))
    if kind == "l":
        return [0] * int(rest)
    simple = {"T": True, "F": False, "N": None}
    if kind in simple:
        return simple[kind]
    if kind == "o":
        return object()
    raise ValueError("unknown value token %r" % tok)


def to_token(v):
    if v is True:
        return "T"
    if v is False:
        return "F"
    if v is None:
        return "N"
    t = type(v)
    if t is int:
        return "i:%d" % v
    if t is float:
        return "f:" + float_bits(v)
    if t is bytes:
        return "b:" + v.hex()
    if t is complex:
        return "z:%s:%s" % (float_bits(v.real), float_bits(v.imag))
    if t is list:
        return "l:%d" % len(v)
    if t is object:
        return "o"
    raise TypeError("no token for %r" % (v,))


def bits_float(h):
    return struct.unpack(">d", bytes.fromhex(h))[0]


def float_bits(x):
    return struct.pack(">d", x).hex()


def tokens(values):
    return [to_token(v) for v in values]


def error(e):
    return [type(e).__name__, str(e)]


# ------------------------------------------------------------- requests


def handle(req):
    op = req["op"]
    out = {"id": req["id"]}
    if op == "hello":
        out["version"] = list(sys.version_info[:3])
        out["full"] = sys.version
        out["impl"] = platform.python_implementation()
        # What results of native formats and big counts depend on.
        out["native"] = {
            "big": sys.byteorder == "big",
            "long": struct.calcsize("l"),
            "pointer": struct.calcsize("P"),
            "align8": struct.calcsize("cq") - 8,
            "intbits": sys.maxsize.bit_length() + 1,
        }
        return out
    if op == "gen":
        r = random.Random(req["seed"])
        out["gen"] = [gen_record(r) for _ in range(req["n"])]
        return out

    fmt = req["fmt"]
    try:
        if op == "calcsize":
            out["size"] = struct.calcsize(fmt)
        elif op == "pack":
            vals = [to_value(t) for t in req["vals"]]
            out["ok"] = struct.pack(fmt, *vals).hex()
        elif op == "unpack":
            out["vals"] = tokens(struct.unpack(fmt, bytes.fromhex(req["buf"])))
        elif op == "unpack_from":
            buf = bytes.fromhex(req["buf"])
            out["vals"] = tokens(struct.unpack_from(fmt, buf, req["off"]))
        elif op == "pack_into":
            vals = [to_value(t) for t in req["vals"]]
            buf = bytearray.fromhex(req["buf"])
            try:
                struct.pack_into(fmt, buf, req["off"], *vals)
            finally:
                out["buf"] = buf.hex()
        elif op == "iter_unpack":
            it = struct.iter_unpack(fmt, bytes.fromhex(req["buf"]))
            out["recs"] = [tokens(rec) for rec in it]
        else:
            raise SystemExit("interop.py: unknown op %r" % op)
    except Exception as e:
        out["err"] = error(e)
    return out


# ------------------------------------------------ records made up here

STD_CODES = "xcbB?hHiIlLqQefdsp"
NATIVE_CODES = STD_CODES + "nNP"
INT_CODES = "bBhHiIlLqQnNP"
SPACE = " \t\n\x0b\x0c\r"

SPECIAL_FLOATS = [
    0.0, -0.0, 1.0, -1.0, 0.5, 1 / 3, math.inf, -math.inf, math.nan, -math.nan,
    bits_float("7ff0000000000001"),  # a signalling NaN
    bits_float("fff4000000000123"),
    bits_float("7ffc000020000000"),
    5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
    3.4028234663852886e38,  # FLT_MAX
    3.4028235677973362e38,  # the largest double that still packs as FLT_MAX
    2.0 ** -126, 2.0 ** -149, 2.0 ** -150, 2.0 ** -150 * (1 + 2.0 ** -52),
    1 + 2.0 ** -24, 1 + 3 * 2.0 ** -24,
    65504.0, 65519.99999999999, 2.0 ** -14, 2.0 ** -24, 2.0 ** -25,
    2.0 ** -25 * (1 + 2.0 ** -52), 1 + 2.0 ** -11, 1 + 3 * 2.0 ** -11,
]


def gen_format(r):
    prefix = r.choice(["", "@", "=", "<", ">", "!"])
    native = prefix in ("", "@")
    codes = NATIVE_CODES if native else STD_CODES
    parts = [prefix]
    items = []
    for _ in range(r.randrange(8)):
        c = r.choice(codes)
        if r.random() < 0.5:
            count = None
        elif c in "sp":
            count = r.choice([0, 1, 2, 3, r.randrange(20), r.randrange(300)])
        elif c == "x":
            count = r.randrange(10)
        else:
            count = r.randrange(5)
        if c == "p" and count == 0 and not ZERO_P_OK:
            count = 1
        if r.random() < 0.15:
            parts.append(r.choice(SPACE))
        parts.append(("" if count is None else str(count)) + c)
        items.append((c, 1 if count is None else count))
    if r.random() < 0.1:
        parts.append(r.choice(SPACE))
    return "".join(parts), prefix, native, items


def int_range(prefix, code):
    bits = 8 * struct.calcsize(prefix + code)
    if code == "P":
        return -(1 << (bits - 1)), (1 << bits) - 1
    if code in "bhilqn":
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


def gen_int(r, lo, hi):
    k = r.random()
    if k < 0.3:
        return r.randint(lo, hi)
    if k < 0.5:
        return r.choice([lo, hi, 0, 1, lo + 1, hi - 1, max(lo, -1)])
    if k < 0.55:
        return r.choice([True, False])
    x = r.getrandbits(r.randint(1, hi.bit_length()))
    if lo < 0 and r.random() < 0.5:
        x = -x
    return min(max(x, lo), hi)


def wrong_type(r):
    return r.choice([1.0, 0.5, -0.0, b"", b"1", None, 1j, [0], object(), True])


def gen_bad_int(r, lo, hi):
    if r.random() < 0.3:
        v = wrong_type(r)
        if type(v) is not bool:
            return v
    big = r.getrandbits(r.randint(1, 80))
    return r.choice([lo - 1, hi + 1, lo - 1 - big, hi + 1 + big,
                     1 << 64, -(1 << 64), 10 ** 30, -(10 ** 30)])


def packs(code, v):
    """Reports whether v fits code 'e' or 'f' (with standard 'f' overflow
    checking)."""
    try:
        struct.pack("<" + code, v)
        return True
    except (OverflowError, struct.error):
        return False


def gen_float(r):
    k = r.random()
    if k < 0.2:
        return struct.unpack("<d", r.getrandbits(64).to_bytes(8, "little"))[0]
    if k < 0.4:
        return r.choice(SPECIAL_FLOATS)
    if k < 0.55:
        return struct.unpack("<f", r.getrandbits(32).to_bytes(4, "little"))[0]
    if k < 0.75:
        return r.choice([1, -1]) * math.ldexp(r.random(), r.randint(-30, 17))
    if k < 0.85:
        return r.randint(-70000, 70000)
    if k < 0.9:
        return r.choice([True, False])
    return r.uniform(-1e40, 1e40)


def gen_bad_float(r, code, native):
    if (code == "e" or (code == "f" and not native)) and r.random() < 0.6:
        if r.random() < 0.5:
            return r.choice([65520.0, -65520.0, 1e10, 1e39, -1e300,
                             3.4028235677973366e38])
        # An int that overflows is "int too large to convert".
        return r.choice([70000, -70000, 10 ** 39, 2 ** 64 - 1, 2 ** 62,
                         2 ** 1024 - 2 ** 970 - 1])
    return r.choice([10 ** 400, -(10 ** 400), 2 ** 1024 - 2 ** 970, b"",
                     b"1.5", None, 1j, [0], object()])


def gen_bytes(r, size):
    k = r.random()
    if k < 0.4:
        n = size
    elif k < 0.6:
        n = r.randint(0, size)
    elif k < 0.8:
        n = size + r.randint(1, 5)
    elif k < 0.9:
        n = 0
    else:
        n = size + r.randrange(300)
    return r.randbytes(n)


def gen_any(r):
    k = r.randrange(6)
    if k == 0:
        return gen_int(r, -(1 << 70), 1 << 70)
    if k == 1:
        return gen_float(r)
    if k == 2:
        return r.randbytes(r.randrange(3))
    if k == 3:
        return r.choice([True, False, None])
    if k == 4:
        return r.choice([0j, 1j, complex(-0.0, 0.0), complex(math.nan, 0)])
    return r.choice([[], [0], object()])


def gen_value(r, prefix, native, code, count, bad):
    if code in INT_CODES:
        lo, hi = int_range(prefix, code)
        return gen_bad_int(r, lo, hi) if bad else gen_int(r, lo, hi)
    if code == "?":
        return gen_any(r)
    if code in "efd":
        if bad:
            return gen_bad_float(r, code, native)
        v = gen_float(r)
        if code in "ef":
            # Native 'f' packs too large values as inf in CPython <= 3.13.0
            # where pystruct raises, so no value may overflow it; the other
            # overflows are the business of gen_bad_float.
            if not packs(code, v):
                v = r.random()
            if NAN_PAYLOADS_KEPT and isinstance(v, float) and math.isnan(v):
                v = 0.25
        return v
    if code == "c":
        if bad:
            return r.choice([b"", b"ab", 65, None, True, 1.5])
        return r.randbytes(1)
    if code in "sp":
        if bad:
            return r.choice([1, None, 1.5, True, 1j, object(), [0]])
        return gen_bytes(r, count)
    raise ValueError(code)


def gen_record(r):
    fmt, prefix, native, items = gen_format(r)
    slots = []  # (code, count) of each value
    for code, count in items:
        n = 0 if code == "x" else 1 if code in "sp" else count
        slots += [(code, count)] * n
    vals = [gen_value(r, prefix, native, code, count, False)
            for code, count in slots]
    if slots and r.random() < 0.3:
        # One or two values of the wrong type or out of range.
        for _ in range(r.randint(1, 2)):
            i = r.randrange(len(slots))
            code, count = slots[i]
            vals[i] = gen_value(r, prefix, native, code, count, True)
    if r.random() < 0.03:
        if vals and r.random() < 0.5:
            vals.pop()
        else:
            vals.append(7)
    rec = {"fmt": fmt, "vals": tokens(vals)}
    try:
        packed = struct.pack(fmt, *vals)
        rec["packed"] = packed.hex()
        rec["unpacked"] = tokens(struct.unpack(fmt, packed))
    except Exception as e:
        rec["err"] = error(e)
    rbuf = r.randbytes(struct.calcsize(fmt))
    rec["rbuf"] = rbuf.hex()
    try:
        rec["runpacked"] = tokens(struct.unpack(fmt, rbuf))
    except Exception as e:
        rec["rerr"] = error(e)
    return rec


def main():
    for line in sys.stdin:
        sys.stdout.write(json.dumps(handle(json.loads(line))) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
