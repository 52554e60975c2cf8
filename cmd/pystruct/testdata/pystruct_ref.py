#!/usr/bin/env python3
"""A reference pystruct, written in Python over CPython's own struct, repr,
json and ast.literal_eval, for the live tests in live_test.go.

It reads a JSON list of cases on stdin, each {"args": [...], "stdin": hex},
runs each as pystruct would, and writes a JSON list of results, each
{"stdout": hex, "exit": status, "error": message or null, "kind": kind},
where kind says where an error came from: "python" (an exception raised by
struct, bytes.fromhex or int conversion, whose message pystruct's must end
with), "os" (a file that cannot be read), or "usage".

Besides the values and bytes, it writes iter's and unpack's --csv with
Python's csv.writer, --names as Python's dict repr or json.dumps of a dict,
--bytes hex and base64 with bytes.hex and base64, applies --offset and
--count as the slice data[N:][:C*size], and for pack without VALUEs reads
stdin lines: tuples split by Python's parser (ast), each item read as a
VALUE is, and JSON arrays read by json.loads; the records before a bad
line stay in its output. layout finds each item's offset, size and padding
from struct.calcsize of the format's prefixes alone, and dump unpacks each
record at its offset with struct.unpack_from, whose error ends a dump cut
short after the records before it.

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
import base64
import csv
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
        self.codes = []  # per value: its code
        body = fmt[1:] if fmt[:1] in "@=<>!" and fmt else fmt
        for m in ITEM.finditer(body):
            count, code = int(m.group(1) or "1"), m.group(2)
            if code.isspace() or code == "x":
                continue
            if code in "sp":
                count = 1
            self.kinds += [code in ("Zf", "Zd", "F", "D")] * count
            self.codes += [code] * count

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
OPTIONS = {"calcsize": (), "pack": ("hex", "bytes"), "unpack": ("hex", "offset", "json", "csv", "names", "bytes"),
           "iter": ("hex", "offset", "count", "json", "csv", "names", "bytes")}
WITH_VALUE = ("offset", "count", "names", "bytes")
ARGS = {"calcsize": (1, 1), "pack": (1, None), "unpack": (1, 2), "iter": (1, 2)}
OPTIONS.update(layout=("json",), dump=("offset", "count"))
ARGS.update(layout=(1, 1), dump=(1, 2))
NEGATIVE_NUMBER = re.compile(r"(?i)-(?:\d|\.\d|inf|nan)")


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


def is_option(a):
    if len(a) < 2 or a[0] != "-":
        return False
    return a.startswith("--") or not NEGATIVE_NUMBER.match(a)


def parse(cmd, args):
    opts, pos = {}, []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            pos += args[i + 1:]
            break
        if not is_option(a):
            pos.append(a)
            i += 1
            continue
        name = a[2:] if a.startswith("--") else a[1:]
        name, eq, val = name.partition("=")
        if name in ("h", "help"):
            raise Help()
        elif name not in OPTIONS[cmd]:
            raise Usage("unknown option " + a)
        elif name not in WITH_VALUE:
            if eq:
                raise Usage("option takes no value")
            opts[name] = True
        else:
            if not eq:
                if i + 1 == len(args):
                    raise Usage("option needs a value")
                i += 1
                val = args[i]
            if name == "bytes" and val not in ("latin1", "hex", "base64"):
                raise Usage("bad --bytes")
            opts[name] = val
        i += 1
    lo, hi = ARGS[cmd]
    if len(pos) < lo or (hi is not None and len(pos) > hi):
        raise Usage("wrong number of arguments")
    if opts.get("json") and opts.get("csv"):
        raise Usage("--json and --csv")
    if "bytes" in opts and cmd != "pack" and not (opts.get("json") or opts.get("csv")):
        raise Usage("--bytes without --json or --csv")
    return opts, pos


def int_option(opts, name):
    """The value of --offset or --count, a Python int literal."""
    if name not in opts:
        return None
    v = value(opts[name])
    if type(v) is not int:
        raise Usage(name + " not an int")
    if name == "count" and v < 0:
        raise Usage("negative count")
    if name == "offset" and not -2**63 <= v < 2**63:
        raise OverflowError("Python int too large to convert to C ssize_t")
    return v


def names_option(opts, n):
    """The names of --names for a record of n values, or None."""
    if "names" not in opts:
        return None
    names = [s.strip(" ") for s in opts["names"].split(",")]
    if any(not s or not s.isprintable() for s in names) or len(set(names)) != len(names):
        raise Usage("bad names")
    if len(names) != n:
        raise Usage("%d names for %d values" % (len(names), n))
    return names


class Output:
    """How unpack and iter write a record."""

    def __init__(self, opts, names):
        self.json, self.csv, self.names = opts.get("json"), opts.get("csv"), names
        self.bytes = opts.get("bytes", "latin1")

    def text(self, b):
        if self.bytes == "hex":
            return b.hex()
        if self.bytes == "base64":
            return base64.b64encode(b).decode("ascii")
        return b.decode("latin-1")

    def jsonable(self, v):
        if isinstance(v, bytes):
            return self.text(v)
        return jsonable(v)

    def header(self):
        if not self.csv or self.names is None:
            return ""
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(self.names)
        return buf.getvalue()

    def line(self, t):
        if self.csv:
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerow([self.text(v) if isinstance(v, bytes) else v for v in t])
            return buf.getvalue()
        if self.json:
            vals = [self.jsonable(v) for v in t]
            if self.names is not None:
                return json.dumps(dict(zip(self.names, vals))) + "\n"
            return json.dumps(vals) + "\n"
        if self.names is not None:
            return repr(dict(zip(self.names, t))) + "\n"
        return repr(t) + "\n"


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


class LineError(Exception):
    """A line of pack's input that is neither a tuple nor a JSON array."""


