"""A Python peer of pystruct's FrameReader and FrameWriter tests.

frame_peer.py PATH PREFIX INCLUDES MODE connects to the Unix socket PATH
and echoes every length-prefixed frame it reads back, with plain socket
and struct. MODE "whole" sends each frame with one sendall; "bytes" sends
it a byte at a time. INCLUDES "1" counts the prefix in the length.
"""
import socket
import struct
import sys

path, prefix, includes, mode = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]
size = struct.calcsize(prefix)
sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
sock.connect(path)


def recv_exact(n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None if not buf else bytes(buf)
        buf += chunk
    return bytes(buf)


while True:
    head = recv_exact(size)
    if head is None:
        break
    (n,) = struct.unpack(prefix, head)
    if includes:
        n -= size
    payload = recv_exact(n) if n else b""
    frame = struct.pack(prefix, len(payload) + (size if includes else 0)) + payload
    if mode == "bytes":
        for i in range(len(frame)):
            sock.sendall(frame[i:i + 1])
    else:
        sock.sendall(frame)
sock.close()
