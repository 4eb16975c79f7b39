# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Installing sme_accounting_hub into an Odoo whose config has no hub key
(an admin adding the addon from Apps, a database with demo data) succeeds:
the hub makes its key in Odoo's data directory (mode 0600), says so in the
log, credentials are stored and read back with it, and
scripts/rotate-secret-key.sh replaces that key file.

Runs Odoo's own command line (scripts/odoo-bin) on a copy of the project's
config without the key and with a data directory of its own, into a fresh
database that is dropped afterwards.
"""
import json
import os
import re
import stat
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ODOO_BIN = os.path.join(ROOT, "scripts", "odoo-bin")
KEY_OPTION = "sme_hub_secret_key"

# Run inside the new database once installed: the demo's Marg password and
# SMS gateway key were stored at install time; a new secret goes in (argv[3]: "store") and both
# come back out.
CHECK_CREDENTIALS = """
import json, sys
import odoo
odoo.tools.config.parse_config(["-c", sys.argv[1], "-d", sys.argv[2], "--log-level=warn"])
with odoo.api.Environment.manage(), odoo.registry(sys.argv[2]).cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    marg = env.ref("sme_accounting_hub.sme_accounting_backend_marg_demo")
    tally = env.ref("sme_accounting_hub.sme_accounting_backend_tally_demo")
    if sys.argv[3] == "store":
        tally.settings_ref.password = "tally-Passw0rd-42"
        tally.invalidate_cache()
    sms = env.ref("sme_marketing.sme_marketing_sms_gateway_sharma_demo")
    from odoo.addons.sme_customer_master.tools import secrets
    print(json.dumps({"marg": marg.settings_ref._secret("password"),
                      "sms": sms._sme_api_key(),
                      "tally": tally.settings_ref._secret("password"),
                      "source": list(secrets.key_source(odoo.tools.config))}))
"""


def _config_without_key(source, target, data_dir):
    """A copy of ``source`` without the hub key, with its own data_dir."""
    lines = []
    with open(source) as config:
        for line in config:
            option = line.split("=", 1)[0].strip()
            if option == KEY_OPTION:
                continue
            if option == "data_dir":
                line = "data_dir = %s\n" % data_dir
            lines.append(line)
    with open(target, "w") as config:
        config.writelines(lines)


def _psql_env():
    env = dict(os.environ, PGPASSWORD=os.environ.get("SME_DB_PASSWORD", "odoo"))
    env.pop("SME_HUB_SECRET_KEY", None)  # the environment would be a configured key too
    return env


def _dropdb(database):
    subprocess.call(
        [
            "dropdb",
            "--if-exists",
            "-h",
            os.environ.get("PGHOST", "127.0.0.1"),
            "-p",
            os.environ.get("PGPORT", "5432"),
            "-U",
            os.environ.get("SME_DB_USER", "odoo"),
            database,
        ],
        env=_psql_env(),
    )


@pytest.fixture
def keyless_odoo(tmp_path):
    source = os.environ.get("SME_ODOO_CONF", os.path.join(ROOT, "odoo.conf"))
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    config = tmp_path / "odoo-without-key.conf"
    _config_without_key(source, str(config), str(data_dir))
    database = "%s_nokey" % os.environ.get("SME_TEST_DB", "sme_test")
    _dropdb(database)
    yield {
        "config": str(config),
        "data_dir": str(data_dir),
        "db": database,
        "log": tmp_path / "install.log",
    }
    _dropdb(database)


def test_install_with_demo_data_and_no_configured_key(keyless_odoo):
    odoo = keyless_odoo
    with open(str(odoo["log"]), "w") as log:
        returncode = subprocess.call(
            [
                sys.executable,
                ODOO_BIN,
                "-c",
                odoo["config"],
                "-d",
                odoo["db"],
                "-i",
                "sme_accounting_hub,sme_marketing",
                "--stop-after-init",
                "--log-level=warn",
                "--max-cron-threads=0",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env=_psql_env(),
            timeout=900,
        )
    output = odoo["log"].read_text()
    failures = [
        line
        for line in output.splitlines()
        if " ERROR " in line or " CRITICAL " in line
    ]
    assert returncode == 0 and not failures, "install failed:\n" + "\n".join(
        failures or output.splitlines()[-40:]
    )
    assert "ParseError" not in output

    key_file = os.path.join(odoo["data_dir"], "sme_hub_secret.key")
    assert os.path.isfile(key_file), "no key was made in the data directory"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    # The log names the file, so that an admin knows what to back up.
    assert "generated a new key in %s" % key_file in output

    expected = {
        "marg": "SharmaDecrypt01",
        "tally": "tally-Passw0rd-42",
        "sms": "A7d3f0c2sharmaDemoSmsKey0001",
        "source": ["data_dir", key_file],
    }
    assert _check_credentials(odoo, "store") == expected

    # The rotation command finds that key file and replaces it.
    with open(key_file) as old:
        old_key = old.read()
    rotation = subprocess.run(
        ["bash", os.path.join(ROOT, "scripts", "rotate-secret-key.sh"), odoo["db"]],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        timeout=300,
        universal_newlines=True,
        env=dict(_psql_env(), SME_ODOO_CONF=odoo["config"]),
    )
    assert rotation.returncode == 0, rotation.stdout[-3000:]
    assert re.search(
        r"%s: [1-9][0-9]* credentials and SMS gateway keys re-encrypted" % odoo["db"],
        rotation.stdout,
    )
    with open(key_file) as new:
        assert new.read() != old_key
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert sorted(os.listdir(odoo["data_dir"])) == [
        "addons",
        "filestore",
        "sme_hub_secret.key",
    ]
    assert _check_credentials(odoo, "read") == expected


def _check_credentials(odoo, mode):
    check = subprocess.run(
        [
            sys.executable,
            "-W",
            "ignore",
            "-c",
            CHECK_CREDENTIALS,
            odoo["config"],
            odoo["db"],
            mode,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=_psql_env(),
        timeout=300,
        universal_newlines=True,
    )
    assert check.returncode == 0, check.stderr[-3000:]
    return json.loads(check.stdout.strip().splitlines()[-1])
