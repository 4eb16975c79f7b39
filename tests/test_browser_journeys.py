# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The main journeys in a real headless browser (tests/browser/journeys.mjs):
Debian's chromium driven by playwright-core, against the session's Odoo.

The data each journey needs is prepared here over XML-RPC as admin (the
test database has no demo data); the browser then does what a user does.
Screenshots go to $SME_SCREENSHOT_DIR (default .data/browser-screenshots).
"""
import json
import os
import random
import shutil
import subprocess
import uuid

import pytest
from server_process import create_backend

from sme_connectors.sandbox.testing import running_tally

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "tests", "browser", "journeys.mjs")
CHROMIUM = os.environ.get("SME_CHROMIUM", "/usr/bin/chromium")
PLAYWRIGHT = os.path.join(
    ROOT, ".tools", "node_modules", "playwright-core", "package.json"
)
NODE = shutil.which("node")


def _missing():
    missing = []
    if not NODE:
        missing.append("node")
    if not os.access(CHROMIUM, os.X_OK):
        missing.append("chromium (%s)" % CHROMIUM)
    if not os.path.exists(PLAYWRIGHT):
        missing.append("playwright-core (in .tools/)")
    return missing


@pytest.fixture
def browser_tools():
    missing = _missing()
    if missing:
        message = (
            "the browser tests need %s: run scripts/setup.sh (as root it installs Debian's "
            "chromium; playwright-core goes into .tools/ with npm)" % ", ".join(missing)
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _xmlid(rpc, xmlid):
    return rpc("ir.model.data", "xmlid_to_res_id", xmlid, True)


def _phone():
    return "98%08d" % random.randint(0, 99999999)


def _tally_seed(path, name, phone):
    """The demo Tally company with one debtor of this run only: the pull
    adds no fixed demo phones to the session's shared database."""
    from sme_connectors.sandbox.testing import DEMO_TALLY_SEED

    with open(DEMO_TALLY_SEED) as demo:
        seed = json.load(demo)
    company = seed["companies"][0]
    company["ledgers"] = [
        ledger
        for ledger in company["ledgers"]
        if ledger.get("PARENT") != "Sundry Debtors"
    ]
    company["ledgers"].append(
        {"NAME": name, "PARENT": "Sundry Debtors", "LEDGERPHONE": phone}
    )
    company["vouchers"] = []
    seed["companies"] = [company]
    path.write_text(json.dumps(seed))
    return str(path)


def _marketing_data(rpc, data, tag, customer_id):
    """A draft banner campaign to launch, an active one with a day of
    performance, a lead taken in over XML-RPC, a customer group."""
    data.update(
        campaign_name="Monsoon banner %s" % tag,
        performance_campaign_name="Diwali banner %s" % tag,
        lead_name="Lead from Instagram %s" % tag,
        group_name="Gold %s" % tag,
    )
    banner = {
        "campaign_type": "banner",
        "title": "Monsoon sale",
        "badge": "-30%",
        "cta_text": "Shop now",
        "landing_url": "https://shop.example/monsoon",
    }
    rpc("sme.marketing.campaign", "create", dict(banner, name=data["campaign_name"]))
    active = rpc(
        "sme.marketing.campaign",
        "create",
        dict(banner, name=data["performance_campaign_name"], campaign_type="social"),
    )
    rpc("sme.marketing.campaign", "action_launch", [active])
    rpc("sme.marketing.campaign", "sme_record_click", active)
    rpc(
        "crm.lead",
        "sme_intake_lead",
        {
            "name": data["lead_name"],
            "phone": _phone(),
            "source": "Instagram",
            "campaign": active,
        },
    )
    group = rpc(
        "sme.customer.group",
        "create",
        {"name": data["group_name"], "discount_type": "percent", "amount": 5},
    )
    rpc("res.partner", "write", [customer_id], {"sme_customer_group_id": group})


