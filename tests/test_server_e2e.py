# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The server answers over HTTP and XML-RPC with the SME Hub addons installed."""
import urllib.request
import xmlrpc.client


def test_login_page_answers_200(odoo_server):
    with urllib.request.urlopen(
        odoo_server["url"] + "/web/login", timeout=30
    ) as response:
        assert response.status == 200
        assert b"login" in response.read().lower()


def test_admin_authenticates_over_xmlrpc(odoo_server):
    common = xmlrpc.client.ServerProxy(odoo_server["url"] + "/xmlrpc/2/common")
    assert common.version()["server_version"].startswith("11.0")
    uid = common.authenticate(odoo_server["db"], "admin", "admin", {})
    assert uid == 1
    assert (
        common.authenticate(odoo_server["db"], "admin", "wrong password", {}) is False
    )


def test_sme_addons_installed_as_seen_over_xmlrpc(odoo_server):
    url, db = odoo_server["url"], odoo_server["db"]
    uid = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common").authenticate(
        db, "admin", "admin", {}
    )
    models = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object")
    names = models.execute_kw(
        db,
        uid,
        "admin",
        "ir.module.module",
        "search_read",
        [[["state", "=", "installed"], ["name", "like", "sme_%"]]],
        {"fields": ["name"]},
    )
    # The test database also holds test-only addons (tests/addons/).
    product = sorted(n["name"] for n in names if n["name"] != "sme_hub_sixth_system")
    assert product == ["sme_accounting_hub", "sme_customer_master", "sme_marketing"]
