# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Marketing part 2 as another system and a storefront see it, against a
running server: a campaign created and launched over XML-RPC, its e-mail
sent by the server through a real SMTP server, its banner listed, shown and
clicked over plain HTTP, a lead taken in for it."""
import json
import urllib.error
import urllib.request
import uuid
import xmlrpc.client

import pytest

from sme_connectors.sandbox.smtp_sink import running_smtp_sink

# The launch runs its batch jobs at once in the server: the e2e server has
# no job runner (see conftest.py).
INLINE_JOBS = {"test_queue_job_no_delay": True}


def _phone():
    return "+9197%08d" % (uuid.uuid4().int % 10**8)


def _tag():
    return uuid.uuid4().hex[:6]


def _http(url, method="GET"):
    request = urllib.request.Request(
        url, method=method, data=b"" if method == "POST" else None
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _company_id(rpc):
    return rpc("res.users", "read", [rpc.uid], ["company_id"])[0]["company_id"][0]


def test_email_campaign_sent_through_the_servers_smtp(admin_rpc):
    rpc, tag = admin_rpc, _tag()
    customers = [
        rpc(
            "res.partner",
            "sme_upsert_customer",
            {
                "name": "Mail %s %d" % (tag, n),
                "phone": _phone(),
                "email": "mail-%s-%d@shop.example" % (tag, n),
            },
        )["id"]
        for n in range(3)
    ]
    rpc("res.partner", "write", [customers[2]], {"opt_out": True})
    category = rpc("res.partner.category", "create", {"name": "e2e %s" % tag})
    rpc("res.partner", "write", customers, {"category_id": [(4, category)]})
    with running_smtp_sink() as sink:
        rpc(
            "ir.mail_server",
            "write",
            rpc("ir.mail_server", "search", [("active", "=", True)]),
            {"active": False},
        )
        server_id = rpc(
            "ir.mail_server",
            "create",
            {
                "name": "e2e sink %s" % tag,
                "smtp_host": "127.0.0.1",
                "smtp_port": sink.port,
                "sequence": 1,
            },
        )
        try:
            audience = rpc(
                "sme.marketing.audience",
                "create",
                {"name": "Tagged %s" % tag, "category_ids": [(6, 0, [category])]},
            )
            campaign = rpc(
                "sme.marketing.campaign",
                "create",
                {
                    "name": "Diwali mail %s" % tag,
                    "campaign_type": "email",
                    "audience_id": audience,
                    "email_subject": "Diwali offers %s" % tag,
                    "email_body": "<p>Lights at 20%% off: "
                    "<a href='https://shop.example/diwali'>see them</a></p>",
                    "email_from": "offers@shop.example",
                },
            )
            rpc(
                "sme.marketing.campaign",
                "action_launch",
                [campaign],
                context=INLINE_JOBS,
            )
        finally:
            rpc("ir.mail_server", "write", [server_id], {"active": False})
        received = sorted(
            address for message in sink.messages for address in message.recipients
        )
    assert received == sorted("mail-%s-%d@shop.example" % (tag, n) for n in range(2))
    states = {
        row["partner_id"][0]: row["state"]
        for row in rpc(
            "sme.marketing.recipient",
            "search_read",
            [("campaign_id", "=", campaign)],
            ["partner_id", "state"],
        )
    }
    assert states[customers[2]] == "skipped"
    assert {states[customers[0]], states[customers[1]]} == {"sent"}


def test_banner_listed_shown_and_clicked_over_http(admin_rpc, odoo_server):
    rpc, tag, base = admin_rpc, _tag(), odoo_server["url"]
    company = _company_id(rpc)
    campaign = rpc(
        "sme.marketing.campaign",
        "create",
        {
            "name": "Banner %s" % tag,
            "campaign_type": "banner",
            "title": "Monsoon sale %s" % tag,
            "badge": "-30%",
            "cta_text": "Shop now",
            "landing_url": "https://shop.example/monsoon",
            "max_impressions": 2,
        },
    )
    rpc("sme.marketing.campaign", "action_launch", [campaign])

    status, headers, body = _http("%s/sme/banners/%d" % (base, company))
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    banners = {b["id"]: b for b in json.loads(body.decode())["banners"]}
    banner = banners[campaign]
    assert banner["title"] == "Monsoon sale %s" % tag

    for _n in range(2):
        status, _h, _b = _http(banner["impression_url"], "POST")
        assert status == 204
    # The cap of two impressions paused it: the next one is refused.
    status, _h, body = _http(banner["impression_url"], "POST")
    assert status == 410, body
    state = rpc("sme.marketing.campaign", "read", [campaign], ["state"])[0]["state"]
    assert state == "paused"

    # A click through link_tracker's short link is counted for the campaign.
    rpc("sme.marketing.campaign", "write", [campaign], {"max_impressions": 0})
    rpc("sme.marketing.campaign", "action_resume", [campaign])
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(banner["landing_url"], timeout=30)
    except urllib.error.HTTPError as redirect:
        assert redirect.code in (301, 302, 303)
        assert redirect.headers["Location"].startswith("https://shop.example/monsoon")
    else:
        pytest.fail("the tracked link did not redirect")
    performance = rpc(
        "sme.marketing.performance",
        "search_read",
        [("campaign_id", "=", campaign)],
        ["impressions", "clicks"],
    )
    assert sum(row["impressions"] for row in performance) == 2
    assert sum(row["clicks"] for row in performance) == 1


def test_lead_intake_for_an_active_campaign_only(admin_rpc):
    rpc, tag = admin_rpc, _tag()
    campaign = rpc(
        "sme.marketing.campaign",
        "create",
        {
            "name": "Social %s" % tag,
            "campaign_type": "social",
            "landing_url": "https://shop.example/social",
        },
    )
    values = {
        "name": "Lead %s" % tag,
        "phone": _phone(),
        "source": "Instagram",
        "campaign": campaign,
    }
    with pytest.raises(xmlrpc.client.Fault) as refused:
        rpc("crm.lead", "sme_intake_lead", values)
    assert "only active campaigns take leads" in refused.value.faultString
    assert "Traceback" not in refused.value.faultString

    rpc("sme.marketing.campaign", "action_launch", [campaign])
    lead = rpc("crm.lead", "sme_intake_lead", values)
    again = rpc("crm.lead", "sme_intake_lead", values)
    assert lead["is_new"] and not again["is_new"] and again["id"] == lead["id"]
    utm = rpc("sme.marketing.campaign", "read", [campaign], ["campaign_id"])[0]
    read = rpc("crm.lead", "read", [lead["id"]], ["campaign_id", "sme_status"])[0]
    assert read["campaign_id"][0] == utm["campaign_id"][0]
    assert read["sme_status"] == "new"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
