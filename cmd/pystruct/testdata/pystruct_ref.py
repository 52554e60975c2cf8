#!/usr/bin/env python3
"""A reference pystruct, written in Python over CPython's own struct, repr,
json and ast.literal_eval, for the live tests in live_test.go.

It reads a JSON list of cases on stdin, each {"args": [...], "stdin": hex},
runs each as pystruct would, and writes a JSON list of results, each
{"stdout": hex, "exit": status, "error": message or null, "kind": kind},
where kind says where an error came from: "python" (an exception raised by
struct, bytes.fromhex or int conversion, whose message pystruct's must end
with), "os" (a file that cannot be read), or "usage".

The command line is parsed with the same rules as pystruct's (see run.go);
what is independent of pystruct is everything Python itself decides: the
values of literals (ast.literal_eval after a check with the tokenizer that
the argument is a single literal, a signed number or adjacent string
literals), the packed bytes, the repr of the tuples, the JSON text and every
error message.

CPython 3.13 has no complex codes (F and D came in 3.14, Zf and Zd in
3.15), so the reference speaks them through the class Struct below: a
format's complex items become twice as many 'f' or 'd' items (its "twin",
of the same layout in every mode), values are split into and rebuilt from
their parts with Python's own complex(), and every other answer, bytes,
errors and repr included, is still CPython's. A complex literal is read by
complex(), as repr(complex) reads back.
"""

import ast
import io
import json
import math
import re
import struct
import sys
import tokenize
import warnings

warnings.simplefilter("ignore")  # invalid escape sequences are warnings

STRING_START = re.compile(r"(?i)(?:b|r|u|br|rb)?['\"]")
NUMBER_START = re.compile(r"[+-]?(?:\d|\.\d)")
INF_NAN = re.compile(r"(?i)[+-]?(?:inf|infinity|nan)")
# A complex written as Python writes one: "1+2j", "(1-0j)", "-2.5j", "infj".
COMPLEX = re.compile(r"(?s)\(?[+-]?(?:\d|\.\d|(?i:inf|nan)).*[jJ]\)?")
COMPLEX_ITEM = re.compile(r"(\d*)(Zf|Zd|F|D)")
ITEM = re.compile(r"(\d*)(Zf|Zd|.)")


class Struct:
    """struct.Struct for the language of CPython 3.15, on 3.13."""

    def __init__(self, fmt):
        self.format = fmt
        self.twin = COMPLEX_ITEM.sub(lambda m: "%d%s" % (2 * int(m.group(1) or "1"), "f" if m.group(2) in ("F", "Zf") else "d"), fmt)
        self.st = struct.Struct(self.twin)  # raises for a bad format
        self.size = self.st.size
        self.kinds = []  # per value: True for a complex, False otherwise
        body = fmt[1:] if fmt[:1] in "@=<>!" and fmt else fmt
        for m in ITEM.finditer(body):
            count, code = int(m.group(1) or "1"), m.group(2)
            if code.isspace() or code == "x":
                continue
            if code in "sp":
                count = 1
            self.kinds += [code in ("Zf", "Zd", "F", "D")] * count

    def pack(self, *vals):
        if len(vals) != len(self.kinds):
            raise struct.error("pack expected %d items for packing (got %d)" % (len(self.kinds), len(vals)))
        flat = []
        for v, is_complex in zip(vals, self.kinds):
            if not is_complex:
                flat.append(v)
                continue
            if not isinstance(v, (int, float, complex)):
                raise struct.error("required argument is not a complex")
            try:
                c = complex(v)
            except OverflowError:
                raise struct.error("required argument is not a complex")
            flat += [c.real, c.imag]
        return self.st.pack(*flat)

    def regroup(self, t):
        out, i = [], 0
        for is_complex in self.kinds:
            if is_complex:
                out.append(complex(t[i], t[i + 1]))
                i += 2
            else:
                out.append(t[i])
                i += 1
        return tuple(out)

    def unpack(self, data):
        return self.regroup(self.st.unpack(data))

    def unpack_from(self, data, off):
        return self.regroup(self.st.unpack_from(data, off))

    def iter_unpack(self, data):
        return (self.regroup(t) for t in self.st.iter_unpack(data))
OPTIONS = {"calcsize": (), "pack": ("hex",), "unpack": ("hex", "offset", "json"), "iter": ("hex", "json")}
ARGS = {"calcsize": (1, 1), "pack": (1, None), "unpack": (1, 2), "iter": (1, 2)}
OPTIONS.update(layout=("json",), dump=("offset", "count"))
ARGS.update(layout=(1, 1), dump=(1, 2))


class Usage(Exception):
    pass


class Help(Exception):
    pass


class Partial(Exception):
    """An error after some output: the records dump printed before it."""

    def __init__(self, out, err):
        super().__init__(str(err))
        self.out = out


