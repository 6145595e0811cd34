#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) and an HTTP receiver on loopback for the alert tests.

    python3 alert_receivers.py DIR

Prints "SMTP_PORT HTTP_PORT" once both listen, then stores every e-mail as DIR/mail-N.eml and every
POST body as DIR/post-N.json (with the path in DIR/post-N.path) until its standard input closes.
"""
import http.server
import socket
import sys
import threading

from aiosmtpd.controller import Controller

out = sys.argv[1]
counter = {"mail": 0, "post": 0}
lock = threading.Lock()


def next_name(kind):
    with lock:
        counter[kind] += 1
        return f"{out}/{kind}-{counter[kind]}"


class Mailbox:
    async def handle_DATA(self, server, session, envelope):
        with open(next_name("mail") + ".eml", "wb") as f:
            f.write(("X-Envelope-To: " + ",".join(envelope.rcpt_tos) + "\r\n").encode() + envelope.original_content)
        return "250 OK"


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        name = next_name("post")
        with open(name + ".path", "w") as f:
            f.write(self.path)
        with open(name + ".json", "wb") as f:
            f.write(body)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


smtp_port = free_port()
smtp = Controller(Mailbox(), hostname="127.0.0.1", port=smtp_port)
smtp.start()
web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=web.serve_forever, daemon=True).start()
print(smtp_port, web.server_address[1], flush=True)
sys.stdin.read()
smtp.stop()
web.shutdown()
