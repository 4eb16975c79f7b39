# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Start every accounting sandbox in one process (the run command uses it).

    python -m sme_connectors.sandbox.run [--tally-port 9000] [--busy-port 9010] \\
        [--marg-port 9020] [--zoho-port 9030] [--quickbooks-port 9040] \\
        [--sms-port 9050]

The SMS gateway sandbox (for sme_marketing's SMS campaigns) starts with them.
Each sandbox serves on 127.0.0.1 with its demo data; Ctrl-C stops them.
"""
import argparse
import os
import threading

from . import (
    busy_server,
    marg_server,
    quickbooks_server,
    sms_gateway,
    tally_server,
    zoho_server,
)
from .testing import (
    DEMO_BUSY_SEED,
    DEMO_MARG_SEED,
    DEMO_QUICKBOOKS_SEED,
    DEMO_SMS_SEED,
    DEMO_TALLY_SEED,
    DEMO_ZOHO_SEED,
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--tally-port", type=int, default=int(os.environ.get("SME_TALLY_PORT", 9000))
    )
    parser.add_argument(
        "--busy-port", type=int, default=int(os.environ.get("SME_BUSY_PORT", 9010))
    )
    parser.add_argument(
        "--marg-port", type=int, default=int(os.environ.get("SME_MARG_PORT", 9020))
    )
    parser.add_argument(
        "--zoho-port", type=int, default=int(os.environ.get("SME_ZOHO_PORT", 9030))
    )
    parser.add_argument(
        "--quickbooks-port",
        type=int,
        default=int(os.environ.get("SME_QUICKBOOKS_PORT", 9040)),
    )
    parser.add_argument(
        "--sms-port", type=int, default=int(os.environ.get("SME_SMS_PORT", 9050))
    )
    args = parser.parse_args()
    servers = [
        (
            "Tally",
            tally_server.make_server(args.host, args.tally_port, DEMO_TALLY_SEED),
        ),
        (
            "Busy agent",
            busy_server.make_server(args.host, args.busy_port, DEMO_BUSY_SEED),
        ),
        ("Marg", marg_server.make_server(args.host, args.marg_port, DEMO_MARG_SEED)),
        (
            "Zoho Books",
            zoho_server.make_server(args.host, args.zoho_port, DEMO_ZOHO_SEED),
        ),
        (
            "QuickBooks Online",
            quickbooks_server.make_server(
                args.host, args.quickbooks_port, DEMO_QUICKBOOKS_SEED
            ),
        ),
        (
            "SMS gateway",
            sms_gateway.make_server(args.host, args.sms_port, DEMO_SMS_SEED),
        ),
    ]
    for name, server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(
            "%s sandbox on http://%s:%d/" % (name, args.host, server.server_address[1]),
            flush=True,
        )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
