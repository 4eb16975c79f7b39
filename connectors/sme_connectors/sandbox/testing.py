# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Run a sandbox server in a background thread for the length of a test."""
import contextlib
import os
import threading

from . import marg_server, tally_server

DATA = os.path.join(os.path.dirname(__file__), "data")
DEMO_TALLY_SEED = os.path.join(DATA, "tally_demo.json")
DEMO_MARG_SEED = os.path.join(DATA, "marg_demo.json")
DEMO_BUSY_SEED = os.path.join(DATA, "busy_demo.json")


@contextlib.contextmanager
def running(make_server, *args):
    """Yields ``(url, sandbox)``; the server listens on a free loopback port."""
    server = make_server("127.0.0.1", 0, *args)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "http://127.0.0.1:%d/" % server.server_address[1], server.sandbox
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def running_tally(seed_path=DEMO_TALLY_SEED):
    return running(tally_server.make_server, seed_path)


def running_marg(seed_path=DEMO_MARG_SEED):
    return running(marg_server.make_server, seed_path)


def running_busy(seed_path=DEMO_BUSY_SEED):
    """Yields ``(url, fake_busy)``: the agent over an in-memory Busy."""
    from . import busy_server

    return running(busy_server.make_server, seed_path)


DEMO_ZOHO_SEED = os.path.join(DATA, "zoho_demo.json")


def running_zoho(seed_path=DEMO_ZOHO_SEED):
    """Yields ``(url, sandbox)``: Zoho Books and its OAuth server on one port."""
    from . import zoho_server

    return running(zoho_server.make_server, seed_path)


DEMO_QUICKBOOKS_SEED = os.path.join(DATA, "quickbooks_demo.json")


def running_quickbooks(seed_path=DEMO_QUICKBOOKS_SEED):
    """Yields ``(url, sandbox)``: QuickBooks Online and Intuit's OAuth server on one port."""
    from . import quickbooks_server

    return running(quickbooks_server.make_server, seed_path)


DEMO_SMS_SEED = os.path.join(DATA, "sms_demo.json")


def running_sms(seed_path=DEMO_SMS_SEED):
    """Yields ``(url, sandbox)``: the SMS gateway (``sandbox.books.messages``
    records every message)."""
    from . import sms_gateway

    return running(sms_gateway.make_server, seed_path)
