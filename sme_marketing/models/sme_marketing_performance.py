# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import datetime, timedelta

import pytz
from psycopg2 import sql
from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import SUPERUSER_ID, api, fields, models
from odoo.sql_db import TestCursor
from odoo.tools import float_compare, float_round

from .sme_marketing_campaign import CAMPAIGN_TYPES

_logger = logging.getLogger(__name__)

# Counters a caller may bump live (``_sme_bump``). Only these names ever
# reach the SQL, as identifiers: the list is the guard.
COUNTERS = (
    "impressions",
    "clicks",
    "sent",
    "delivered",
    "bounced",
    "opened",
    "replied",
    "conversions",
)
# What ``_sme_refresh`` rebuilds from the sources (link_tracker clicks,
# recipients, mailing statistics, leads, invoices). Impressions have no
# other source than the live count: a refresh leaves them as they are.
DERIVED = (
    "clicks",
    "sent",
    "delivered",
    "bounced",
    "opened",
    "replied",
    "conversions",
    "revenue",
    "cost",
    "roi",
)
ROI_DIGITS = 4


def day_string(value):
    """'YYYY-MM-DD' of a date or of a date string (Odoo 11 reads dates as
    strings, PostgreSQL's answers to raw SQL too)."""
    if isinstance(value, str):
        return value[:10]
    return fields.Date.to_string(value)


def day_date(value):
    return fields.Date.from_string(day_string(value))


def _sql_day(column):
    """SQL for the calendar day, in the timezone ``%(tz)s``, of a UTC
    timestamp column (how Odoo stores datetimes)."""
    return "((%s AT TIME ZONE 'UTC') AT TIME ZONE %%(tz)s)::date" % column


def _roi(revenue, cost):
    """(revenue - cost) / cost; 0 when nothing was spent: a ratio over no
    cost means nothing, and 0 keeps sums and charts readable."""
    if cost <= 0:
        return 0.0
    return float_round((revenue - cost) / cost, ROI_DIGITS)


