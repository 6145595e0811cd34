#!/usr/bin/env python3
"""A real SMTP server with TLS and AUTH (aiosmtpd) on loopback for the SMTP client's TLS tests.

    python3 tls_smtp.py DIR MODE

MODE is how the server is secured:
    starttls    STARTTLS required before AUTH, PLAIN and LOGIN offered (company mail on port 587)
    smtps       TLS from the first byte, AUTH LOGIN only (port 465)
    plain       no STARTTLS, AUTH PLAIN and LOGIN offered in plain text
    wrong-name  as starttls, but the certificate is for mail.example.com, not 127.0.0.1
    inject      not aiosmtpd: answers STARTTLS with 220 and, in the same packet, a forged plain-text reply

Makes a CA (DIR/ca.pem) and a server certificate signed by it at run time, prints the port once it listens, then
until its standard input closes stores every e-mail as DIR/mail-N.eml, the login that sent it as DIR/mail-N.login
("MECHANISM user") and the verb of every command (EHLO, STARTTLS, AUTH PLAIN, MAIL, ...) as a line of
DIR/commands.log. The one account is USER with PASSWORD.
"""
import datetime
import ipaddress
import logging
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

USER = "alerts@firm.ru"
PASSWORD = "p@ss:w/rd %ü"

out, mode = sys.argv[1], sys.argv[2]
lock = threading.Lock()
mails = 0


def record(verb):
    with lock:
        with open(f"{out}/commands.log", "a") as f:
            f.write(verb + "\n")


def certificate(name, key, issuer_name, issuer_key, ca, sans=()):
    """A certificate valid from yesterday to tomorrow: a CA's, or a server's for the names in `sans`."""
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
               .issuer_name(issuer_name)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(days=1))
               .not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), True)
    else:
        builder = (builder.add_extension(x509.SubjectAlternativeName(list(sans)), critical=False)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False))
    return builder.sign(issuer_key, hashes.SHA256())


def server_context():
    """Writes DIR/ca.pem and the server's certificate and key; the TLS context that presents them."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "SalesKPI test CA")])
    ca = certificate("SalesKPI test CA", ca_key, ca_name, ca_key, ca=True)
    if mode == "wrong-name":
        sans = [x509.DNSName("mail.example.com")]
    else:
        sans = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    key = ec.generate_private_key(ec.SECP256R1())
    cert = certificate("SalesKPI test SMTP", key, ca_name, ca_key, ca=False, sans=sans)
    with open(f"{out}/ca.pem", "wb") as f:
        f.write(ca.public_bytes(serialization.Encoding.PEM))
    with open(f"{out}/server.pem", "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(f"{out}/server.key", "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(f"{out}/server.pem", f"{out}/server.key")
    return context


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False, auth_data=f"{mechanism} {auth_data.login.decode()}")


class Mailbox:
    async def handle_DATA(self, server, session, envelope):
        global mails
        with lock:
            mails += 1
            name = f"{out}/mail-{mails}"
        with open(name + ".login", "w") as f:
            f.write(session.auth_data or "")
        with open(name + ".eml", "wb") as f:
            f.write(envelope.original_content)
        return "250 OK"


class RecordingSMTP(SMTP):
    """Writes down each command's verb (with the AUTH mechanism, never its data) before handling it."""

    async def smtp_EHLO(self, arg):
        record("EHLO")
        await super().smtp_EHLO(arg)

    async def smtp_STARTTLS(self, arg):
        record("STARTTLS")
        await super().smtp_STARTTLS(arg)

    async def smtp_AUTH(self, arg):
        record("AUTH " + (arg.split() or [""])[0])
        await super().smtp_AUTH(arg)

    async def smtp_MAIL(self, arg):
        record("MAIL")
        await super().smtp_MAIL(arg)


def inject(listener):
    """What a man in the middle does to STARTTLS: a reply after the 220, to be read as if it came over TLS."""
    connection, _ = listener.accept()
    connection.sendall(b"220 mail.test ESMTP\r\n")
    for line in connection.makefile("rb"):
        verb = line.decode().split()[0].upper()
        record(verb)
        if verb == "EHLO":
            connection.sendall(b"250-mail.test\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n")
        elif verb == "STARTTLS":
            connection.sendall(b"220 Ready to start TLS\r\n250-mail.test\r\n250 AUTH PLAIN\r\n")
        else:
            break
    connection.close()


class RecordingController(Controller):
    def factory(self):
        return RecordingSMTP(self.handler, **self.SMTP_kwargs)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# aiosmtpd logs the refused handshakes the tests provoke, with tracebacks.
logging.getLogger("mail.log").setLevel(logging.CRITICAL)
if mode == "inject":
    listener = socket.create_server(("127.0.0.1", 0))
    threading.Thread(target=inject, args=(listener,), daemon=True).start()
    print(listener.getsockname()[1], flush=True)
    sys.stdin.read()
    sys.exit()
port = free_port()
options = dict(hostname="127.0.0.1", port=port, authenticator=authenticator, server_hostname="mail.test")
if mode in ("starttls", "wrong-name"):
    options.update(tls_context=server_context(), require_starttls=True, auth_require_tls=True)
elif mode == "smtps":
    # aiosmtpd counts only STARTTLS as TLS for auth_require_tls; this connection is TLS from the start.
    options.update(ssl_context=server_context(), auth_require_tls=False, auth_exclude_mechanism=["PLAIN"])
elif mode == "plain":
    options.update(auth_require_tls=False)
else:
    sys.exit(f"unknown mode {mode}")
smtp = RecordingController(Mailbox(), **options)
smtp.start()
print(port, flush=True)
sys.stdin.read()
smtp.stop()
