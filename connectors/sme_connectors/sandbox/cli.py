# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The command line every sandbox server shares: ``--host --port --seed``."""
import argparse


def serve(module_doc, make_server, label, default_port, seed_help):
    parser = argparse.ArgumentParser(description=module_doc.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=default_port)
    parser.add_argument("--seed", help=seed_help)
    args = parser.parse_args()
    server = make_server(args.host, args.port, args.seed)
    print("%s on http://%s:%d/" % (label, args.host, args.port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
