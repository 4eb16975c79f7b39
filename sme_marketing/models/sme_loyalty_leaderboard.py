# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models, tools

from odoo.addons.sme_customer_master.tools import arguments as check
from odoo.addons.sme_customer_master.tools.clock import sme_today

PERIODS = [("month", "Month"), ("quarter", "Quarter")]
MAX_LIMIT = 1000


def period_bounds(day, period):
    """First and last day of the month or quarter of ``day``."""
    if period == "month":
        start = day.replace(day=1)
        return start, start + relativedelta(months=1, days=-1)
    start = day.replace(day=1, month=(day.month - 1) // 3 * 3 + 1)
    return start, start + relativedelta(months=3, days=-1)


class SmeLoyaltyLeaderboard(models.Model):
    """Top customers of each company by points per month and per quarter:
    points earned in the period less those taken back by refunds in the
    period (customers with more than 0), ranked within company and period
    (equal points, equal rank). A view over the points ledger."""

    _name = "sme.loyalty.leaderboard"
    _description = "Loyalty leaderboard"
    _auto = False
    _order = "date_start desc, period, rank, partner_id"
    _rec_name = "partner_id"

    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    period = fields.Selection(PERIODS, readonly=True)
    date_start = fields.Date("From", readonly=True)
    date_end = fields.Date("To", readonly=True)
    points = fields.Float(digits=(16, 2), readonly=True)
    rank = fields.Integer(readonly=True, group_operator="min")

    @api.model_cr
    def init(self):
        # Ids stay the same from one read to the next: twice the smallest
        # move id of the row's moves (months), plus one (quarters).
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            """
            CREATE OR REPLACE VIEW sme_loyalty_leaderboard AS (
                WITH totals AS (
                    SELECT MIN(id) * 2 AS id, company_id, partner_id,
                           'month'::varchar AS period,
                           date_trunc('month', date)::date AS date_start,
                           SUM(points) AS points
                      FROM sme_loyalty_move
                     WHERE kind IN ('earned', 'reversed')
                     GROUP BY company_id, partner_id, date_trunc('month', date)
                    UNION ALL
                    SELECT MIN(id) * 2 + 1, company_id, partner_id,
                           'quarter'::varchar,
                           date_trunc('quarter', date)::date,
                           SUM(points)
                      FROM sme_loyalty_move
                     WHERE kind IN ('earned', 'reversed')
                     GROUP BY company_id, partner_id, date_trunc('quarter', date)
                )
                SELECT id, company_id, partner_id, period, date_start,
                       (date_start + CASE WHEN period = 'month'
                            THEN interval '1 month' ELSE interval '3 months' END
                            - interval '1 day')::date AS date_end,
                       points,
                       RANK() OVER (PARTITION BY company_id, period, date_start
                                    ORDER BY points DESC)::integer AS rank
                  FROM totals
                 WHERE points > 0
            )
            """
        )

    @api.model
    def sme_loyalty_leaderboard(
        self, period="month", date=None, limit=10, company_id=None
    ):
        """The top customers of the company (the user's by default) for the
        month or quarter of ``date`` ('YYYY-MM-DD', default today):
        ``[{'rank', 'partner_id', 'partner_name', 'points', 'period',
        'date_start', 'date_end'}]`` by rank (1 = most points)."""
        period = check.choice("period", period, dict(PERIODS), required=True)
        day = self._sme_check_date("date", date) or sme_today(self)
        limit = check.whole_number(
            "limit", 10 if limit is None else limit, 1, MAX_LIMIT
        )
        company = self.env["res.company"]._sme_company_for_call(company_id)
        self.check_access_rights("read")
        start, end = period_bounds(day, period)
        rows = self.search(
            [
                ("company_id", "=", company.id),
                ("period", "=", period),
                ("date_start", "=", fields.Date.to_string(start)),
            ],
            order="rank, partner_id",
            limit=limit,
        )
        names = {p.id: p.name for p in rows.mapped("partner_id").sudo()}
        return [
            {
                "rank": row.rank,
                "partner_id": row.partner_id.id,
                "partner_name": names.get(row.partner_id.id, ""),
                "points": row.points,
                "period": period,
                "date_start": fields.Date.to_string(start),
                "date_end": fields.Date.to_string(end),
            }
            for row in rows
        ]

    @api.model
    def _sme_check_date(self, argument, value):
        """A date 'YYYY-MM-DD' as a ``datetime.date``; False when empty."""
        if check.is_empty(value):
            return False
        try:
            if isinstance(value, str) and len(value) == 10:
                return fields.Date.from_string(value)
        except ValueError:
            pass
        raise check.InvalidArgument(argument, _("a date 'YYYY-MM-DD'"), value)
