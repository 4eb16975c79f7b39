"""Run a sandbox server in a background thread for the length of a test."""
import contextlib
import os
import threading

from . import tally_server

DEMO_TALLY_SEED = os.path.join(os.path.dirname(__file__), "data", "tally_demo.json")


@contextlib.contextmanager
def running_tally(seed_path=DEMO_TALLY_SEED):
    """Yields ``(url, sandbox)``; the server listens on a free loopback port."""
    server = tally_server.make_server("127.0.0.1", 0, seed_path)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "http://127.0.0.1:%d/" % server.server_address[1], server.sandbox
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
