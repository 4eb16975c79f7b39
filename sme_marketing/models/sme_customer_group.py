# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

DISCOUNT_TYPES = [("percent", "Percentage"), ("fixed", "Fixed amount")]


class SmeCustomerGroup(models.Model):
    """A group of customers of one company with the discount its members
    get on their new invoices: a percentage on each invoice line that has no
    discount of its own, or a fixed amount taken off once per invoice when
    it is validated. Groups are also audience filters of campaigns."""

    _name = "sme.customer.group"
    _description = "Customer group"
    _order = "name, id"

    name = fields.Char(required=True, index=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env["res.company"]._company_default_get(
            "sme.customer.group"
        ),
    )
    discount_type = fields.Selection(
        DISCOUNT_TYPES,
        string="Discount",
        required=True,
        default="percent",
        index=True,
        help="Percentage: the discount (%) of every line of the member's new invoices "
        "that has none. Fixed amount: one discount line, added when the invoice is "
        "validated, never more than the invoice total.",
    )
    amount = fields.Float(
        digits=(14, 2),
        default=0.0,
        help="The percentage (0 to 100) or the amount in the company's currency.",
    )
    currency_id = fields.Many2one(
        "res.currency", related="company_id.currency_id", readonly=True
    )
    active = fields.Boolean(default=True)
    customer_count = fields.Integer("Customers", compute="_compute_customer_count")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A company has one customer group of a name.",
        ),
    ]

    @api.constrains("discount_type", "amount")
    def _check_amount(self):
        for group in self:
            if group.discount_type == "percent" and not 0 <= group.amount <= 100:
                raise ValidationError(
                    _(
                        "The discount of customer group %s must be from 0 to 100%% (not %s)."
                    )
                    % (group.name, group.amount)
                )
            if group.discount_type == "fixed" and group.amount < 0:
                raise ValidationError(
                    _("The discount of customer group %s cannot be negative (%s).")
                    % (group.name, group.amount)
                )

    @api.constrains("company_id")
    def _check_members_company(self):
        for group in self.filtered("company_id"):
            other = (
                self.env["res.partner"]
                .sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("sme_customer_group_id", "=", group.id),
                        ("parent_id", "=", False),
                        ("company_id", "!=", False),
                        ("company_id", "!=", group.company_id.id),
                    ],
                    limit=1,
                )
            )
            if other:
                raise ValidationError(
                    _("Customer group %s has members of another company (%s).")
                    % (group.name, other.name)
                )

    @api.multi
    def _compute_customer_count(self):
        counts = {
            row["sme_customer_group_id"][0]: row["sme_customer_group_id_count"]
            for row in self.env["res.partner"].read_group(
                [
                    ("sme_customer_group_id", "in", self.ids),
                    ("parent_id", "=", False),
                ],
                ["sme_customer_group_id"],
                ["sme_customer_group_id"],
            )
        }
        for group in self:
            group.customer_count = counts.get(group.id, 0)

    @api.multi
    def action_view_customers(self):
        self.ensure_one()
        action = self.env.ref("base.action_partner_customer_form").read()[0]
        action["domain"] = [
            ("sme_customer_group_id", "=", self.id),
            ("parent_id", "=", False),
        ]
        action["context"] = {"default_sme_customer_group_id": self.id}
        return action

    @api.multi
    def _sme_percent(self):
        """The line discount (%) the group gives, 0.0 for fixed-amount groups."""
        self.ensure_one()
        return self.amount if self.discount_type == "percent" else 0.0

    @api.multi
    def _sme_applies_to(self, company):
        """Whether the group's discount applies to invoices of ``company``."""
        self.ensure_one()
        return self.active and (not self.company_id or self.company_id == company)
