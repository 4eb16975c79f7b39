# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Busy sandbox: the real agent (``busy_agent``) serving an in-memory
Busy (``busy_com.FakeBusyCom``) instead of Busy's COM DLL.

    python -m sme_connectors.sandbox.busy_server --port 9010 \\
        --seed connectors/sme_connectors/sandbox/data/busy_demo.json

The hub talks to it exactly as to an agent on a Busy PC (token in
``Authorization: Bearer``; the demo token is in the seed file).
"""
import json

from busy_agent.server import make_server as make_agent_server
from busy_agent.service import BusyService

from .busy_com import FakeBusyCom
from .cli import serve

DEFAULT_TOKEN = "demo-busy-agent-token-0001"


def make_server(host="127.0.0.1", port=9010, seed_path=None, token=None):
    seed = {}
    if seed_path:
        with open(seed_path) as handle:
            seed = json.load(handle)
    busy = FakeBusyCom(seed.get("company_code", "COMP0001"))
    busy.seed(seed)
    service = BusyService(busy, busy.company_code, retry_wait=0.05)
    server = make_agent_server(
        service, token or seed.get("token") or DEFAULT_TOKEN, host, port
    )
    server.sandbox = busy
    return server


def main():
    serve(
        __doc__,
        make_server,
        "Busy agent sandbox",
        9010,
        "JSON file with groups, accounts and vouchers",
    )


if __name__ == "__main__":
    main()
