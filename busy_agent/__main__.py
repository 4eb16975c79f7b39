# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Run the agent on the Busy PC:  python -m busy_agent --config busy_agent.ini"""
import argparse
import configparser
import logging
import sys

from .server import make_server
from .service import BusyService


def read_config(path):
    config = configparser.ConfigParser()
    if not config.read(path, encoding="utf-8"):
        sys.exit("busy_agent: cannot read %s" % path)
    agent, busy = config["agent"], config["busy"]
    token = agent.get("token")
    if agent.get("token_file"):
        with open(agent["token_file"], encoding="utf-8") as handle:
            token = handle.read().strip()
    return agent, busy, token


def main(argv=None):
    parser = argparse.ArgumentParser(description="SME Hub agent for Busy")
    parser.add_argument(
        "--config", required=True, help="busy_agent.ini (see busy_agent/README.md)"
    )
    args = parser.parse_args(argv)
    agent, busy, token = read_config(args.config)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s"
    )
    from .com_windows import Win32BusyCom  # Windows only

    com = Win32BusyCom(
        busy["busy_path"],
        busy.get("data_path"),
        busy["company_code"],
        busy.get("financial_year") or None,
        busy.get("sql_server") or None,
        busy.get("sql_user") or None,
        busy.get("sql_password") or None,
    )
    service = BusyService(com, busy["company_code"])
    server = make_server(
        service, token, agent.get("bind", "127.0.0.1"), agent.getint("port", 8765)
    )
    logging.info(
        "Busy agent for company %s on http://%s:%d/",
        busy["company_code"],
        *server.server_address[:2],
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        com.close()


if __name__ == "__main__":
    main()
