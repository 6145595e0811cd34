#!/usr/bin/env python3
"""Probes a running `saleskpi serve` as a hostile client would, over raw sockets (HardeningTests.swift).

The server runs with --idle-timeout 2 --max-streams 3 --max-streams-per-user 2 --heartbeat 1. Every check
prints one line; the script exits 1 on the first failure.

Environment: BASE_URL (http://127.0.0.1:PORT), REP_TOKEN, ADMIN_TOKEN.
"""
import os
import socket
import sys
import time
import urllib.request

BASE = os.environ["BASE_URL"]
HOST, PORT = BASE.split("//")[1].split(":")
PORT = int(PORT)
REP, ADMIN = os.environ["REP_TOKEN"], os.environ["ADMIN_TOKEN"]


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def connect():
    s = socket.create_connection((HOST, PORT), timeout=10)
    return s


def closed_within(s, seconds):
    """True if the server closes the connection within `seconds` (reading whatever it sends)."""
    s.settimeout(0.2)
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if s.recv(65536) == b"":
                return True
        except socket.timeout:
            continue
        except ConnectionResetError:
            return True
    return False


def stream(token):
    """Opens /live; returns (socket, status line)."""
    s = connect()
    s.sendall(f"GET /live HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
    s.settimeout(5)
    head = b""
    while b"\r\n" not in head:
        chunk = s.recv(4096)
        if not chunk:
            break
        head += chunk
    return s, head.split(b"\r\n", 1)[0].decode()


def listeners():
    with urllib.request.urlopen(BASE + "/metrics", timeout=5) as r:
        for line in r.read().decode().splitlines():
            if line.startswith("saleskpi_live_listeners"):
                return float(line.split()[-1])
    return -1


def health_ms():
    start = time.time()
    with urllib.request.urlopen(BASE + "/health", timeout=5) as r:
        if r.status != 200:
            fail(f"/health answered {r.status}")
    return (time.time() - start) * 1000


# A silent connection and one that stops in the middle of its request head are both closed.
silent = connect()
if not closed_within(silent, 5):
    fail("a silent connection was still open 5 s after connecting (idle timeout 2 s)")
print("ok: a silent connection is closed")
slow = connect()
slow.sendall(f"GET /health HTTP/1.1\r\nHost: {HOST}\r\n".encode())
if not closed_within(slow, 5):
    fail("a connection that stopped inside its request head was still open after 5 s")
print("ok: a half-sent request head is closed")

# Two streams for the rep; the third is refused with 429 and its connection closed.
a, status_a = stream(REP)
b, status_b = stream(REP)
if "200" not in status_a or "200" not in status_b:
    fail(f"the rep's first two streams: {status_a!r}, {status_b!r}")
c, status_c = stream(REP)
if "429" not in status_c:
    fail(f"the rep's third stream answered {status_c!r}, expected 429")
if not closed_within(c, 3):
    fail("the refused stream's connection was left open")
print("ok: a third stream for one user is a 429 and its connection is closed")

# One more for the admin fills the server (3); the next is a 503.
d, status_d = stream(ADMIN)
e, status_e = stream(ADMIN)
if "200" not in status_d or "503" not in status_e:
    fail(f"the admin's streams: {status_d!r}, {status_e!r}; expected 200 then 503")
print("ok: past the server's limit a stream is a 503")
ms = health_ms()
if ms > 100:
    fail(f"/health took {ms:.0f} ms with every stream taken")
print(f"ok: /health answers in {ms:.1f} ms with every stream taken")

# The rep's pages go away without a word: the heartbeat notices and frees their places.
a.close()
b.close()
deadline = time.time() + 5
while time.time() < deadline and listeners() != 1:
    time.sleep(0.2)
if listeners() != 1:
    fail(f"{listeners()} streams still counted 5 s after two clients went away (heartbeat 1 s)")
f, status_f = stream(REP)
if "200" not in status_f:
    fail(f"after the heartbeat the rep's stream answered {status_f!r}")
print("ok: streams of clients that went away are freed by the heartbeat")
# An open stream is not idle: it outlives the idle timeout, kept by the heartbeat.
if closed_within(d, 3):
    fail("a live stream was closed by the idle timeout")
print("ok: a live stream outlives the idle timeout")
