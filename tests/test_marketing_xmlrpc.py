# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""sme_marketing's public methods over XML-RPC against a running server."""
import uuid
import xmlrpc.client

import pytest


def _phone():
    return "+9197%08d" % (uuid.uuid4().int % 10**8)


def test_referral_flow_over_xmlrpc(admin_rpc):
    referrer = admin_rpc(
        "res.partner", "sme_upsert_customer", {"name": "Asha Rao", "phone": _phone()}
    )
    code = admin_rpc("sme.customer.health", "sme_get_referral_code", referrer["id"])
    assert len(code) == 9 and code[4] == "-"
    arrived = admin_rpc(
        "res.partner",
        "sme_upsert_customer",
        {"name": "Meera Iyer", "phone": _phone()},
        referral_code=code,
    )
    assert arrived["is_new"] is True
    assert arrived["referral"]["status"] == "pending"
    referral = admin_rpc(
        "sme.referral",
        "read",
        [arrived["referral"]["referral_id"]],
        fields=["referrer_id", "status"],
    )[0]
    assert referral["referrer_id"][0] == referrer["id"]


def test_post_scores_over_xmlrpc(admin_rpc):
    customer = admin_rpc(
        "res.partner", "sme_upsert_customer", {"name": "Ravi Kumar", "phone": _phone()}
    )
    summary = admin_rpc(
        "sme.customer.health",
        "sme_post_scores",
        customer["id"],
        {"support": 90, "usage": 30},
        "Helpdesk nightly",
    )
    assert summary["support_score"] == 90 and summary["usage_score"] == 30
    assert summary["segment"] in ("healthy", "at_risk", "critical")
    history = admin_rpc(
        "sme.customer.health.history",
        "search_read",
        [["partner_id", "=", customer["id"]], ["score", "=", "support"]],
        fields=["old_value", "new_value", "reason"],
    )
    assert [(h["new_value"], h["reason"]) for h in history] == [
        (90, "Helpdesk nightly")
    ]
    with pytest.raises(xmlrpc.client.Fault) as caught:
        admin_rpc(
            "sme.customer.health", "sme_post_scores", customer["id"], {"support": 300}
        )
    assert "0 to 100" in caught.value.faultString


def _clear_fault(call, *args, **kwargs):
    with pytest.raises(xmlrpc.client.Fault) as caught:
        call(*args, **kwargs)
    assert "Traceback" not in caught.value.faultString, caught.value.faultString
    return caught.value.faultString


def test_wrong_kinds_of_arguments_are_clear_faults(admin_rpc):
    """Issue 14, point 4: referral codes, customer ids, reasons and scores
    of the wrong kind are named in the refusal."""
    customer = admin_rpc(
        "res.partner", "sme_upsert_customer", {"name": "Kiran Shah", "phone": _phone()}
    )
    phone = _phone()
    for code in [["K7QX-M2PA"], {"code": "K7QX-M2PA"}, 12345678, "K" * 40]:
        assert "referral_code" in _clear_fault(
            admin_rpc,
            "res.partner",
            "sme_upsert_customer",
            {"name": "Meera Iyer", "phone": phone},
            referral_code=code,
        )
        assert "referral_code" in _clear_fault(
            admin_rpc,
            "res.partner",
            "sme_upsert_customer",
            {"name": "Meera Iyer", "phone": phone, "referral_code": code},
        )
    assert admin_rpc("res.partner", "sme_find_customer_by_phone", phone) is False
    for partner_id in ["abc", [customer["id"]], {"id": 1}, 1.5]:
        for method, args in [
            ("sme_get_referral_code", ()),
            ("sme_post_scores", ({"support": 50},)),
            ("sme_record_campaign_response", ()),
        ]:
            assert "partner_id must be a record id" in _clear_fault(
                admin_rpc, "sme.customer.health", method, partner_id, *args
            )
    assert "reason must be a text" in _clear_fault(
        admin_rpc,
        "sme.customer.health",
        "sme_post_scores",
        customer["id"],
        {"support": 50},
        ["why"],
    )
    assert "0 to 100" in _clear_fault(
        admin_rpc,
        "sme.customer.health",
        "sme_post_scores",
        customer["id"],
        {"support": float("nan")},
    )
    assert "company_id must be a record id" in _clear_fault(
        admin_rpc,
        "sme.customer.health",
        "sme_get_referral_code",
        customer["id"],
        company_id="1",
    )


def test_loyalty_and_commissions_over_xmlrpc(admin_rpc):
    """Part 3's public methods as another system calls them: points for a
    loyalty campaign's action, balance, history, leaderboard, redemption as
    a credit note; a commission statement asked for a customer who is no
    channel partner is refused in words."""
    rpc = admin_rpc
    customer = rpc(
        "res.partner", "sme_upsert_customer", {"name": "Loyal Lata", "phone": _phone()}
    )["id"]
    campaign = rpc(
        "sme.marketing.campaign",
        "create",
        {
            "name": "Survey points %s" % uuid.uuid4().hex[:6],
            "campaign_type": "loyalty",
            "landing_url": "https://shop.example/survey",
        },
    )
    rpc("sme.marketing.campaign", "action_launch", [campaign])
    award = rpc(
        "sme.loyalty.move",
        "sme_award_campaign_points",
        campaign,
        customer,
        150,
        "Filled the survey",
    )
    again = rpc(
        "sme.loyalty.move",
        "sme_award_campaign_points",
        campaign,
        customer,
        150,
        "Filled the survey",
    )
    assert award["created"] is True and again["created"] is False
    assert rpc("sme.loyalty.move", "sme_loyalty_balance", customer)["balance"] == 150
    history = rpc("sme.loyalty.move", "sme_loyalty_history", customer)
    assert [(move["kind"], move["points"]) for move in history] == [("earned", 150)]

    board = rpc("sme.loyalty.leaderboard", "sme_loyalty_leaderboard", "month")
    assert isinstance(board, list)

    with pytest.raises(xmlrpc.client.Fault) as refused:
        rpc("sme.loyalty.move", "sme_redeem_points", customer, 500)
    assert "cannot be redeemed" in refused.value.faultString
    assert "Traceback" not in refused.value.faultString
    redeemed = rpc("sme.loyalty.move", "sme_redeem_points", customer, 100)
    assert redeemed["balance"] == 50 and redeemed["credit_note_id"]
    refund = rpc(
        "account.invoice", "read", [redeemed["credit_note_id"]], ["type", "state"]
    )[0]
    assert refund["type"] == "out_refund"

    with pytest.raises(xmlrpc.client.Fault) as not_agent:
        rpc(
            "res.partner",
            "sme_commission_statement",
            customer,
            "2026-01-01",
            "2026-01-31",
        )
    assert "is not a channel partner" in not_agent.value.faultString
    assert "Traceback" not in not_agent.value.faultString