def single_literal(arg):
    """Reports whether the tokenizer sees arg as one number with an optional
    sign, or only string literals."""
    try:
        toks = [t for t in tokenize.generate_tokens(io.StringIO(arg).readline)
                if t.type not in (tokenize.NEWLINE, tokenize.ENDMARKER)]
    except (tokenize.TokenError, SyntaxError):
        return False
    kinds = [t.type for t in toks]
    if kinds and all(k == tokenize.STRING for k in kinds):
        return True
    if toks and toks[0].type == tokenize.OP and toks[0].string in "+-":
        kinds = kinds[1:]
    return kinds == [tokenize.NUMBER]


def value(arg):
    if arg in ("True", "False", "None"):
        return ast.literal_eval(arg)
    if INF_NAN.fullmatch(arg):
        return float(arg)
    if arg.startswith("complex("):
        raise Usage("a call is not a literal")
    if COMPLEX.fullmatch(arg):
        # complex(), not literal evaluation: "-2j" is complex(0, -2), the
        # value whose repr it is, where the expression -2j is (-0-2j).
        try:
            return complex(arg)
        except ValueError as e:
            raise Usage(str(e))
    if STRING_START.match(arg) or NUMBER_START.match(arg):
        if not single_literal(arg):
            raise Usage("not a literal: %r" % arg)
        try:
            return ast.literal_eval(arg)
        except (SyntaxError, ValueError) as e:
            raise Usage(str(e))
    return arg.encode("utf-8", "surrogateescape")


def parse(cmd, args):
    opts, pos = {}, []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            pos += args[i + 1:]
            break
        name = a[2:] if a.startswith("--") else a[1:] if a.startswith("-") else a
        name, eq, val = name.partition("=")
        is_opt = a.startswith("--") or (a.startswith("-") and name in ("h", "help", "hex", "json", "offset", "count"))
        if not is_opt:
            pos.append(a)
        elif name in ("h", "help"):
            raise Help()
        elif name not in OPTIONS[cmd]:
            raise Usage("unknown option " + a)
        elif name in ("hex", "json"):
            if eq:
                raise Usage("option takes no value")
            opts[name] = True
        else:
            if not eq:
                if i + 1 == len(args):
                    raise Usage("--%s needs a value" % name)
                i += 1
                val = args[i]
            opts[name] = val
        i += 1
    lo, hi = ARGS[cmd]
    if len(pos) < lo or (hi is not None and len(pos) > hi):
        raise Usage("wrong number of arguments")
    return opts, pos


def jsonable(v):
    if isinstance(v, bytes):
        return v.decode("latin-1")
    if isinstance(v, float) and not math.isfinite(v):
        return repr(v)
    if isinstance(v, complex):
        return [jsonable(v.real), jsonable(v.imag)]
    return v


def read_input(pos, stdin, hexin):
    if len(pos) > 1 and pos[1] != "-":
        with open(pos[1], "rb") as f:
            data = f.read()
    else:
        data = stdin
    if hexin:
        data = bytes.fromhex(data.decode("latin-1"))
    return data


def line(t, as_json):
    if as_json:
        return json.dumps([jsonable(v) for v in t]) + "\n"
    return repr(t) + "\n"


def run(args, stdin):
    out = io.StringIO()
    if not args:
        raise Usage("no command")
    cmd = args[0]
    if cmd in ("-h", "-help", "--help") or cmd == "help" and len(args) == 1:
        raise Help()
    if cmd in ("-version", "--version"):
        raise Help()  # checked as help is: status 0 and some output
    if cmd == "help":
        cmd, args = args[1], [args[1], "--help"]
    if cmd not in OPTIONS:
        raise Usage("unknown command")
    opts, pos = parse(cmd, args[1:])
    fmt = pos[0]
    if cmd == "calcsize":
        return (str(Struct(fmt).size) + "\n").encode()
    if cmd == "pack":
        vals = [value(a) for a in pos[1:]]
        rec = Struct(fmt).pack(*vals)
        return (rec.hex() + "\n").encode() if opts.get("hex") else rec
    if cmd == "unpack":
        off = None
        if "offset" in opts:
            off = value(opts["offset"])
            if type(off) is not int:
                raise Usage("offset not an int")
        st = Struct(fmt)
        data = read_input(pos, stdin, opts.get("hex"))
        t = st.unpack(data) if off is None else st.unpack_from(data, off)
        return line(t, opts.get("json")).encode()
    if cmd == "layout":
        return layout(fmt, opts.get("json"))
    if cmd == "dump":
        return dump(fmt, opts, pos, stdin)
    st = Struct(fmt)
    if st.size == 0:
        st.iter_unpack(b"")  # raises
    data = read_input(pos, stdin, opts.get("hex"))
    for t in st.iter_unpack(data):
        out.write(line(t, opts.get("json")))
    return out.getvalue().encode()