class SmeMarketingPerformance(models.Model):
    """A campaign's figures for one day. Impressions are counted live (one
    upsert per impression, safe under concurrency); everything else is
    rebuilt from its source by ``_sme_refresh`` (idempotent), which the
    daily cron, the campaign's "Refresh performance" button and the events
    (click, invoice validated or paid) call."""

    _name = "sme.marketing.performance"
    _description = "Campaign performance of a day"
    _order = "date desc, campaign_id"
    _rec_name = "campaign_id"

    campaign_id = fields.Many2one(
        "sme.marketing.campaign",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env["res.company"]._company_default_get(
            "sme.marketing.performance"
        ),
    )
    campaign_type = fields.Selection(CAMPAIGN_TYPES, string="Type", readonly=True)
    date = fields.Date(required=True, readonly=True, index=True)
    impressions = fields.Integer(readonly=True)
    clicks = fields.Integer(readonly=True)
    sent = fields.Integer(readonly=True)
    delivered = fields.Integer(readonly=True)
    bounced = fields.Integer(readonly=True, help="Bounced, failed or rejected.")
    opened = fields.Integer(readonly=True)
    replied = fields.Integer(readonly=True)
    conversions = fields.Integer(
        readonly=True,
        help="Leads of the campaign created that day, and first invoices of "
        "customers attributed to it dated that day.",
    )
    currency_id = fields.Many2one(
        "res.currency", related="company_id.currency_id", readonly=True
    )
    revenue = fields.Monetary(
        readonly=True,
        help="Untaxed amount of the customer invoices attributed to the "
        "campaign, on the day they were paid.",
    )
    cost = fields.Monetary(
        readonly=True,
        help="Messages sent times the cost per message, or else the budget "
        "spread evenly over the campaign's days.",
    )
    roi = fields.Float(
        "ROI",
        digits=(16, ROI_DIGITS),
        readonly=True,
        group_operator="avg",
        help="(revenue - cost) / cost of the day; 0 when nothing was spent.",
    )

    _sql_constraints = [
        (
            "campaign_date_uniq",
            "unique(campaign_id, date)",
            "A campaign has one performance row per day.",
        )
    ]

    # ------------------------------------------------------------------
    # Days and timezones
    # ------------------------------------------------------------------
    @api.model
    def _sme_tz(self, company):
        """The timezone in which the company's days begin: its partner's,
        else its country's when the country has one (India), else UTC. Not
        the user's: a cashier in Delhi and the cron must count the same
        day."""
        tz = company.sudo().partner_id.tz
        if not tz and company.country_id:
            zones = pytz.country_timezones.get(company.country_id.code, [])
            tz = zones[0] if len(zones) == 1 else False
        return tz or "UTC"

    @api.model
    def _sme_today(self, company):
        """The company's business day (``sme_today`` in the context wins,
        as for every SME Hub date)."""
        forced = self.env.context.get("sme_today")
        if forced:
            return day_date(forced)
        return datetime.now(pytz.timezone(self._sme_tz(company))).date()

    # ------------------------------------------------------------------
    # Live counting
    # ------------------------------------------------------------------
    @api.model
    def _sme_bump(self, campaign, field, n=1, day=None):
        """Add ``n`` to the counter ``field`` of the campaign's row of
        ``day`` (the company's today by default), creating the row. One
        ``INSERT … ON CONFLICT DO UPDATE``: two impressions at once add two.
        Under Odoo's REPEATABLE READ a concurrent bump of the same row makes
        one transaction fail with a serialization error, which Odoo's RPC
        layer and queue_job retry; the public banner route counts in a
        READ COMMITTED transaction of its own (``_sme_count_apart``), where
        PostgreSQL's upsert simply waits for the row. Messages sent add
        their cost when the campaign has a cost per message. The caps are
        checked afterwards. Returns the day's new value of the counter."""
        if field not in COUNTERS:
            raise ValueError("Unknown performance counter %r" % (field,))
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError("A counter grows by a whole number >= 0, not %r" % (n,))
        campaign = campaign.sudo()
        campaign.ensure_one()
        company = campaign.company_id
        day = day or self._sme_today(company)
        cost = 0.0
        if field == "sent" and campaign.cost_per_message:
            cost = float_round(
                n * campaign.cost_per_message,
                precision_rounding=company.currency_id.rounding or 0.01,
            )
        values = dict.fromkeys(COUNTERS, 0)
        values[field] = n
        column = sql.Identifier(field)
        query = sql.SQL(
            "INSERT INTO sme_marketing_performance"
            " (campaign_id, company_id, campaign_type, date, {counters},"
            " revenue, cost, roi, create_uid, create_date, write_uid, write_date)"
            " VALUES (%(campaign)s, %(company)s, %(type)s, %(day)s, {values},"
            " 0, %(cost)s, CASE WHEN %(cost)s > 0 THEN -1 ELSE 0 END,"
            " %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC')"
            " ON CONFLICT (campaign_id, date) DO UPDATE SET"
            " {column} = sme_marketing_performance.{column} + EXCLUDED.{column},"
            " cost = sme_marketing_performance.cost + EXCLUDED.cost,"
            " roi = CASE WHEN sme_marketing_performance.cost + EXCLUDED.cost > 0"
            " THEN round(((sme_marketing_performance.revenue"
            " - sme_marketing_performance.cost - EXCLUDED.cost)"
            " / (sme_marketing_performance.cost + EXCLUDED.cost))::numeric, {digits})"
            " ELSE 0 END,"
            " write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date"
            " RETURNING {column}"
        ).format(
            counters=sql.SQL(", ").join(sql.Identifier(name) for name in COUNTERS),
            values=sql.SQL(", ").join(
                sql.Placeholder("n_" + name) for name in COUNTERS
            ),
            column=column,
            digits=sql.Literal(ROI_DIGITS),
        )
        params = {
            "campaign": campaign.id,
            "company": company.id,
            "type": campaign.campaign_type,
            "day": day_string(day),
            "cost": cost,
            "uid": self.env.uid,
        }
        params.update(("n_" + name, value) for name, value in values.items())
        self.env.cr.execute(query, params)
        (value,) = self.env.cr.fetchone()
        self.invalidate_cache()
        if field in ("impressions", "clicks", "sent"):
            campaign._sme_check_caps()
        return value

    @api.model
    def _sme_count_apart(self, campaign_id, field="impressions", checks=None):
        """Count one ``field`` for a campaign in a short transaction of its
        own at READ COMMITTED, committed at once: the public banner route's
        way, where many storefronts count at the same time and no request
        may fail or be retried for it. ``checks(campaign)`` may refuse
        (returns a message); it runs in the same transaction. Returns
        ``(campaign_state, refusal or None, counter value or None)``."""
        with self.pool.cursor() as cr:
            if not isinstance(cr, TestCursor):
                # Before the transaction's first statement. The test cursor
                # (HTTP tests) shares the test's transaction: left as it is.
                cr._cnx.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            env = api.Environment(cr, SUPERUSER_ID, dict(self.env.context))
            campaign = env["sme.marketing.campaign"].browse(campaign_id).exists()
            refusal = checks(campaign) if checks else None
            if refusal:
                return campaign.state if campaign else None, refusal, None
            value = env["sme.marketing.performance"]._sme_bump(campaign, field)
            return campaign.state, None, value

    # ------------------------------------------------------------------
    # Rebuilding from the sources
    # ------------------------------------------------------------------
    @api.model
    def _sme_refresh(self, campaigns, days):
        """Rebuild the derived figures (every one but impressions) of
        ``campaigns`` for ``days`` (dates or 'YYYY-MM-DD') from their
        sources. Idempotent: run twice, the same numbers. Rows are made for
        days with something to show; existing rows of those days are reset
        to what the sources say. The caps are checked afterwards. Returns
        the rows of those days."""
        campaigns = campaigns.sudo().exists()
        days = sorted({day_string(day) for day in days if day})
        if not campaigns or not days:
            return self.browse()
        figures = defaultdict(lambda: dict.fromkeys(DERIVED, 0))
        by_tz = defaultdict(lambda: campaigns.browse())
        for campaign in campaigns:
            by_tz[self._sme_tz(campaign.company_id)] |= campaign
        for tz, group in by_tz.items():
            self._sme_collect(group, days, tz, figures)
        self._sme_collect_cost(campaigns, days, figures)
        existing = self.search(
            [("campaign_id", "in", campaigns.ids), ("date", "in", days)]
        )
        keys = {(row.campaign_id.id, row.date) for row in existing}
        keys.update(
            key
            for key, values in figures.items()
            if any(values[name] for name in DERIVED)
        )
        for campaign_id, day in sorted(keys):
            values = figures[(campaign_id, day)]
            values["roi"] = _roi(values["revenue"], values["cost"])
            self._sme_upsert_derived(campaigns.browse(campaign_id), day, values)
        self.invalidate_cache()
        campaigns._sme_check_caps()
        return self.search([("campaign_id", "in", campaigns.ids), ("date", "in", days)])

    @api.model
    def _sme_upsert_derived(self, campaign, day, values):
        """Set the derived figures in ``values`` (names of DERIVED) of the
        campaign's row of ``day``, making the row (other figures 0)."""
        names = [name for name in DERIVED if name in values]
        insert = dict.fromkeys(DERIVED, 0)
        insert.update((name, values[name]) for name in names)
        query = sql.SQL(
            "INSERT INTO sme_marketing_performance"
            " (campaign_id, company_id, campaign_type, date, impressions, {columns},"
            " create_uid, create_date, write_uid, write_date)"
            " VALUES (%(campaign)s, %(company)s, %(type)s, %(day)s, 0, {values},"
            " %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC')"
            " ON CONFLICT (campaign_id, date) DO UPDATE SET {updates},"
            " write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date"
        ).format(
            columns=sql.SQL(", ").join(sql.Identifier(name) for name in DERIVED),
            values=sql.SQL(", ").join(sql.Placeholder("v_" + name) for name in DERIVED),
            updates=sql.SQL(", ").join(
                sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(name))
                for name in names
            ),
        )
        params = {
            "campaign": campaign.id,
            "company": campaign.company_id.id,
            "type": campaign.campaign_type,
            "day": day_string(day),
            "uid": self.env.uid,
        }
        params.update(("v_" + name, insert[name]) for name in DERIVED)
        self.env.cr.execute(query, params)

    @api.model
    def _sme_refresh_clicks(self, campaign, day):
        """Rebuild the clicks of one day of one campaign (after a click:
        one query, not the whole refresh), then check the caps. Returns the
        day's clicks."""
        campaign = campaign.sudo()
        day = day_string(day)
        self.env.cr.execute(
            "SELECT count(*) FROM link_tracker_click click"
            " JOIN link_tracker link ON link.id = click.link_id"
            " WHERE link.campaign_id = %(utm)s"
            " AND COALESCE(click.click_date, {day}) = %(day)s".format(
                day=_sql_day("click.create_date")
            ),
            {
                "utm": campaign.campaign_id.id,
                "day": day,
                "tz": self._sme_tz(campaign.company_id),
            },
        )
        (clicks,) = self.env.cr.fetchone()
        self._sme_upsert_derived(campaign, day, {"clicks": clicks})
        self.invalidate_cache()
        campaign._sme_check_caps()
        return clicks

    @api.model
    def _sme_collect(self, campaigns, days, tz, figures):
        """Fill ``figures[(campaign id, day)]`` from the sources, days
        counted in ``tz``."""
        cr = self.env.cr
        utm_to_campaign = {c.campaign_id.id: c.id for c in campaigns}
        params = {
            "campaigns": tuple(campaigns.ids),
            "utms": tuple(utm_to_campaign),
            "days": days,
            "tz": tz,
        }

        def add(rows, name, by_utm=False):
            for key, day, value in rows:
                campaign_id = utm_to_campaign.get(key) if by_utm else key
                if campaign_id:
                    figures[(campaign_id, day_string(day))][name] += value

        # Clicks: link_tracker's clicks on the links of the UTM campaign
        # (the landing page's tracked link, the links of its mailings).
        day = "COALESCE(click.click_date, %s)" % _sql_day("click.create_date")
        cr.execute(
            "SELECT link.campaign_id, {day}, count(*)"
            " FROM link_tracker_click click"
            " JOIN link_tracker link ON link.id = click.link_id"
            " WHERE link.campaign_id IN %(utms)s AND {day} = ANY(%(days)s::date[])"
            " GROUP BY 1, 2".format(day=day),
            params,
        )
        add(cr.fetchall(), "clicks", by_utm=True)

        # Emails: mass_mailing's statistics of the campaign's mailings
        # (sent, bounced or failed, opened, replied, each on its own day).
        email_days = {
            "sent": ("stat.sent", "stat.sent IS NOT NULL AND stat.exception IS NULL"),
            "delivered": (
                "stat.sent",
                "stat.sent IS NOT NULL AND stat.exception IS NULL"
                " AND stat.bounced IS NULL",
            ),
            "bounced": (
                "COALESCE(stat.bounced, stat.exception)",
                "(stat.bounced IS NOT NULL OR stat.exception IS NOT NULL)",
            ),
            "opened": ("stat.opened", "stat.opened IS NOT NULL"),
            "replied": ("stat.replied", "stat.replied IS NOT NULL"),
        }
        for name, (column, where) in email_days.items():
            day = _sql_day(column)
            cr.execute(
                "SELECT mailing.campaign_id, {day}, count(*)"
                " FROM mail_mail_statistics stat"
                " JOIN mail_mass_mailing mailing ON mailing.id = stat.mass_mailing_id"
                " WHERE mailing.campaign_id IN %(utms)s AND {where}"
                " AND {day} = ANY(%(days)s::date[])"
                " GROUP BY 1, 2".format(day=day, where=where),
                params,
            )
            add(cr.fetchall(), name, by_utm=True)

        # SMS and other channels: the recipients' own states and dates.
        # Messages the gateway refused count as bounced on the day they
        # were refused (as the sending job counts them).
        other_days = {
            "sent": ("r.date_sent", "r.date_sent IS NOT NULL"),
            "delivered": (
                "r.date_sent",
                "r.date_sent IS NOT NULL AND r.state IN ('delivered', 'replied')",
            ),
            "bounced": (
                "COALESCE(r.date_sent, r.write_date)",
                "r.state IN ('bounced', 'failed')",
            ),
            "replied": ("r.date_replied", "r.date_replied IS NOT NULL"),
        }
        for name, (column, where) in other_days.items():
            day = _sql_day(column)
            cr.execute(
                "SELECT r.campaign_id, {day}, count(*)"
                " FROM sme_marketing_recipient r"
                " WHERE r.campaign_id IN %(campaigns)s AND r.channel != 'email'"
                " AND {where} AND {day} = ANY(%(days)s::date[])"
                " GROUP BY 1, 2".format(day=day, where=where),
                params,
            )
            add(cr.fetchall(), name)

        # Conversions: leads carrying the UTM campaign, on the day they were
        # made (lost and archived ones too: they were leads)...
        day = _sql_day("lead.create_date")
        cr.execute(
            "SELECT lead.campaign_id, {day}, count(*) FROM crm_lead lead"
            " WHERE lead.campaign_id IN %(utms)s AND {day} = ANY(%(days)s::date[])"
            " GROUP BY 1, 2".format(day=day),
            params,
        )
        add(cr.fetchall(), "conversions", by_utm=True)
        # ... and first invoices: a validated customer invoice attributed to
        # the campaign whose customer has no earlier validated invoice in
        # the company, on its invoice date.
        cr.execute(
            "SELECT inv.campaign_id, inv.date_invoice, count(*)"
            " FROM account_invoice inv"
            " WHERE inv.campaign_id IN %(utms)s AND inv.type = 'out_invoice'"
            " AND inv.state IN ('open', 'paid')"
            " AND inv.date_invoice = ANY(%(days)s::date[])"
            " AND NOT EXISTS (SELECT 1 FROM account_invoice earlier"
            "   WHERE earlier.commercial_partner_id = inv.commercial_partner_id"
            "   AND earlier.company_id = inv.company_id"
            "   AND earlier.type = 'out_invoice'"
            "   AND earlier.state IN ('open', 'paid')"
            "   AND (earlier.date_invoice < inv.date_invoice"
            "        OR (earlier.date_invoice = inv.date_invoice"
            "            AND earlier.id < inv.id)))"
            " GROUP BY 1, 2",
            params,
        )
        add(cr.fetchall(), "conversions", by_utm=True)

        # Revenue: paid customer invoices attributed to the campaign, untaxed
        # and in the company's currency, on the day of their (last) payment.
        cr.execute(
            "SELECT campaign_id, paid_on, sum(amount) FROM ("
            "  SELECT inv.campaign_id, inv.amount_untaxed_signed AS amount,"
            "   max(payment.date) AS paid_on"
            "  FROM account_invoice inv"
            "  JOIN account_move_line line ON line.move_id = inv.move_id"
            "   AND line.account_id = inv.account_id"
            "  JOIN account_partial_reconcile partial"
            "   ON partial.debit_move_id = line.id"
            "  JOIN account_move_line payment ON payment.id = partial.credit_move_id"
            "  WHERE inv.campaign_id IN %(utms)s AND inv.type = 'out_invoice'"
            "  AND inv.state = 'paid'"
            "  GROUP BY inv.id) paid"
            " WHERE paid_on = ANY(%(days)s::date[])"
            " GROUP BY 1, 2",
            params,
        )
        add(cr.fetchall(), "revenue", by_utm=True)

    @api.model
    def _sme_collect_cost(self, campaigns, days, figures):
        """Cost of each day: messages sent times the cost per message; or
        else the budget spread evenly over the campaign's days (start to
        end, both counted), the cents of the division put so that the days
        add up to the budget exactly. A budget without an end date has no
        days to spread over: no cost."""
        for campaign in campaigns:
            rounding = campaign.company_id.currency_id.rounding or 0.01
            for day in days:
                values = figures[(campaign.id, day)]
                if campaign.cost_per_message:
                    values["cost"] = float_round(
                        values["sent"] * campaign.cost_per_message,
                        precision_rounding=rounding,
                    )
                else:
                    values["cost"] = self._sme_spread(campaign, day, rounding)
                values["revenue"] = float_round(
                    values["revenue"], precision_rounding=rounding
                )

    @api.model
    def _sme_spread(self, campaign, day, rounding):
        if not (campaign.budget and campaign.date_start and campaign.date_end):
            return 0.0
        start = day_date(campaign.date_start)
        end = day_date(campaign.date_end)
        day = day_date(day)
        if not start <= day <= end:
            return 0.0
        count = (end - start).days + 1
        index = (day - start).days

        def share(days_before):
            return float_round(
                campaign.budget * days_before / count, precision_rounding=rounding
            )

        return float_round(share(index + 1) - share(index), precision_rounding=rounding)

    # ------------------------------------------------------------------
    # Scheduled refresh
    # ------------------------------------------------------------------
    @api.model
    def _cron_sme_refresh(self):
        """Yesterday and today of every campaign that can still move:
        running or paused, or ended within its attribution window (revenue
        of invoices paid after the end still counts)."""
        Campaign = self.env["sme.marketing.campaign"].sudo()
        refreshed = self.browse()
        campaigns = Campaign.search([("state", "!=", "draft")])
        by_company = defaultdict(lambda: Campaign.browse())
        for campaign in campaigns:
            by_company[campaign.company_id] |= campaign
        for company, group in by_company.items():
            today = self._sme_today(company)
            days = [today - timedelta(days=1), today]
            live = group.filtered(
                lambda c: c.state in ("active", "paused")
                or not c.date_end
                or fields.Date.from_string(c.date_end)
                + timedelta(days=c.attribution_days or 0)
                >= days[0]
            )
            refreshed |= self._sme_refresh(live, days)
        return refreshed

    # ------------------------------------------------------------------
    # Totals
    # ------------------------------------------------------------------
    @api.model
    def _sme_totals(self, campaigns):
        """{campaign id: {counter: sum}} of every row of ``campaigns``."""
        names = ("impressions", "clicks", "conversions", "revenue", "cost", "sent")
        totals = {c.id: dict.fromkeys(names, 0) for c in campaigns}
        if not campaigns:
            return totals
        self.env.cr.execute(
            "SELECT campaign_id, sum(impressions), sum(clicks), sum(conversions),"
            " sum(revenue), sum(cost), sum(sent)"
            " FROM sme_marketing_performance WHERE campaign_id IN %s"
            " GROUP BY campaign_id",
            (tuple(campaigns.ids),),
        )
        for row in self.env.cr.fetchall():
            totals[row[0]] = dict(zip(names, [value or 0 for value in row[1:]]))
        return totals

    @api.model
    def _sme_cost_reached(self, campaign, cost):
        rounding = campaign.company_id.currency_id.rounding or 0.01
        return float_compare(cost, campaign.budget, precision_rounding=rounding) >= 0
