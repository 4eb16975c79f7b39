"""sme_marketing's public methods over XML-RPC against a running server."""
import uuid
import xmlrpc.client

import pytest


def _phone():
    return "+9197%08d" % (uuid.uuid4().int % 10 ** 8)


def test_referral_flow_over_xmlrpc(admin_rpc):
    referrer = admin_rpc("res.partner", "sme_upsert_customer", {"name": "Asha Rao", "phone": _phone()})
    code = admin_rpc("sme.customer.health", "sme_get_referral_code", referrer["id"])
    assert len(code) == 9 and code[4] == "-"
    arrived = admin_rpc("res.partner", "sme_upsert_customer",
                        {"name": "Meera Iyer", "phone": _phone()}, referral_code=code)
    assert arrived["is_new"] is True
    assert arrived["referral"]["status"] == "pending"
    referral = admin_rpc("sme.referral", "read", [arrived["referral"]["referral_id"]],
                         fields=["referrer_id", "status"])[0]
    assert referral["referrer_id"][0] == referrer["id"]


def test_post_scores_over_xmlrpc(admin_rpc):
    customer = admin_rpc("res.partner", "sme_upsert_customer", {"name": "Ravi Kumar", "phone": _phone()})
    summary = admin_rpc("sme.customer.health", "sme_post_scores", customer["id"],
                        {"support": 90, "usage": 30}, "Helpdesk nightly")
    assert summary["support_score"] == 90 and summary["usage_score"] == 30
    assert summary["segment"] in ("healthy", "at_risk", "critical")
    history = admin_rpc("sme.customer.health.history", "search_read",
                        [["partner_id", "=", customer["id"]], ["score", "=", "support"]],
                        fields=["old_value", "new_value", "reason"])
    assert [(h["new_value"], h["reason"]) for h in history] == [(90, "Helpdesk nightly")]
    with pytest.raises(xmlrpc.client.Fault) as caught:
        admin_rpc("sme.customer.health", "sme_post_scores", customer["id"], {"support": 300})
    assert "0 to 100" in caught.value.faultString
