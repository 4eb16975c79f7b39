# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

from ..tools import arguments as check
from ..tools.names import DEFAULT_PLACEHOLDER_NAME


class ResCompany(models.Model):
    _inherit = "res.company"

    sme_require_customer_address = fields.Boolean(
        string="Customers need an address",
        help="Customers of this company must have a street and a city.",
    )
    sme_require_customer_email = fields.Boolean(string="Customers need an email")
    sme_require_customer_gstin = fields.Boolean(string="Customers need a GSTIN")
    sme_customer_placeholder_name = fields.Char(
        string="Placeholder customer name",
        required=True,
        default=DEFAULT_PLACEHOLDER_NAME,
        help="Name given to customers whose name is shorter than two characters.",
    )

    @api.multi
    def _sme_phone_region(self):
        """ISO code for phone numbers written without a country prefix."""
        self.ensure_one()
        return self.country_id.code or "IN"

    @api.multi
    def _sme_required_customer_fields(self):
        """Labels of the customer data this company makes mandatory,
        mapped to the partner fields that must all be filled."""
        self.ensure_one()
        required = {}
        if self.sme_require_customer_address:
            required[_("address (street and city)")] = ("street", "city")
        if self.sme_require_customer_email:
            required[_("email")] = ("email",)
        if self.sme_require_customer_gstin:
            required[_("GSTIN")] = ("vat",)
        return required

    @api.model
    def _sme_company_for_call(self, company_id=None):
        """The company an external call works in: the given one, which the
        user must belong to, or the user's current company."""
        user = self.env.user
        if check.is_empty(company_id) or check.is_zero(company_id):
            return user.company_id
        company_id = check.record_id("company_id", company_id)
        company = self.sudo().browse(company_id).exists()
        if self.env.uid == SUPERUSER_ID:
            if not company:
                raise AccessError(_("Company %d does not exist.") % company_id)
        elif company not in user.company_ids:
            # The same answer for a company that does not exist: users learn
            # nothing about the companies they do not work in, not even names.
            raise AccessError(
                _("You are not allowed to work with the customers of company %d.")
                % company_id
            )
        return self.browse(company.id)

    @api.multi
    def _sme_load_chart_template(self, template):
        """Give companies that have no chart of accounts yet the chart
        ``template`` (an ``account.chart.template``), as Odoo's setup wizard
        does for the main company. Used for demo and test companies."""
        for company in self.filtered(lambda c: not c.chart_template_id):
            wizard = self.env["wizard.multi.charts.accounts"].create(
                {
                    "company_id": company.id,
                    "chart_template_id": template.id,
                    "code_digits": template.code_digits,
                    "transfer_account_id": template.transfer_account_id.id,
                    "currency_id": company.currency_id.id,
                    "bank_account_code_prefix": template.bank_account_code_prefix,
                    "cash_account_code_prefix": template.cash_account_code_prefix,
                }
            )
            wizard.onchange_chart_template_id()
            wizard.currency_id = company.currency_id
            wizard.execute()

    @api.model
    def _sme_demo_load_chart(self, company_ids):
        template = self.env.ref("base.main_company").chart_template_id
        if template:
            self.browse(company_ids)._sme_load_chart_template(template)
