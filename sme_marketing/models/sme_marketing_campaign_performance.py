# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .sme_marketing_performance import _roi

# Longest run of days the "Refresh performance" button rebuilds at once.
MAX_REFRESH_DAYS = 731


class SmeMarketingCampaign(models.Model):
    """Performance of a campaign: its totals (smart buttons), the budget
    caps, banners for storefronts and apps, impressions and clicks over
    XML-RPC, and the attribution of invoices."""

    _inherit = "sme.marketing.campaign"

    total_impressions = fields.Integer(
        "Impressions", compute="_compute_performance_totals"
    )
    total_clicks = fields.Integer(
        "Clicks (days)", compute="_compute_performance_totals"
    )
    total_conversions = fields.Integer(
        "Conversions", compute="_compute_performance_totals"
    )
    total_revenue = fields.Monetary("Revenue", compute="_compute_performance_totals")
    total_cost = fields.Monetary("Cost", compute="_compute_performance_totals")
    roi = fields.Float(
        "ROI",
        digits=(16, 4),
        compute="_compute_performance_totals",
        help="(revenue - cost) / cost over every day; 0 when nothing was spent.",
    )

    @api.multi
    def _compute_performance_totals(self):
        totals = self.env["sme.marketing.performance"].sudo()._sme_totals(self)
        for campaign in self:
            values = totals.get(campaign.id) or {}
            campaign.total_impressions = values.get("impressions", 0)
            campaign.total_clicks = values.get("clicks", 0)
            campaign.total_conversions = values.get("conversions", 0)
            campaign.total_revenue = values.get("revenue", 0.0)
            campaign.total_cost = values.get("cost", 0.0)
            campaign.roi = _roi(campaign.total_revenue, campaign.total_cost)

    @api.multi
    def write(self, vals):
        result = super(SmeMarketingCampaign, self).write(vals)
        if vals.get("landing_url"):
            # A running campaign's new landing page gets its tracked link
            # now: banners and shared links point to the page of the day.
            for campaign in self.filtered(lambda c: c.state in ("active", "paused")):
                campaign._sme_make_tracked_link()
        return result

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    @api.multi
    def action_refresh_performance(self):
        """Rebuild every day of the campaigns, from their start (or first
        figures) to today."""
        self.check_access_rule("read")
        Performance = self.env["sme.marketing.performance"].sudo()
        for campaign in self.sudo():
            today = Performance._sme_today(campaign.company_id)
            starts = [today]
            if campaign.date_start:
                starts.append(fields.Date.from_string(campaign.date_start))
            first_row = Performance.search(
                [("campaign_id", "=", campaign.id)], order="date", limit=1
            )
            if first_row:
                starts.append(fields.Date.from_string(first_row.date))
            first = max(min(starts), today - timedelta(days=MAX_REFRESH_DAYS))
            days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
            Performance._sme_refresh(campaign, days)
        return True

    @api.multi
    def action_view_performance(self):
        self.ensure_one()
        action = self.env.ref("sme_marketing.sme_marketing_performance_action").read()[
            0
        ]
        action["domain"] = [("campaign_id", "=", self.id)]
        return action

    @api.multi
    def action_sme_tracked_link(self):
        """The landing page as a tracked link, to share by hand (social,
        promotional, seasonal, product launch, loyalty): its clicks count
        like a banner's."""
        for campaign in self:
            if not campaign.landing_url:
                raise UserError(
                    _("%s has no landing page: give one to get a tracked link.")
                    % campaign.name
                )
            campaign._sme_make_tracked_link()
        return True

    # ------------------------------------------------------------------
    # Budget caps
    # ------------------------------------------------------------------
    @api.multi
    def _sme_check_caps(self):
        """Pause the active campaigns that reached a cap: max impressions,
        max clicks (0 = no cap), or a budget spent by the messages sent
        (cost per message). A budget spread over the days is never spent
        beyond itself: it caps nothing. Returns the campaigns paused."""
        campaigns = self.sudo().filtered(
            lambda c: c.state == "active"
            and (
                c.max_impressions
                or c.max_clicks
                or (c.budget > 0 and c.cost_per_message > 0)
            )
        )
        if not campaigns:
            return self.browse()
        Performance = self.env["sme.marketing.performance"].sudo()
        totals = Performance._sme_totals(campaigns)
        clicks = campaigns._sme_live_clicks()
        paused = self.browse()
        for campaign in campaigns:
            figures = totals[campaign.id]
            reason = None
            if (
                campaign.max_impressions
                and figures["impressions"] >= campaign.max_impressions
            ):
                reason = _(
                    "the impressions cap is reached (%(count)d impressions, "
                    "cap %(cap)d)."
                ) % {"count": figures["impressions"], "cap": campaign.max_impressions}
            elif campaign.max_clicks and clicks[campaign.id] >= campaign.max_clicks:
                reason = _(
                    "the clicks cap is reached (%(count)d clicks, cap %(cap)d)."
                ) % {"count": clicks[campaign.id], "cap": campaign.max_clicks}
            elif (
                campaign.budget > 0
                and campaign.cost_per_message > 0
                and Performance._sme_cost_reached(campaign, figures["cost"])
            ):
                reason = _(
                    "the budget is spent (cost %(cost).2f %(currency)s of a "
                    "budget of %(budget).2f)."
                ) % {
                    "cost": figures["cost"],
                    "currency": campaign.currency_id.name,
                    "budget": campaign.budget,
                }
            if reason:
                paused |= campaign._sme_pause(reason)
        return paused

    @api.multi
    def _sme_live_clicks(self):
        """{campaign id: clicks so far} counted on link_tracker's clicks
        themselves (the day rows may not be refreshed yet)."""
        clicks = dict.fromkeys(self.ids, 0)
        utm_to_campaign = {c.campaign_id.id: c.id for c in self}
        if utm_to_campaign:
            self.env.cr.execute(
                "SELECT link.campaign_id, count(*) FROM link_tracker_click click"
                " JOIN link_tracker link ON link.id = click.link_id"
                " WHERE link.campaign_id IN %s GROUP BY link.campaign_id",
                (tuple(utm_to_campaign),),
            )
            for utm_id, count in self.env.cr.fetchall():
                clicks[utm_to_campaign[utm_id]] = count
        return clicks

    # ------------------------------------------------------------------
    # Banners, impressions and clicks (storefronts, apps, XML-RPC)
    # ------------------------------------------------------------------
    @api.model
    def _sme_shown_domain(self, company, today):
        return [
            ("company_id", "=", company.id),
            ("campaign_type", "=", "banner"),
            ("state", "=", "active"),
            "|",
            ("date_start", "=", False),
            ("date_start", "<=", fields.Date.to_string(today)),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", fields.Date.to_string(today)),
        ]

    @api.model
    def _sme_banners_of(self, company):
        """The company's banners shown today, by priority."""
        today = self.env["sme.marketing.performance"]._sme_today(company)
        return self.sudo().search(
            self._sme_shown_domain(company, today),
            order="priority, date_start desc, id",
        )

    @api.multi
    def _sme_banner_values(self, base_url):
        """What a storefront needs of each banner. Missing values are
        False (XML-RPC has no null)."""
        base_url = (base_url or "").rstrip("/")
        banners = []
        for campaign in self.sudo():
            link = campaign.link_tracker_id
            if campaign.landing_url and not link:
                # Launched before it had a landing page and not written
                # since: the link is made once, here.
                link = campaign._sme_make_tracked_link()
            prefix = "%s/sme/banners/%d/%d" % (
                base_url,
                campaign.company_id.id,
                campaign.id,
            )
            banners.append(
                {
                    "id": campaign.id,
                    "name": campaign.name,
                    "title": campaign.title or campaign.name,
                    "description": campaign.description or False,
                    "image_url": campaign.image and prefix + "/image" or False,
                    "badge": campaign.badge or False,
                    "cta_text": campaign.cta_text or False,
                    "landing_url": link.short_url if link else False,
                    "impression_url": prefix + "/impression",
                    "priority": int(campaign.priority),
                    "date_start": campaign.date_start or False,
                    "date_end": campaign.date_end or False,
                }
            )
        return banners

    @api.multi
    def _sme_refusal(self, what, today=None):
        """Why the campaign takes no ``what`` (impressions, clicks) today,
        in words; None when it does."""
        self.ensure_one()
        campaign = self.sudo()
        today = today or self.env["sme.marketing.performance"]._sme_today(
            campaign.company_id
        )
        state = dict(self._fields["state"].selection)[campaign.state].lower()
        if campaign.state != "active":
            return _("Campaign %(name)s is %(state)s: it takes no %(what)s.") % {
                "name": campaign.name,
                "state": state,
                "what": what,
            }
        if campaign.date_start and fields.Date.from_string(campaign.date_start) > today:
            return _(
                "Campaign %(name)s starts on %(date)s: it takes no %(what)s yet."
            ) % {"name": campaign.name, "date": campaign.date_start, "what": what}
        if campaign.date_end and fields.Date.from_string(campaign.date_end) < today:
            return _("Campaign %(name)s ended on %(date)s: it takes no %(what)s.") % {
                "name": campaign.name,
                "date": campaign.date_end,
                "what": what,
            }
        return None

    @api.model
    def sme_active_banners(self, company_id=None):
        """The banners a storefront or app shows today for the company
        (the user's by default): ``[{'id', 'name', 'title', 'description',
        'image_url', 'badge', 'cta_text', 'landing_url' (the tracked link:
        clicks count), 'impression_url', 'priority', 'date_start',
        'date_end'}]`` by priority. The same as the public
        ``GET /sme/banners/<company_id>``."""
        company = self.env["res.company"]._sme_company_for_call(company_id)
        self.check_access_rights("read")
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        return self._sme_banners_of(company)._sme_banner_values(base_url)

    @api.model
    def sme_record_impression(self, campaign_id, company_id=None):
        """Count one impression of an active campaign (a banner or post
        shown). Unknown campaigns, those of another company and those not
        running today are refused with a message. Returns ``{'campaign_id',
        'date', 'impressions' (of the day), 'total_impressions', 'state'}``
        (the state is 'paused' when this impression reached the cap)."""
        campaign = self._sme_campaign_for_call(campaign_id, company_id)
        Performance = self.env["sme.marketing.performance"].sudo()
        today = Performance._sme_today(campaign.company_id)
        refusal = campaign._sme_refusal(_("impressions"), today)
        if refusal:
            raise UserError(refusal)
        value = Performance._sme_bump(campaign, "impressions", day=today)
        campaign.invalidate_cache()
        return {
            "campaign_id": campaign.id,
            "date": fields.Date.to_string(today),
            "impressions": value,
            "total_impressions": campaign.total_impressions,
            "state": campaign.state,
        }

    @api.model
    def sme_record_click(self, campaign_id, company_id=None):
        """Count one click on an active campaign's tracked link, for apps
        that open the landing page themselves (browsers go through the
        link: ``/r/<code>`` counts). Refused like impressions; a campaign
        without a landing page has no link to count on. Returns
        ``{'campaign_id', 'date', 'clicks' (of the day), 'total_clicks',
        'state'}``."""
        campaign = self._sme_campaign_for_call(campaign_id, company_id)
        Performance = self.env["sme.marketing.performance"].sudo()
        today = Performance._sme_today(campaign.company_id)
        refusal = campaign._sme_refusal(_("clicks"), today)
        if refusal:
            raise UserError(refusal)
        if not campaign.landing_url:
            raise UserError(
                _("Campaign %s has no landing page: clicks are counted on its link.")
                % campaign.name
            )
        link = campaign.sudo()._sme_make_tracked_link()
        self.env["link.tracker.click"].sudo().create(
            {"link_id": link.id, "click_date": fields.Date.to_string(today)}
        )
        value = Performance._sme_refresh_clicks(campaign, today)
        campaign.invalidate_cache()
        return {
            "campaign_id": campaign.id,
            "date": fields.Date.to_string(today),
            "clicks": value,
            "total_clicks": campaign.sudo()._sme_live_clicks()[campaign.id],
            "state": campaign.state,
        }

    # ------------------------------------------------------------------
    # Attribution of customer invoices
    # ------------------------------------------------------------------
    @api.model
    def _sme_attribute_invoice(self, invoice):
        """At validation: a customer invoice without a campaign gets the
        campaign that last reached its customer (a message sent, a reply, a
        click in a mailing, a lead of the campaign) within that campaign's
        attribution window before the invoice date. The day's figures of
        the invoice's campaign are refreshed (a first invoice converts).
        Returns the campaign (empty when none)."""
        invoice = invoice.sudo()
        if (
            invoice.type != "out_invoice"
            or invoice.state not in ("open", "paid")
            or "campaign_id" not in invoice._fields
        ):
            return self.browse()
        if not invoice.campaign_id:
            campaign = self._sme_last_touch(
                invoice.commercial_partner_id,
                invoice.company_id,
                fields.Date.from_string(invoice.date_invoice),
            )
            if campaign:
                values = {"campaign_id": campaign.campaign_id.id}
                if not invoice.medium_id and campaign.medium_id:
                    values["medium_id"] = campaign.medium_id.id
                if not invoice.source_id and campaign.source_id:
                    values["source_id"] = campaign.source_id.id
                invoice.write(values)
        campaigns = self.sudo().search(
            [
                ("campaign_id", "=", invoice.campaign_id.id),
                ("company_id", "=", invoice.company_id.id),
            ]
        )
        if campaigns and invoice.date_invoice:
            self.env["sme.marketing.performance"].sudo()._sme_refresh(
                campaigns, [invoice.date_invoice]
            )
        return campaigns[:1]

    @api.model
    def _sme_on_invoice_paid(self, invoice):
        """Revenue counts on the day of the payment: that day's figures of
        the invoice's campaign are rebuilt (an invoice validated before its
        campaign existed is attributed now)."""
        invoice = invoice.sudo()
        if "campaign_id" not in invoice._fields or invoice.type != "out_invoice":
            return self.browse()
        campaign = self._sme_attribute_invoice(invoice)
        if not campaign:
            return campaign
        dates = invoice.payment_move_line_ids.mapped("date")
        Performance = self.env["sme.marketing.performance"].sudo()
        day = max(dates) if dates else Performance._sme_today(invoice.company_id)
        Performance._sme_refresh(campaign, [day])
        return campaign

    @api.model
    def _sme_last_touch(self, partner, company, day):
        """The campaign of ``company`` that last reached ``partner`` (or its
        contacts) within its attribution window before ``day``; ties go to
        the newer campaign."""
        if not partner or not day:
            return self.browse()
        if not self.sudo().search_count([("company_id", "=", company.id)]):
            # No campaign in the company (the hub importing invoices into a
            # company without marketing): nothing to look for.
            return self.browse()
        partner_ids = tuple(
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("id", "child_of", partner.id)])
            .ids
        )
        self.env.cr.execute(
            "SELECT r.campaign_id, r.date_sent FROM sme_marketing_recipient r"
            " WHERE r.partner_id IN %(partners)s AND r.company_id = %(company)s"
            " AND r.date_sent IS NOT NULL"
            " UNION ALL"
            " SELECT r.campaign_id, r.date_replied FROM sme_marketing_recipient r"
            " WHERE r.partner_id IN %(partners)s AND r.company_id = %(company)s"
            " AND r.date_replied IS NOT NULL"
            " UNION ALL"
            " SELECT r.campaign_id, stat.clicked FROM sme_marketing_recipient r"
            " JOIN mail_mail_statistics stat ON stat.id = r.mail_stat_id"
            " WHERE r.partner_id IN %(partners)s AND r.company_id = %(company)s"
            " AND stat.clicked IS NOT NULL"
            " UNION ALL"
            " SELECT c.id, lead.create_date FROM crm_lead lead"
            " JOIN sme_marketing_campaign c ON c.campaign_id = lead.campaign_id"
            " WHERE lead.partner_id IN %(partners)s AND c.company_id = %(company)s",
            {"partners": partner_ids, "company": company.id},
        )
        touches = self.env.cr.fetchall()
        if not touches:
            return self.browse()
        campaigns = self.sudo().browse({row[0] for row in touches})
        window = {c.id: c.attribution_days or 0 for c in campaigns}
        tz = pytz.timezone(self.env["sme.marketing.performance"]._sme_tz(company))
        best = None
        for campaign_id, moment in touches:
            moment = fields.Datetime.from_string(moment)
            touched = pytz.utc.localize(moment).astimezone(tz).date()
            if not day - timedelta(days=window[campaign_id]) <= touched <= day:
                continue
            if best is None or (moment, campaign_id) > best:
                best = (moment, campaign_id)
        return self.sudo().browse(best[1]) if best else self.browse()