def test_main_journeys_in_a_real_browser(
    browser_tools, odoo_server, admin_rpc, tmp_path
):
    rpc = admin_rpc
    tag = uuid.uuid4().hex[:5]
    phone, hold_phone = _phone(), _phone()
    data = {
        "admin_login": "admin",
        "admin_password": "admin",
        "clerk_login": "clerk-%s" % tag,
        "clerk_password": "clerk-%s-pw" % tag,
        "customer_name": "Asha Textiles %s" % tag,
        # Stored in one spelling, searched and typed in others.
        "customer_phone": "+91 %s %s" % (phone[:5], phone[5:]),
        "search_phone": "0%s-%s" % (phone[:5], phone[5:]),
        "duplicate_name": "Asha Textiles again %s" % tag,
        "duplicate_phone": phone,
        "hold_name": "Hold Stores %s" % tag,
        "tally_customer_name": "Gupta Electricals %s"
        % tag,  # only in Tally: Sync now brings it
        "backend_name": "Tally at the shop %s" % tag,
        "external_name": "Asha Textiles (Tally) %s" % tag,
        "conflict_odoo_email": "asha-%s@odoo.example" % tag,
        "conflict_remote_email": "accounts-%s@tally.example" % tag,
    }
    customer_id = rpc(
        "res.partner",
        "create",
        {
            "name": data["customer_name"],
            "phone": data["customer_phone"],
            "customer": True,
            "email": data["conflict_odoo_email"],
        },
    )
    hold_id = rpc(
        "res.partner",
        "create",
        {
            "name": data["hold_name"],
            "phone": hold_phone,
            "customer": True,
            "sme_credit_hold": True,
            "sme_credit_hold_reason": "cheque bounced",
        },
    )
    # A plain invoicing user: not an accounting manager, who may validate anyway.
    rpc(
        "res.users",
        "create",
        {
            "name": "Clerk %s" % tag,
            "login": data["clerk_login"],
            "password": data["clerk_password"],
            # Without an email Odoo 11 refuses to save a tracked record (the chatter's sender).
            "email": "%s@shop.example" % data["clerk_login"],
            "groups_id": [
                (
                    6,
                    0,
                    [
                        _xmlid(rpc, "base.group_user"),
                        _xmlid(rpc, "account.group_account_invoice"),
                    ],
                )
            ],
        },
    )

    # An accounting manager is asked to confirm instead (when sme_customer_master
    # has its credit-check confirmation).
    if rpc("ir.model", "search_count", [("model", "=", "sme.credit.override.wizard")]):
        data.update(
            manager_login="manager-%s" % tag, manager_password="manager-%s-pw" % tag
        )
        rpc(
            "res.users",
            "create",
            {
                "name": "Manager %s" % tag,
                "login": data["manager_login"],
                "password": data["manager_password"],
                "email": "%s@shop.example" % data["manager_login"],
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            _xmlid(rpc, "base.group_user"),
                            _xmlid(rpc, "account.group_account_manager"),
                        ],
                    )
                ],
            },
        )

    _marketing_data(rpc, data, tag, customer_id)

    seed = _tally_seed(tmp_path / "tally.json", data["tally_customer_name"], _phone())
    with running_tally(seed) as (url, _sandbox):
        backend_id = create_backend(
            rpc,
            {
                "name": data["backend_name"],
                "system": "tally",
                "direction": "pull",
                "sync_customers": True,
                "sync_invoices": False,
                "sync_payments": False,
                "sync_journals": False,
                "sync_accounts": False,
                "sync_trial_balance": False,
                "sync_bank": False,
            },
            url=url,
            remote_company="Sharma Traders",
        )
        rpc("sme.accounting.backend", "action_activate", [backend_id])
        binding_id = rpc(
            "sme.accounting.partner.binding",
            "create",
            {
                "backend_id": backend_id,
                "odoo_id": customer_id,
                "external_id": "guid-%s" % tag,
                "external_name": data["external_name"],
                "external_version": "7",
            },
        )
        conflict_id = rpc(
            "sme.accounting.conflict",
            "create",
            {
                "backend_id": backend_id,
                "binding_id": binding_id,
                "remote_version": "8",
                "odoo_values": json.dumps({"email": data["conflict_odoo_email"]}),
                "remote_values": json.dumps({"email": data["conflict_remote_email"]}),
            },
        )

        screenshots = os.environ.get("SME_SCREENSHOT_DIR") or os.path.join(
            ROOT, ".data", "browser-screenshots"
        )
        shutil.rmtree(screenshots, ignore_errors=True)
        env = dict(
            os.environ,
            SME_WEB_URL=odoo_server["url"],
            SME_WEB_DB=odoo_server["db"],
            SME_JOURNEY_DATA=json.dumps(data),
            SME_SCREENSHOT_DIR=screenshots,
            SME_CHROMIUM=CHROMIUM,
        )
        try:
            run = subprocess.run(
                [NODE, SCRIPT],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                universal_newlines=True,
                timeout=240,
            )
        except subprocess.TimeoutExpired as expired:
            pytest.fail(
                "the browser journeys took over 240 s:\n%s" % (expired.output or "")
            )
        print(run.stdout)
        assert (
            run.returncode == 0
        ), "browser journeys failed (screenshots in %s):\n%s" % (
            screenshots,
            run.stdout,
        )

    # What the browser did, as the database saw it.
    assert (
        rpc("res.partner", "search_count", [("name", "=", data["duplicate_name"])]) == 0
    )
    invoices = rpc(
        "account.invoice",
        "search_read",
        [("partner_id", "=", hold_id)],
        fields=["state", "user_id"],
        order="id",
    )
    assert [invoice["state"] for invoice in invoices] == (
        ["draft", "open"] if "manager_login" in data else ["draft"]
    )
    if (
        "manager_login" in data
    ):  # the override and its reason are in the invoice's chatter
        assert (
            rpc(
                "mail.message",
                "search_count",
                [
                    ("model", "=", "account.invoice"),
                    ("res_id", "=", invoices[1]["id"]),
                    ("body", "ilike", "Paid by cash at the counter"),
                ],
            )
            == 1
        )
    assert (
        rpc(
            "sme.accounting.sync.log", "search_count", [("backend_id", "=", backend_id)]
        )
        >= 1
    )
    assert (
        rpc("res.partner", "search_count", [("name", "=", data["tally_customer_name"])])
        == 1
    )
    assert (
        rpc("sme.accounting.conflict", "read", [conflict_id], fields=["state"])[0][
            "state"
        ]
        == "remote"
    )
    assert (
        rpc("res.partner", "read", [customer_id], fields=["email"])[0]["email"]
        == data["conflict_remote_email"]
    )
