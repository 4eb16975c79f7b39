# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Connect the demo's Zoho Books and QuickBooks connections to their
sandboxes once Odoo answers (run in the background by scripts/run.sh).

It does over XML-RPC what an admin does on the form with "Paste a code":
the sandbox hands out a consent code, the hub exchanges it for tokens; then
the connection is activated. Connections already connected are left alone.

    python scripts/connect-demo.py http://localhost:8069 sme_demo
"""
import sys
import time
import xmlrpc.client

import requests

DEMO = (
    "sme_accounting_hub.sme_accounting_backend_zoho_demo",
    "sme_accounting_hub.sme_accounting_backend_quickbooks_demo",
)


def wait_for(url, seconds=300):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if requests.get(url, timeout=5).status_code < 500:
                return True
        except requests.RequestException:
            pass
        time.sleep(2)
    return False


def main(url, db, login="admin", password="admin"):
    if not wait_for(url + "/web/login"):
        sys.exit("connect-demo: Odoo did not answer at %s" % url)
    uid = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common").authenticate(
        db, login, password, {}
    )
    models = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)

    def call(model, method, *args, **kwargs):
        return models.execute_kw(db, uid, password, model, method, list(args), kwargs)

    base = call("ir.config_parameter", "get_param", "web.base.url").rstrip("/")
    for xml_id in DEMO:
        module, name = xml_id.split(".")
        found = call(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        if not found:
            continue
        backend_id = found[0]["res_id"]
        backend = call(
            "sme.accounting.backend",
            "read",
            [backend_id],
            fields=["name", "settings_ref"],
        )[0]
        model, settings_id = backend["settings_ref"].split(
            ","
        )  # the system's settings record
        backend.update(
            call(
                model,
                "read",
                [int(settings_id)],
                fields=["oauth_url", "oauth_connected"],
            )[0]
        )
        if backend["oauth_connected"]:
            continue
        sandbox = backend["oauth_url"].rstrip("/") + "/"
        if not wait_for(sandbox + "_sandbox/state", 60):
            print("connect-demo: the sandbox of %s does not answer" % backend["name"])
            continue
        answer = requests.post(
            sandbox + "_sandbox/code",
            json={"redirect_uri": base + "/sme_accounting_hub/oauth/callback"},
        ).json()
        wizard = call(
            "sme.accounting.oauth.code",
            "create",
            {
                "backend_id": backend_id,
                "code": answer["code"],
                "realm_id": answer.get("realmId") or False,
            },
        )
        call("sme.accounting.oauth.code", "action_connect", [wizard])
        call("sme.accounting.backend", "action_activate", [backend_id])
        print("connect-demo: %s connected and active" % backend["name"], flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
