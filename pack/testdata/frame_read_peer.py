"""A Python peer that reads what pystruct's FrameWriter writes.

frame_read_peer.py PATH PREFIX INCLUDES [N...] first prints, for each N,
the message of the struct.error that struct.pack(PREFIX, N) raises (or
"ok" if it packs), one line each. Then it connects to the Unix socket PATH
and reads length-prefixed frames with plain socket and struct until the
stream ends, printing "LENGTH SHA256" for each payload. INCLUDES "1"
counts the prefix in the length. A stream that ends inside a frame prints
"torn K" (K bytes of the frame read) and exits with status 1; a length
that does not fit prints "bad length L" and exits with status 1.
"""
import hashlib
import socket
import struct
import sys

path, prefix, includes = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
for n in sys.argv[4:]:
    try:
        struct.pack(prefix, int(n))
        print("ok")
    except struct.error as e:
        print(e)
sys.stdout.flush()

size = struct.calcsize(prefix)
sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
sock.connect(path)


def recv_exact(n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            break
        buf += chunk
    return bytes(buf)


while True:
    head = recv_exact(size)
    if not head:
        break
    if len(head) < size:
        print("torn", len(head))
        sys.exit(1)
    (n,) = struct.unpack(prefix, head)
    if includes:
        n -= size
    if n < 0:
        print("bad length", n)
        sys.exit(1)
    body = recv_exact(n)
    if len(body) < n:
        print("torn", size + len(body))
        sys.exit(1)
    print(n, hashlib.sha256(body).hexdigest())
sock.close()
