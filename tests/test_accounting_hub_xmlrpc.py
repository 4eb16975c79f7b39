# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""sme_accounting_hub's public methods over XML-RPC against a running server."""
import uuid
import xmlrpc.client

import pytest
from server_process import create_backend, settings_of

from sme_connectors.sandbox.testing import running_tally


@pytest.fixture
def tally_backend(admin_rpc):
    with running_tally() as (url, sandbox):
        backend_id = create_backend(
            admin_rpc,
            {"name": "Tally RPC %s" % uuid.uuid4().hex[:6], "system": "tally"},
            url=url,
            remote_company="Sharma Traders",
            password="rpc-s3cret-value",
        )
        yield backend_id, sandbox


def test_secrets_never_come_back(admin_rpc, tally_backend):
    backend_id, _sandbox = tally_backend
    model, settings_id = settings_of(admin_rpc, backend_id)
    values = admin_rpc(
        model, "read", [settings_id], fields=["password", "secrets_set"]
    )[0]
    assert values["password"] is False
    assert values["secrets_set"] == "password"
    rows = admin_rpc("sme.accounting.backend", "search_read", [["id", "=", backend_id]])
    rows += admin_rpc(model, "search_read", [["id", "=", settings_id]])
    assert "rpc-s3cret-value" not in repr(rows)
    stored = admin_rpc(
        "sme.accounting.credential",
        "search_read",
        [["backend_id", "=", backend_id]],
        fields=["name", "ciphertext"],
    )
    assert [row["name"] for row in stored] == ["password"]
    assert all("ciphertext" not in row for row in stored)


def test_trigger_sync_and_read_job_state(admin_rpc, tally_backend):
    backend_id, _sandbox = tally_backend
    with pytest.raises(xmlrpc.client.Fault) as caught:
        admin_rpc("sme.accounting.backend", "sme_sync", backend_id)
    assert "activate it first" in caught.value.faultString
    admin_rpc("sme.accounting.backend", "action_activate", [backend_id])
    jobs = admin_rpc("sme.accounting.backend", "sme_sync", backend_id, "customers")
    assert [job["entity"] for job in jobs] == ["customers"]
    status = admin_rpc("sme.accounting.backend", "sme_job_status", jobs[0]["uuid"])
    assert status["state"] in ("pending", "enqueued", "started", "done")
    assert isinstance(status["logs"], list)
    with pytest.raises(xmlrpc.client.Fault):
        admin_rpc("sme.accounting.backend", "sme_job_status", "no-such-uuid")


def test_marg_and_busy_connections_over_xmlrpc(admin_rpc):
    suffix = uuid.uuid4().hex[:6]
    with pytest.raises(xmlrpc.client.Fault) as caught:
        admin_rpc(
            "sme.accounting.backend",
            "create",
            {"name": "Marg push %s" % suffix, "system": "marg", "direction": "both"},
        )
    assert "can only pull" in caught.value.faultString
    assert "Traceback" not in caught.value.faultString
    marg_id = create_backend(
        admin_rpc,
        {"name": "Marg %s" % suffix, "system": "marg", "direction": "pull"},
        remote_company="SHARMA01",
        api_key="rpc-marg-key",
        password="rpc-decryption-key",
    )
    busy_id = create_backend(
        admin_rpc,
        {"name": "Busy %s" % suffix, "system": "busy"},
        url="http://127.0.0.1:9",
        api_key="rpc-agent-token",
    )
    (marg_model, marg_settings), (busy_model, busy_settings) = settings_of(
        admin_rpc, marg_id
    ), settings_of(admin_rpc, busy_id)
    rows = admin_rpc(
        marg_model,
        "read",
        [marg_settings],
        fields=["api_key", "password", "secrets_set"],
    ) + admin_rpc(
        busy_model, "read", [busy_settings], fields=["api_key", "secrets_set"]
    )
    assert [row["secrets_set"] for row in rows] == ["api_key, password", "api_key"]
    assert "rpc-" not in repr(rows)
    admin_rpc("sme.accounting.backend", "action_activate", [marg_id])
    with pytest.raises(xmlrpc.client.Fault) as caught:
        admin_rpc("sme.accounting.backend", "sme_sync", marg_id, "payments")
    assert "Pullable: customers, invoices" in caught.value.faultString
    jobs = admin_rpc("sme.accounting.backend", "sme_sync", marg_id)
    assert sorted(job["entity"] for job in jobs) == ["customers", "invoices"]


