#!/usr/bin/env python3
"""The loads of issue 16 against a running `saleskpi serve`, with the process's memory and descriptors.

    python3 benchmarks/hostile.py --base http://127.0.0.1:8090 --pid PID --rep-token skp_… [--admin-token skp_…]

Every step prints what it sent and what the server did (status counts, /health latency, resident memory,
open descriptors). Only loopback addresses are accepted. Raise this process's own descriptor limit
(`ulimit -n 4096`) to open 1 100 streams.
"""
import argparse
import concurrent.futures as cf
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

p = argparse.ArgumentParser()
p.add_argument("--base", required=True)
p.add_argument("--pid", type=int, required=True)
p.add_argument("--rep-token", required=True)
p.add_argument("--rep-cookie", help="a rep's session cookie, for the upload")
p.add_argument("--rep-csrf")
p.add_argument("--streams", type=int, default=1100)
p.add_argument("--silent", type=int, default=200)
p.add_argument("--idle-wait", type=float, default=35)
args = p.parse_args()
url = urllib.parse.urlparse(args.base)
assert url.hostname in ("127.0.0.1", "localhost", "::1"), "loopback only"
HOST, PORT = url.hostname, url.port


def rss_mib():
    for line in open(f"/proc/{args.pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024


def fds():
    import os
    return len(os.listdir(f"/proc/{args.pid}/fd"))


def health_ms():
    start = time.time()
    try:
        with urllib.request.urlopen(args.base + "/health", timeout=10) as r:
            r.read()
            return (time.time() - start) * 1000, r.status
    except Exception as e:  # noqa: BLE001 - reported, not raised
        return (time.time() - start) * 1000, repr(e)


def status_of(req):
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except Exception as e:  # noqa: BLE001
        return type(e).__name__


def report(title):
    ms, st = health_ms()
    print(f"  {title}: RSS {rss_mib():.0f} MiB, {fds()} descriptors, /health {st} in {ms:.1f} ms")


print("start")
report("before")

# 1. 300 anonymous sign-ins with a 1 MB login.
login = "x" * (1 << 20)
body = urllib.parse.urlencode({"login": login, "password": "p"}).encode()
start = time.time()
with cf.ThreadPoolExecutor(16) as pool:
    for round in range(3):
        codes = [str(c) for c in pool.map(lambda _: status_of(urllib.request.Request(args.base + "/login", data=body)),
                                          range(300))]
        print(f"1.{round + 1} 300 sign-ins with 1 MB logins in {time.time() - start:.1f} s: " +
              ", ".join(f"{c}×{codes.count(c)}" for c in sorted(set(codes))))
        report("after")


# 2. Streams: one rep opens --streams of them at once.
def open_stream(token):
    s = socket.create_connection((HOST, PORT), timeout=30)
    s.sendall(f"GET /live HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
    head = s.recv(4096).split(b"\r\n", 1)[0].decode(errors="replace")
    return s, head


start = time.time()
socks, heads = [], []
with cf.ThreadPoolExecutor(64) as pool:
    for s, head in pool.map(lambda _: open_stream(args.rep_token), range(args.streams)):
        socks.append(s)
        heads.append(head.split(" ")[1] if " " in head else head)
print(f"2. {args.streams} streams for one rep in {time.time() - start:.1f} s: " +
      ", ".join(f"{c}×{heads.count(c)}" for c in sorted(set(heads))))
time.sleep(1)
report("streams open")
for s in socks:
    s.close()
time.sleep(20)  # two heartbeats
report("clients gone, 20 s later")

# 3. The period 0001–9999, as a rep.
req = urllib.request.Request(args.base + "/api/v1/forecast?from=0001-01-01&to=9999-12-31",
                             headers={"Authorization": f"Bearer {args.rep_token}", "Accept-Language": "en"})
times = []
for _ in range(5):
    start = time.time()
    code = status_of(req)
    times.append((time.time() - start) * 1000)
print(f"3. /forecast?from=0001-01-01&to=9999-12-31: {code}, {min(times):.1f}–{max(times):.1f} ms over 5")

# 4. Silent connections.
silent = [socket.create_connection((HOST, PORT), timeout=5) for _ in range(args.silent)]
report(f"4. {args.silent} silent connections open")
time.sleep(args.idle_wait)
closed = 0
for s in silent:
    s.settimeout(0.05)
    try:
        closed += s.recv(1) == b""
    except (socket.timeout, BlockingIOError):
        pass
    except ConnectionResetError:
        closed += 1
print(f"   after {args.idle_wait:.0f} s: {closed} of {args.silent} closed by the server")
for s in silent:
    s.close()
report("after")

# 5. A rep's 200 MB upload.
if args.rep_cookie and args.rep_csrf:
    size = 200 << 20
    s = socket.create_connection((HOST, PORT), timeout=60)
    s.sendall((f"POST /admin/import HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nCookie: {args.rep_cookie}\r\n"
               f"X-CSRF-Token: {args.rep_csrf}\r\nContent-Type: multipart/form-data; boundary=B\r\n"
               f"Content-Length: {size}\r\n\r\n").encode())
    chunk = b"x" * (1 << 20)
    sent = 0
    answer = b""
    try:
        s.settimeout(0.5)
        while sent < size:
            s.sendall(chunk)
            sent += len(chunk)
            try:
                answer = s.recv(4096)
                if answer:
                    break
            except socket.timeout:
                pass
    except (BrokenPipeError, ConnectionResetError):
        pass
    s.close()
    status = answer.split(b"\r\n", 1)[0].decode() or "no answer"
    print(f"5. a rep's 200 MB upload: {status} after {sent >> 20} MB sent")
    report("after")
