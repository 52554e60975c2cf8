#!/usr/bin/env python3
"""The Python side of pystruct's Unix-socket interop tests (pack/socket_test.go).

Both sides speak one protocol. A client sends request records and the
server answers each one, in order, with a reply record:

    request  struct.pack('!i5sf', id, name, height)
    reply    struct.pack('!i5sd', id, name.upper(), height * 100.0)

where name is the 5-byte field as unpacked (NUL-padded) and height the
float32 value as unpacked, widened to a double.  That is the record of the
notes the project grew from, (1, b'zhang', 1.75), answered with
(1, b'ZHANG', 175.0).

Usage:

    unix_peer.py client PATH COUNT SEED [BATCH]
        Connect to the server at PATH, send COUNT random requests, BATCH
        at a time (default 64), and check every reply with struct.unpack
        and against the exact bytes struct.pack gives.  Then shut down the
        write side and expect a clean end of stream.  Prints "ok COUNT" and
        exits 0, or prints what went wrong to stderr and exits 1.

    unix_peer.py server PATH
        Listen on PATH and serve any number of clients at once from one
        thread with selectors (epoll on Linux, kqueue on BSD/macOS), the
        way the notes' poll/epoll server does.  Prints "ready" once it
        listens.  A client that ends inside a record is reported on stderr.
        Stops when its stdin is closed, then prints "served N records".

Runs on CPython 3.11 and later; the records are deterministic for a given
SEED.
"""

import os
import random
import selectors
import socket
import struct
import sys

REQUEST = struct.Struct('!i5sf')
REPLY = struct.Struct('!i5sd')
F32 = struct.Struct('!f')

# A server stops reading from a client whose unsent replies pass this many
# bytes, until the client reads them.
OUT_LIMIT = 1 << 16


def answer(ident, name, height):
    """The reply to an unpacked request, as a tuple."""
    return (ident, name.upper(), height * 100.0)


def random_request(rng):
    """A random request as (values to pack, values the server will see)."""
    ident = rng.randrange(-2**31, 2**31)
    # Names shorter than 5 bytes are padded by 's', longer ones cut.
    name = rng.randbytes(rng.randrange(0, 8))
    if rng.random() < 0.5:
        # Any finite float32, from the bits: subnormals, extremes, -0.0.
        while True:
            bits = rng.getrandbits(32)
            if (bits >> 23) & 0xFF != 0xFF:
                break
        height = F32.unpack(bits.to_bytes(4, 'big'))[0]
    else:
        # A double that 'f' must round.
        height = rng.uniform(0.3, 2.5)
    seen_name = name[:5].ljust(5, b'\0')
    seen_height = F32.unpack(F32.pack(height))[0]
    return (ident, name, height), (ident, seen_name, seen_height)


def recv_exact(sock, n):
    """n bytes from sock, or fewer if the stream ends first."""
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            break
        buf += chunk
    return bytes(buf)


def fail(msg):
    print('unix_peer.py: ' + msg, file=sys.stderr)
    sys.exit(1)


def client(path, count, seed, batch):
    rng = random.Random(seed)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    done = 0
    while done < count:
        n = min(batch, count - done)
        sent, want = [], []
        for _ in range(n):
            values, seen = random_request(rng)
            sent.append(REQUEST.pack(*values))
            want.append(answer(*seen))
        sock.sendall(b''.join(sent))
        replies = recv_exact(sock, n * REPLY.size)
        if len(replies) != n * REPLY.size:
            fail('record %d: stream ended after %d of %d reply bytes'
                 % (done, len(replies), n * REPLY.size))
        for i, w in enumerate(want):
            raw = replies[i * REPLY.size:(i + 1) * REPLY.size]
            got = REPLY.unpack(raw)
            if got != w or raw != REPLY.pack(*w):
                fail('record %d: reply %r (%s), want %r (%s)'
                     % (done + i, got, raw.hex(), w, REPLY.pack(*w).hex()))
        done += n
    sock.shutdown(socket.SHUT_WR)
    extra = sock.recv(1)
    if extra:
        fail('after the last reply: unexpected byte %r' % extra)
    sock.close()
    print('ok %d' % count)


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.inbuf = bytearray()
        self.outbuf = bytearray()
        self.eof = False


def server(path):
    sel = selectors.DefaultSelector()
    lsock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    lsock.bind(path)
    lsock.listen(128)
    lsock.setblocking(False)
    sel.register(lsock, selectors.EVENT_READ, 'listen')
    stdin = sys.stdin.fileno()
    sel.register(stdin, selectors.EVENT_READ, 'stdin')
    print('ready', flush=True)

    served = 0
    running = True

    def update(c):
        events = 0
        if not c.eof and len(c.outbuf) < OUT_LIMIT:
            events |= selectors.EVENT_READ
        if c.outbuf:
            events |= selectors.EVENT_WRITE
        if events:
            sel.modify(c.sock, events, c)
        else:
            sel.unregister(c.sock)
            c.sock.close()

    while running:
        for key, mask in sel.select():
            if key.data == 'stdin':
                if not os.read(stdin, 4096):
                    running = False
                continue
            if key.data == 'listen':
                sock, _ = lsock.accept()
                sock.setblocking(False)
                sel.register(sock, selectors.EVENT_READ, Conn(sock))
                continue
            c = key.data
            if mask & selectors.EVENT_READ:
                try:
                    data = c.sock.recv(1 << 16)
                except ConnectionError as e:
                    print('client: %s' % e, file=sys.stderr, flush=True)
                    data = b''
                if data:
                    c.inbuf += data
                    n = len(c.inbuf) // REQUEST.size
                    for off in range(0, n * REQUEST.size, REQUEST.size):
                        c.outbuf += REPLY.pack(*answer(*REQUEST.unpack_from(c.inbuf, off)))
                    del c.inbuf[:n * REQUEST.size]
                    served += n
                else:
                    c.eof = True
                    if c.inbuf:
                        print('client: torn record: stream ended %d bytes into a %d-byte record'
                              % (len(c.inbuf), REQUEST.size), file=sys.stderr, flush=True)
            if c.outbuf:
                try:
                    sent = c.sock.send(c.outbuf)
                    del c.outbuf[:sent]
                except BlockingIOError:
                    pass
                except ConnectionError as e:
                    print('client: %s' % e, file=sys.stderr, flush=True)
                    c.outbuf.clear()
                    c.eof = True
            update(c)

    print('served %d' % served, flush=True)


def main(argv):
    if len(argv) >= 5 and argv[1] == 'client':
        batch = int(argv[5]) if len(argv) > 5 else 64
        client(argv[2], int(argv[3]), int(argv[4]), batch)
    elif len(argv) == 3 and argv[1] == 'server':
        server(argv[2])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == '__main__':
    main(sys.argv)
