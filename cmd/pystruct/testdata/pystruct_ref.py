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


class Usage(Exception):
    pass


class Help(Exception):
    pass


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
        is_opt = a.startswith("--") or (a.startswith("-") and name in ("h", "help", "hex", "json", "offset"))
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
                    raise Usage("--offset needs a value")
                i += 1
                val = args[i]
            opts["offset"] = val
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
    st = Struct(fmt)
    if st.size == 0:
        st.iter_unpack(b"")  # raises
    data = read_input(pos, stdin, opts.get("hex"))
    for t in st.iter_unpack(data):
        out.write(line(t, opts.get("json")))
    return out.getvalue().encode()


def main():
    results = []
    for case in json.load(sys.stdin):
        res = {"stdout": "", "exit": 0, "error": None, "kind": None}
        try:
            res["stdout"] = run(case["args"], bytes.fromhex(case.get("stdin") or "")).hex()
        except Help:
            res["kind"] = "help"
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