def test_two_jobs_needing_a_token_at_once_refresh_it_once(admin_rpc):
    """Two requests race for an expired Zoho token through a real server and
    PostgreSQL: the row lock lets one refresh; the other finds it fresh."""
    import threading

    import requests

    from sme_connectors.sandbox.testing import running_zoho
    from sme_connectors.sandbox.zoho_server import DEMO_CLIENT

    with running_zoho() as (url, zoho):
        backend_id = create_backend(
            admin_rpc,
            {"name": "Zoho race %s" % uuid.uuid4().hex[:6], "system": "zoho"},
            timeout=10,
            oauth_client_id=DEMO_CLIENT[0],
            client_secret=DEMO_CLIENT[1],
            oauth_url=url,
            url=url + "books/v3/",
            organization_id="60012345678",
        )
        base = admin_rpc("ir.config_parameter", "get_param", "web.base.url")
        code = requests.post(
            url + "_sandbox/code",
            json={
                "redirect_uri": base.rstrip("/") + "/sme_accounting_hub/oauth/callback"
            },
        ).json()["code"]
        wizard = admin_rpc(
            "sme.accounting.oauth.code",
            "create",
            {"backend_id": backend_id, "code": code},
        )
        admin_rpc("sme.accounting.oauth.code", "action_connect", [wizard])
        model, settings_id = settings_of(admin_rpc, backend_id)
        assert admin_rpc(model, "read", [settings_id], fields=["oauth_connected"])[0][
            "oauth_connected"
        ]
        zoho.oauth.expire_all_access_tokens()
        zoho.settings["latency"] = 0.3  # both requests are in flight together
        answers = []

        def test_connection():
            answers.append(
                admin_rpc(
                    "sme.accounting.backend", "action_test_connection", [backend_id]
                )
            )

        threads = [threading.Thread(target=test_connection) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert len(answers) == 2
        assert zoho.oauth.refresh_calls == 1


def test_connect_button_round_trip_through_the_consent_page(odoo_server, admin_rpc):
    """The admin's browser: Connect → the vendor's consent page → back to
    Odoo's callback with a code → tokens stored, the form shown again."""
    import requests

    from sme_connectors.sandbox.quickbooks_server import DEMO_CLIENT
    from sme_connectors.sandbox.testing import running_quickbooks

    browser = requests.Session()
    login = browser.post(
        odoo_server["url"] + "/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {"db": odoo_server["db"], "login": "admin", "password": "admin"},
        },
    ).json()
    assert login["result"]["uid"]
    with running_quickbooks() as (url, quickbooks):
        backend_id = create_backend(
            admin_rpc,
            {
                "name": "QuickBooks web %s" % uuid.uuid4().hex[:6],
                "system": "quickbooks",
            },
            timeout=10,
            oauth_client_id=DEMO_CLIENT[0],
            client_secret=DEMO_CLIENT[1],
            oauth_url=url,
            url=url,
        )
        model, settings_id = settings_of(admin_rpc, backend_id)
        action = browser.post(
            odoo_server["url"] + "/web/dataset/call_kw",
            json={
                "jsonrpc": "2.0",
                "params": {
                    "model": model,
                    "method": "action_oauth_connect",
                    "args": [[settings_id]],
                    "kwargs": {},
                },
            },
        ).json()["result"]
        assert action["url"].startswith(url + "connect/oauth2?")
        landed = browser.get(
            action["url"]
        )  # consent, then Odoo's callback, then the form
        assert landed.status_code == 200
        assert "/web" in landed.url
        values = admin_rpc(
            model, "read", [settings_id], fields=["oauth_connected", "realm_id"]
        )[0]
        values.update(
            admin_rpc(
                "sme.accounting.backend", "read", [backend_id], fields=["last_error"]
            )[0]
        )
        assert (
            values["oauth_connected"],
            values["realm_id"],
            values["last_error"],
        ) == (True, "9341452000000001", False)
        assert admin_rpc(
            "sme.accounting.backend", "action_test_connection", [backend_id]
        )
        replay = browser.get(
            odoo_server["url"] + "/sme_accounting_hub/oauth/callback",
            params={"state": "used-or-unknown", "code": "x"},
        )
        assert (
            replay.status_code == 400 and "unknown or was already used" in replay.text
        )
