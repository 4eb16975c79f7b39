# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

import psycopg2

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class LinkTrackerClick(models.Model):
    """link_tracker's clicks (``/r/<code>``, and mass_mailing's
    ``/r/<code>/m/<stat>``) on a campaign's link count in the campaign's
    clicks of the day, and may reach its clicks cap."""

    _inherit = "link.tracker.click"

    @api.model
    def add_click(self, code, ip, country_code, stat_id=False):
        result = super(LinkTrackerClick, self).add_click(
            code, ip, country_code, stat_id=stat_id
        )
        self.sudo()._sme_after_click(code)
        return result

    def _get_click_values_from_route(self, route_values):
        values = super(LinkTrackerClick, self)._get_click_values_from_route(
            route_values
        )
        if not values.get("click_date") and values.get("link_id"):
            link = self.env["link.tracker"].browse(values["link_id"])
            values["click_date"] = fields.Date.to_string(self._sme_click_day(link))
        return values

    @api.model
    def _sme_campaigns_of(self, link):
        if not link or not link.campaign_id:
            return self.env["sme.marketing.campaign"]
        return (
            self.env["sme.marketing.campaign"]
            .sudo()
            .search([("campaign_id", "=", link.campaign_id.id)])
        )

    @api.model
    def _sme_click_day(self, link):
        """The campaign company's day (link_tracker leaves click_date
        empty): the click counts on the same day as the impressions."""
        campaign = self._sme_campaigns_of(link)[:1]
        if campaign:
            return self.env["sme.marketing.performance"]._sme_today(campaign.company_id)
        return fields.Date.from_string(fields.Date.context_today(self))

    @api.model
    def _sme_after_click(self, code):
        code_record = self.env["link.tracker.code"].search(
            [("code", "=", code)], limit=1
        )
        campaigns = self._sme_campaigns_of(code_record.link_id)
        Performance = self.env["sme.marketing.performance"].sudo()
        for campaign in campaigns:
            try:
                with self.env.cr.savepoint():
                    Performance._sme_refresh_clicks(
                        campaign, Performance._sme_today(campaign.company_id)
                    )
            except psycopg2.OperationalError:
                # A concurrent update: Odoo runs the whole request again.
                raise
            except Exception:  # noqa: B902 - the visitor is redirected anyway
                # The click itself is recorded: the daily refresh rebuilds
                # the figures; a redirect never fails for statistics.
                _logger.exception("Counting a click of campaign %s failed", campaign.id)