def layout_items(fmt):
    """The items of fmt as (offset, size, name, code, count, pad), found
    with struct.calcsize alone: an item's offset is the size of the format
    up to it with the item at count 0 (which CPython still aligns), its pad
    that offset less the size of the format before it, and its size the
    size of the format up to its end less its offset."""
    st = Struct(fmt)  # raises for a bad format
    prefix = fmt[0] if fmt[:1] in ("@", "=", "<", ">", "!") else ""
    body = fmt[len(prefix):]
    items = []
    for m in ITEM.finditer(body):
        digits, code = m.group(1), m.group(2)
        if code.isspace():
            continue
        count = int(digits or "1")
        before = Struct(prefix + body[:m.start()]).size
        offset = Struct(prefix + body[:m.start()] + "0" + code).size
        end = Struct(prefix + body[:m.end()]).size
        name = code if count == 1 else str(count) + code
        items.append((offset, end - offset, name, code, count, offset - before))
    assert not items or items[-1][0] + items[-1][1] == st.size
    return st, items


def layout(fmt, as_json):
    st, items = layout_items(fmt)
    if as_json:
        return "".join(json.dumps({"offset": o, "size": n, "code": c, "count": k, "pad": p}) + "\n"
                       for o, n, _, c, k, p in items).encode()
    w = [max([len(h)] + [len(str(it[i])) for it in items]) for h, i in (("offset", 0), ("size", 1), ("item", 2), ("pad", 5))]
    out = "%s  %s  %s  pad\n" % ("offset".ljust(w[0]), "size".ljust(w[1]), "item".ljust(w[2]))
    for o, n, name, _, _, p in items:
        out += "%s  %s  %s  %s%s\n" % (str(o).rjust(w[0]), str(n).rjust(w[1]), name.ljust(w[2]), str(p).rjust(w[3]),
                                       "  <- alignment" if p else "")
    out += "total %d bytes" % st.size
    if prefix_of(fmt) in ("", "@"):
        pads = sum(it[5] for it in items)
        out += "; native sizes and alignment ('@' or no prefix): " + (
            "no pad bytes" if pads == 0 else "1 pad byte" if pads == 1 else "%d pad bytes" % pads)
    return (out + "\n").encode()


def prefix_of(fmt):
    return fmt[0] if fmt[:1] in ("@", "=", "<", ">", "!") else ""


def dump(fmt, opts, pos, stdin):
    """pystruct dump: the records at N, N+size, ... each unpacked by
    struct.unpack_from, which gives the error for one cut short."""
    off, count = 0, None
    for name in ("offset", "count"):
        if name in opts:
            v = value(opts[name])
            if type(v) is not int or v < 0 or v >= 2**63:
                raise Usage("bad --" + name)
            if name == "offset":
                off = v
            else:
                count = v
    st, items = layout_items(fmt)
    if st.size == 0:
        st.iter_unpack(b"")  # raises
    data = read_input(pos, stdin, False)
    if off > len(data):
        st.unpack_from(data, off)  # raises
    width = max([len(it[2]) for it in items] + [5 if any(it[5] for it in items) else 0])
    out = io.StringIO()

    def line(at, chunk, name=None, text=None):
        first = True
        while first or chunk:
            part, chunk = chunk[:8], chunk[8:]
            out.write(str(at).rjust(8) + "  " + " ".join("%02x" % c for c in part))
            if first and name is not None:
                out.write(" " * (23 - max(3 * len(part) - 1, 0)) + "  " + name.ljust(width) + "  " + text)
            out.write("\n")
            at += len(part)
            first = False

    k, n = off, 0
    while k < len(data) and (count is None or n < count):
        if len(data) - k < st.size:
            out.write("record %d at offset %d: partial, %d of %d bytes\n" % (n, k, len(data) - k, st.size))
            line(k, data[k:])
            try:
                st.unpack_from(data, k)
            except struct.error as e:
                raise Partial(out.getvalue().encode(), e)
            raise AssertionError("unpack_from of a partial record succeeded")
        vals = list(st.unpack_from(data, k))
        out.write("record %d at offset %d\n" % (n, k))
        for o, size, name, code, cnt, pad in items:
            at = k + o
            if pad:
                line(at - pad, data[at - pad:at], "align", "pad")
            if code == "x":
                if cnt:
                    line(at, data[at:at + size], name, "pad")
            elif code in "sp":
                line(at, data[at:at + size], name, repr(vals.pop(0)))
            else:
                for j in range(cnt):
                    one = size // cnt
                    line(at + j * one, data[at + j * one:at + (j + 1) * one], code, repr(vals.pop(0)))
        assert not vals
        k += st.size
        n += 1
    return out.getvalue().encode()


def main():
    results = []
    for case in json.load(sys.stdin):
        res = {"stdout": "", "exit": 0, "error": None, "kind": None}
        try:
            res["stdout"] = run(case["args"], bytes.fromhex(case.get("stdin") or "")).hex()
        except Help:
            res["kind"] = "help"
        except Partial as e:
            res.update(stdout=e.out.hex(), exit=1, error=str(e), kind="python")
        except Usage as e:
            res.update(exit=2, error=str(e), kind="usage")
        except OSError as e:
            res.update(exit=1, error=str(e), kind="os")
        except (struct.error, OverflowError, ValueError) as e:
            res.update(exit=1, error=str(e), kind="python")
        results.append(res)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
