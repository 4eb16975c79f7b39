"""The Busy sandbox: the real agent (``busy_agent``) serving an in-memory
Busy (``busy_com.FakeBusyCom``) instead of Busy's COM DLL.

    python sandbox/busy_server.py --port 9010 --seed sandbox/data/busy_demo.json

The hub talks to it exactly as to an agent on a Busy PC (token in
``Authorization: Bearer``; the demo token is in the seed file).
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from busy_agent.server import make_server as make_agent_server  # noqa: E402
from busy_agent.service import BusyService  # noqa: E402
from sandbox.busy_com import FakeBusyCom  # noqa: E402

DEFAULT_TOKEN = "demo-busy-agent-token-0001"


def make_server(host="127.0.0.1", port=9010, seed_path=None, token=None):
    seed = {}
    if seed_path:
        with open(seed_path) as handle:
            seed = json.load(handle)
    busy = FakeBusyCom(seed.get("company_code", "COMP0001"))
    busy.seed(seed)
    service = BusyService(busy, busy.company_code, retry_wait=0.05)
    server = make_agent_server(service, token or seed.get("token") or DEFAULT_TOKEN, host, port)
    server.sandbox = busy
    return server


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9010)
    parser.add_argument("--seed", help="JSON file with groups, accounts and vouchers")
    args = parser.parse_args()
    server = make_server(args.host, args.port, args.seed)
    print("Busy agent sandbox on http://%s:%d/" % (args.host, args.port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
