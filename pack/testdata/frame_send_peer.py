"""A Python peer that sends pystruct's FrameReader a scripted stream.

frame_send_peer.py PATH PREFIX MODE STEP... connects to the Unix socket
PATH, sends the bytes the steps make, with plain socket and struct, and
closes the connection. A step "--" closes the connection and opens a new
one for the steps after it, so one run can play many scripts in turn.
MODE "whole" sends each run of bytes with one sendall; "bytes" sends them
a byte at a time. The steps:

  f:N      a whole frame: struct.pack(PREFIX, N) and N payload bytes
  p:L      a prefix alone: struct.pack(PREFIX, L), L any integer the code
           holds (a negative one for a signed code, one over a limit)
  h:L:K    the first K bytes of struct.pack(PREFIX, L): a torn prefix
  t:L:K    the rest of that prefix, from byte K on
  d:K      K payload bytes, without a prefix
  w        send what the steps before made, then wait for one byte from
           the other end before going on

Payload bytes are payload(N)[j] = (31*j + N) % 256 for a run of N bytes,
which the Go side computes too.
"""
import socket
import struct
import sys


def payload(n):
    return bytes((31 * j + n) % 256 for j in range(n))


path, prefix, mode = sys.argv[1], sys.argv[2], sys.argv[3]


def send(sock, out):
    if mode == "bytes":
        for i in range(len(out)):
            sock.sendall(out[i:i + 1])
    else:
        sock.sendall(out)


def play(steps):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    out = bytearray()
    for step in steps:
        kind, *args = step.split(":")
        args = [int(a) for a in args]
        if kind == "f":
            out += struct.pack(prefix, args[0]) + payload(args[0])
        elif kind == "p":
            out += struct.pack(prefix, args[0])
        elif kind == "h":
            out += struct.pack(prefix, args[0])[:args[1]]
        elif kind == "t":
            out += struct.pack(prefix, args[0])[args[1]:]
        elif kind == "d":
            out += payload(args[0])
        elif kind == "w":
            send(sock, out)
            out = bytearray()
            if not sock.recv(1):
                sys.exit("the stream ended while the peer waited")
        else:
            sys.exit("unknown step " + step)
    send(sock, out)
    sock.close()


steps = []
for arg in sys.argv[4:] + ["--"]:
    if arg == "--":
        play(steps)
        steps = []
    else:
        steps.append(arg)
