# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A real SMTP server on 127.0.0.1 that keeps what it receives: the outgoing
mail server of e-mail campaigns in tests and benchmarks.

    with running_smtp_sink() as sink:
        ...  # point Odoo's ir.mail_server at 127.0.0.1:sink.port
        sink.messages  # [Received(mailfrom, recipients, message)]

Python 3.7's ``smtpd`` (the Odoo 11 interpreter) speaks the protocol; the
sink answers every message with 250 and keeps it parsed.
"""
import asyncore
import contextlib
import email
import smtpd
import threading
from collections import namedtuple
from email import policy

Received = namedtuple("Received", "mailfrom recipients message")


class SmtpSink(smtpd.SMTPServer):
    """An SMTP server that keeps every message it receives."""

    def __init__(self, host="127.0.0.1", port=0):
        self._channels = {}
        smtpd.SMTPServer.__init__(
            self, (host, port), None, map=self._channels, decode_data=False
        )
        self.messages = []
        self._lock = threading.Lock()

    @property
    def port(self):
        return self.socket.getsockname()[1]

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        message = email.message_from_bytes(data, policy=policy.default)
        with self._lock:
            self.messages.append(Received(mailfrom, list(rcpttos), message))

    def close_all(self):
        for channel in list(self._channels.values()):
            channel.close()


@contextlib.contextmanager
def running_smtp_sink():
    """A sink serving in a thread until the block ends."""
    sink = SmtpSink()
    thread = threading.Thread(
        target=asyncore.loop,
        kwargs={"timeout": 0.05, "map": sink._channels},
        daemon=True,
    )
    thread.start()
    try:
        yield sink
    finally:
        sink.close_all()
        thread.join(5)