class Partial(Exception):
    """An error after some output: pack writes the records before a bad
    line, and dump the records before a partial one."""

    def __init__(self, out, exc):
        self.out, self.exc = out, exc


def balanced(text):
    """Reports whether text's first token opens a bracket that its last
    token closes, and no bracket closes it sooner."""
    toks = [t for t in tokenize.generate_tokens(io.StringIO(text).readline)
            if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)]
    depth = 0
    for i, t in enumerate(toks):
        if t.type == tokenize.OP and t.string in "([{":
            depth += 1
        elif t.type == tokenize.OP and t.string in ")]}":
            depth -= 1
            if depth == 0 and i != len(toks) - 1:
                return False
    return True


def tuple_line(text):
    """The values of a line that is a Python tuple: Python's parser finds
    the elements, value() reads each as pack reads a VALUE argument, and
    plain words are refused."""
    try:
        node = ast.parse(text, mode="eval").body
        if not isinstance(node, ast.Tuple) or not balanced(text):
            raise LineError("not a tuple")
    except (SyntaxError, tokenize.TokenError, ValueError) as e:
        raise LineError(str(e))
    vals = []
    for elt in node.elts:
        seg = ast.get_source_segment(text, elt)
        try:
            v = value(seg)
        except Usage as e:
            raise LineError(str(e))
        if isinstance(v, bytes) and not STRING_START.match(seg):
            raise LineError("not a literal: " + seg)
        vals.append(v)
    return vals


def from_json(x, code, mode):
    """A value of a JSON line, read back by the code of its place."""
    if isinstance(x, str):
        if code in ("e", "f", "d") and x in ("inf", "-inf", "nan"):
            return float(x)
        if code in ("c", "s", "p"):
            try:
                if mode == "hex":
                    if not re.fullmatch(r"(?:[0-9a-fA-F]{2})*", x):
                        raise ValueError("not hex")
                    return bytes.fromhex(x)
                if mode == "base64":
                    return base64.b64decode(x, validate=True)
                return x.encode("latin-1")
            except (ValueError, UnicodeError) as e:
                raise LineError(str(e))
        return x
    if isinstance(x, list) and code in ("F", "D", "Zf", "Zd") and len(x) == 2:
        re_, im = (from_json(p, "d", mode) for p in x)
        if type(re_) in (int, float) and type(im) in (int, float):
            try:
                return complex(re_, im)
            except OverflowError:
                pass
    return x


def json_line(st, text, mode):
    try:
        v = json.loads(text)
    except ValueError as e:
        raise LineError(str(e))
    if not isinstance(v, list):
        raise LineError("not an array")
    return [from_json(x, st.codes[i] if i < len(st.codes) else "", mode) for i, x in enumerate(v)]


def pack_lines(st, opts, stdin):
    out = io.BytesIO()
    for raw in stdin.split(b"\n"):
        try:
            text = raw.strip(b" \t\r\n\x0b\x0c").decode("utf-8")
            if not text:
                continue
            if text[0] == "(":
                vals = tuple_line(text)
            elif text[0] == "[":
                vals = json_line(st, text, opts.get("bytes", "latin1"))
            else:
                raise LineError("neither a tuple nor a JSON array")
            rec = st.pack(*vals)
        except (LineError, UnicodeError, struct.error, OverflowError, ValueError) as e:
            raise Partial(out.getvalue(), e)
        out.write((rec.hex() + "\n").encode() if opts.get("hex") else rec)
    return out.getvalue()


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
        if "bytes" in opts and len(pos) > 1:
            raise Usage("--bytes with VALUE arguments")
        if len(pos) == 1:
            st = Struct(fmt)
            if st.kinds:
                return pack_lines(st, opts, stdin)
        vals = [value(a) for a in pos[1:]]
        rec = Struct(fmt).pack(*vals)
        return (rec.hex() + "\n").encode() if opts.get("hex") else rec
    if cmd == "unpack":
        off = int_option(opts, "offset")
        st = Struct(fmt)
        output = Output(opts, names_option(opts, len(st.kinds)))
        data = read_input(pos, stdin, opts.get("hex"))
        t = st.unpack(data) if off is None else st.unpack_from(data, off)
        return (output.header() + output.line(t)).encode("utf-8")
    if cmd == "layout":
        return layout(fmt, opts.get("json"))
    if cmd == "dump":
        return dump(fmt, opts, pos, stdin)
    off, count = int_option(opts, "offset"), int_option(opts, "count")
    st = Struct(fmt)
    if st.size == 0:
        st.iter_unpack(b"")  # raises
    output = Output(opts, names_option(opts, len(st.kinds)))
    data = read_input(pos, stdin, opts.get("hex"))
    if off is not None:
        data = data[off:]
    if count is not None:
        data = data[:count * st.size]
    out.write(output.header())
    for t in st.iter_unpack(data):
        out.write(output.line(t))
    return out.getvalue().encode("utf-8")


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
    off, count = 0, int_option(opts, "count")
    if "offset" in opts:
        off = value(opts["offset"])
        if type(off) is not int or off < 0 or off >= 2**63:
            raise Usage("bad --offset")
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
            try:
                res["stdout"] = run(case["args"], bytes.fromhex(case.get("stdin") or "")).hex()
            except Partial as p:
                res["stdout"] = p.out.hex()
                raise p.exc
        except Help:
            res["kind"] = "help"
        except Usage as e:
            res.update(exit=2, error=str(e), kind="usage")
        except LineError as e:
            res.update(exit=1, error=str(e), kind="line")
        except OSError as e:
            res.update(exit=1, error=str(e), kind="os")
        except (struct.error, OverflowError, ValueError) as e:
            res.update(exit=1, error=str(e), kind="python")
        results.append(res)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
