# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Public banner routes for storefronts and apps.

``GET /sme/banners/<company_id>``: the company's banners shown today, as
JSON (CORS open: a storefront on another site fetches it from the browser).
Each banner has its image URL, its tracked landing link (link_tracker's
``/r/<code>``: clicks count) and its impression URL
(``GET`` or ``POST /sme/banners/<company_id>/<campaign_id>/impression``:
204, one impression counted).

The database is found as for every public route of Odoo: from the
request's session, else the one database the server's ``dbfilter`` (for
instance by host name) leaves.
"""
import base64
import json
import logging

from odoo import _, fields, http
from odoo.http import request
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.sme_customer_master.tools.arguments import MAX_RECORD_ID

_logger = logging.getLogger(__name__)

ROUTE_OPTIONS = {"type": "http", "auth": "public", "cors": "*", "csrf": False}
# A storefront may cache the list and the images briefly; impressions never.
LIST_MAX_AGE = 60
IMAGE_MAX_AGE = 300


def _no_session_file():
    """A storefront's call comes without a session: Odoo would store one
    session file per call (for the database it found), one per banner
    shown. Nothing is kept in it: not stored."""
    if getattr(request.session, "new", False):
        request.session.modified = False


def _json(payload, status=200, max_age=None):
    headers = [
        ("Content-Type", "application/json; charset=utf-8"),
        (
            "Cache-Control",
            "public, max-age=%d" % max_age if max_age else "no-store",
        ),
    ]
    response = request.make_response(json.dumps(payload), headers=headers)
    response.status_code = status
    return response


def _error(status, message):
    return _json({"error": message}, status)


def _nulls(values):
    """XML-RPC's False for a missing value is JSON's null."""
    return {key: (None if value is False else value) for key, value in values.items()}


class SmeBannerController(http.Controller):
    def _company(self, company_id):
        """The company of the URL, or None."""
        _no_session_file()
        if not 1 <= company_id <= MAX_RECORD_ID:
            return None
        return request.env["res.company"].sudo().browse(company_id).exists() or None

    @http.route(
        "/sme/banners/<int:company_id>", methods=["GET", "OPTIONS"], **ROUTE_OPTIONS
    )
    def banners(self, company_id, **kwargs):
        company = self._company(company_id)
        if not company:
            return _error(404, _("Company %d not found.") % company_id)
        Campaign = request.env["sme.marketing.campaign"].sudo()
        Performance = request.env["sme.marketing.performance"].sudo()
        base_url = request.env["ir.config_parameter"].sudo().get_param("web.base.url")
        banners = Campaign._sme_banners_of(company)._sme_banner_values(base_url)
        return _json(
            {
                "company_id": company.id,
                "date": fields.Date.to_string(Performance._sme_today(company)),
                "banners": [_nulls(banner) for banner in banners],
            },
            max_age=LIST_MAX_AGE,
        )

    @http.route(
        "/sme/banners/<int:company_id>/<int:campaign_id>/image",
        methods=["GET"],
        **ROUTE_OPTIONS,
    )
    def banner_image(self, company_id, campaign_id, **kwargs):
        company = self._company(company_id)
        campaign = company and self._shown(company, campaign_id)
        if not campaign or not campaign.image:
            return _error(
                404,
                _("No banner image %(banner)d in company %(company)d.")
                % {"banner": campaign_id, "company": company_id},
            )
        data = base64.b64decode(campaign.image)
        headers = [
            ("Content-Type", guess_mimetype(data, default="image/png")),
            ("Content-Length", str(len(data))),
            ("Cache-Control", "public, max-age=%d" % IMAGE_MAX_AGE),
        ]
        return request.make_response(data, headers=headers)

    @http.route(
        "/sme/banners/<int:company_id>/<int:campaign_id>/impression",
        # OPTIONS: the browser's CORS preflight of a POST (Odoo answers it).
        methods=["GET", "POST", "OPTIONS"],
        **ROUTE_OPTIONS,
    )
    def banner_impression(self, company_id, campaign_id, **kwargs):
        company = self._company(company_id)
        if not company:
            return _error(404, _("Company %d not found.") % company_id)
        if campaign_id > MAX_RECORD_ID:
            return _error(404, _("Banner %d not found.") % campaign_id)

        def refusal(campaign):
            if (
                not campaign
                or campaign.company_id.id != company.id
                or campaign.campaign_type != "banner"
                or campaign.state == "draft"
            ):
                return (
                    404,
                    _("Banner %(banner)d not found in company %(company)d.")
                    % {"banner": campaign_id, "company": company.id},
                )
            message = campaign._sme_refusal(_("impressions"))
            return (410, message) if message else None

        Performance = request.env["sme.marketing.performance"].sudo()
        _state, refused, _value = Performance._sme_count_apart(
            campaign_id, "impressions", refusal
        )
        if refused:
            return _error(*refused)
        response = request.make_response("", headers=[("Cache-Control", "no-store")])
        response.status_code = 204
        return response

    def _shown(self, company, campaign_id):
        """The campaign if it is one of the company's banners shown today."""
        Campaign = request.env["sme.marketing.campaign"].sudo()
        if campaign_id > MAX_RECORD_ID:
            return None
        today = request.env["sme.marketing.performance"].sudo()._sme_today(company)
        return (
            Campaign.search(
                [("id", "=", campaign_id)] + Campaign._sme_shown_domain(company, today),
                limit=1,
            )
            or None
        )
