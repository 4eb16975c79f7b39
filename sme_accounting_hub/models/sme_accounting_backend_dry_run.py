# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.exceptions import UserError

from sme_connectors.base import ConnectorError

from ..sync.dry_run import DryRun


class SmeAccountingBackend(models.Model):
    """A dry run of a customer pull: what the first pull would do, read
    from the system and compared with Odoo, with nothing written."""

    _inherit = "sme.accounting.backend"

    @api.multi
    def action_dry_run(self):
        self.ensure_one()
        if not self._can_pull("customers"):
            raise UserError(_("Customers cannot be pulled from this system."))
        try:
            report = DryRun(self).customers()
        except ConnectorError as error:
            raise UserError(
                _("The dry run could not read the accounting system: %s") % error
            ) from None
        return self.env["sme.accounting.message"]._dialog(
            _("Dry run of %s") % self.name, DryRun(self).text(report)
        )
