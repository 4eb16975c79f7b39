# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Channel partners: sale_commission's agents (res.partner ``agent``) with
what an SME's B2B2C partners need on top: the customers that belong to a
partner, its tier by their revenue, and its commission statement."""
from datetime import date, datetime

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.sme_customer_master.tools import arguments as check
from odoo.addons.sme_customer_master.tools.clock import sme_today

TIERS = [("none", "None"), ("silver", "Silver"), ("gold", "Gold")]


def _check_date(argument, value):
    """A date as 'YYYY-MM-DD' text (or an XML-RPC date): a clear refusal
    otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if hasattr(value, "timetuple") and not isinstance(value, str):
        return date(*value.timetuple()[:3])  # xmlrpc.client.DateTime
    if isinstance(value, str):
        try:
            return fields.Date.from_string(value)
        except ValueError:
            raise check.InvalidArgument(
                argument, "a date like '2026-01-31'", value
            ) from None
    raise check.InvalidArgument(argument, "a date like '2026-01-31'", value)


class ResPartner(models.Model):
    _inherit = "res.partner"

    sme_channel_partner_id = fields.Many2one(
        "res.partner",
        string="Channel partner",
        domain="[('agent', '=', True), ('company_id', 'in', [company_id, False])]",
        index=True,
        ondelete="restrict",
        track_visibility="onchange",
        help="The channel partner (commission agent) this customer belongs to: "
        "set by hand, or when the customer arrived with the partner's referral code. "
        "Its commission is added to the customer's invoices.",
    )
    sme_channel_customer_ids = fields.One2many(
        "res.partner", "sme_channel_partner_id", string="Channel customers"
    )
    sme_channel_customer_count = fields.Integer(
        "Customers", compute="_compute_sme_channel_counts"
    )
    sme_commission_line_count = fields.Integer(
        "Commission lines", compute="_compute_sme_channel_counts"
    )
    sme_settlement_count = fields.Integer(
        "Settlements", compute="_compute_sme_channel_counts"
    )
    sme_partner_tier = fields.Selection(
        TIERS,
        string="Partner tier",
        default="none",
        readonly=True,
        help="By the revenue of the partner's customers in the last 12 months "
        "(thresholds in the company's settings); updated daily.",
    )
    sme_partner_revenue_12m = fields.Float(
        "Customers' revenue (12 months)", readonly=True
    )

    @api.multi
    def _compute_sme_channel_counts(self):
        agents = self.filtered("agent")
        customers = {}
        lines = {}
        settlements = {}
        if agents.ids:
            for row in self.read_group(
                [("sme_channel_partner_id", "in", agents.ids)],
                ["sme_channel_partner_id"],
                ["sme_channel_partner_id"],
            ):
                customers[row["sme_channel_partner_id"][0]] = row[
                    "sme_channel_partner_id_count"
                ]
            for row in self.env["account.invoice.line.agent"].read_group(
                [("agent", "in", agents.ids)], ["agent"], ["agent"]
            ):
                lines[row["agent"][0]] = row["agent_count"]
            for row in self.env["sale.commission.settlement"].read_group(
                [("agent", "in", agents.ids)], ["agent"], ["agent"]
            ):
                settlements[row["agent"][0]] = row["agent_count"]
        for partner in self:
            partner.sme_channel_customer_count = customers.get(partner.id, 0)
            partner.sme_commission_line_count = lines.get(partner.id, 0)
            partner.sme_settlement_count = settlements.get(partner.id, 0)

    @api.constrains("sme_channel_partner_id", "company_id")
    def _check_sme_channel_partner(self):
        for partner in self.filtered("sme_channel_partner_id"):
            channel = partner.sme_channel_partner_id
            if not channel.agent:
                raise ValidationError(
                    _(
                        "%s is not a channel partner (an agent): it cannot have customers."
                    )
                    % channel.name
                )
            if channel == partner:
                raise ValidationError(
                    _("%s cannot be its own channel partner.") % partner.name
                )
            if (
                channel.company_id
                and partner.company_id
                and channel.company_id != partner.company_id
            ):
                raise ValidationError(
                    _(
                        "The channel partner %(channel)s belongs to %(channel_company)s, "
                        "the customer %(customer)s to %(company)s: both must be of "
                        "the same company."
                    )
                    % {
                        "channel": channel.name,
                        "channel_company": channel.company_id.name,
                        "customer": partner.name,
                        "company": partner.company_id.name,
                    }
                )

    @api.model
    def sme_upsert_customer(self, values, company_id=None, referral_code=None):
        """A new customer that arrives with a channel partner's referral code
        belongs to that partner (when it has none yet)."""
        result = super(ResPartner, self).sme_upsert_customer(
            values, company_id=company_id, referral_code=referral_code
        )
        referral_info = result.get("referral") or {}
        if referral_info.get("status") in (None, "rejected") or not result.get(
            "is_new"
        ):
            return result
        referral = self.env["sme.referral"].sudo().browse(referral_info["referral_id"])
        referrer = referral.referrer_id
        customer = self.sudo().browse(result["id"])
        if referrer.agent and not customer.sme_channel_partner_id:
            customer.sme_channel_partner_id = referrer
        return result

    # ------------------------------------------------------------------ tiers
    @api.model
    def _cron_sme_update_partner_tiers(self, today=None):
        agents = self.sudo().search([("agent", "=", True)])
        agents._sme_update_partner_tier(today=today)

    @api.multi
    def _sme_update_partner_tier(self, today=None):
        """Tier of each agent by the untaxed revenue (refunds deducted) of its
        customers' invoices dated in the 12 months up to ``today``."""
        today = today or sme_today(self)
        if isinstance(today, str):
            today = fields.Date.from_string(today)
        date_from = today - relativedelta(months=12)
        revenue = {}
        if self.ids:
            self.env.cr.execute(
                """
                SELECT p.sme_channel_partner_id, SUM(i.amount_untaxed_signed)
                  FROM account_invoice i
                  JOIN res_partner p ON p.id = i.commercial_partner_id
                 WHERE p.sme_channel_partner_id IN %s
                   AND i.type IN ('out_invoice', 'out_refund')
                   AND i.state IN ('open', 'paid')
                   AND i.date_invoice > %s AND i.date_invoice <= %s
                 GROUP BY p.sme_channel_partner_id
                """,
                (tuple(self.ids), date_from, today),
            )
            revenue = dict(self.env.cr.fetchall())
        for agent in self:
            company = agent.company_id or self.env.user.company_id
            amount = revenue.get(agent.id) or 0.0
            if amount >= company.sme_partner_gold_revenue:
                tier = "gold"
            elif amount >= company.sme_partner_silver_revenue:
                tier = "silver"
            else:
                tier = "none"
            if (
                agent.sme_partner_tier != tier
                or agent.sme_partner_revenue_12m != amount
            ):
                agent.write(
                    {"sme_partner_tier": tier, "sme_partner_revenue_12m": amount}
                )

    # -------------------------------------------------------------- statement
    @api.model
    def sme_commission_statement(self, partner_id, date_from, date_to, company_id=None):
        """A channel partner's commissions on the invoices dated from
        ``date_from`` to ``date_to`` (both included): one line per invoice
        line, with the commission, the share of the invoice paid, and what
        was settled; and the totals. Over XML-RPC."""
        partner_id = check.record_id("partner_id", partner_id, required=True)
        start = _check_date("date_from", date_from)
        end = _check_date("date_to", date_to)
        if start > end:
            raise UserError(
                _("date_from (%(start)s) is after date_to (%(end)s).")
                % {"start": start, "end": end}
            )
        company = self.env["res.company"]._sme_company_for_call(company_id)
        agent = self.browse(partner_id).exists()
        if not agent:
            raise UserError(_("Unknown partner %s.") % partner_id)
        if not agent.agent:
            raise UserError(
                _("%s is not a channel partner (not a commission agent).") % agent.name
            )
        if agent.company_id and agent.company_id != company:
            raise UserError(
                _("Partner %(partner)s belongs to another company, not to %(company)s.")
                % {"partner": partner_id, "company": company.name}
            )
        lines = self.env["account.invoice.line.agent"].search(
            [
                ("agent", "=", agent.id),
                ("company_id", "=", company.id),
                ("invoice_date", ">=", fields.Date.to_string(start)),
                ("invoice_date", "<=", fields.Date.to_string(end)),
                ("invoice.state", "in", ("open", "paid")),
            ],
            order="invoice_date, id",
        )
        result_lines = []
        totals = {"base": 0.0, "commission": 0.0, "due": 0.0, "settled": 0.0}
        for line in lines:
            invoice = line.invoice
            sign = -1.0 if "refund" in invoice.type else 1.0
            share = line._sme_paid_share()
            base = sign * line.object_id.price_subtotal
            settled = line._sme_settled_amount()
            due = line.amount * share
            result_lines.append(
                {
                    "invoice_id": invoice.id,
                    "invoice": invoice.number or invoice.display_name,
                    "invoice_date": line.invoice_date,
                    "customer_id": invoice.commercial_partner_id.id,
                    "customer": invoice.commercial_partner_id.name,
                    "base": base,
                    "commission": line.amount,
                    "paid_share": share,
                    "due": due,
                    "settled_amount": settled,
                    "settled": bool(line.settled),
                }
            )
            totals["base"] += base
            totals["commission"] += line.amount
            totals["due"] += due
            totals["settled"] += settled
        totals = {key: round(value, 2) for key, value in totals.items()}
        totals["to_settle"] = round(totals["due"] - totals["settled"], 2)
        return {
            "partner_id": agent.id,
            "partner": agent.name,
            "company_id": company.id,
            "date_from": fields.Date.to_string(start),
            "date_to": fields.Date.to_string(end),
            "tier": agent.sme_partner_tier,
            "lines": result_lines,
            "totals": totals,
        }

    # ------------------------------------------------------------ smart buttons
    @api.multi
    def action_sme_channel_customers(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Customers of %s") % self.name,
            "res_model": "res.partner",
            "view_mode": "tree,form",
            "domain": [("sme_channel_partner_id", "=", self.id)],
            "context": {"default_sme_channel_partner_id": self.id},
        }

    @api.multi
    def action_sme_commission_lines(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Commissions of %s") % self.name,
            "res_model": "account.invoice.line.agent",
            "view_mode": "tree,form",
            "domain": [("agent", "=", self.id)],
        }

    @api.multi
    def action_sme_settlements(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Settlements of %s") % self.name,
            "res_model": "sale.commission.settlement",
            "view_mode": "tree,form",
            "domain": [("agent", "=", self.id)],
        }
