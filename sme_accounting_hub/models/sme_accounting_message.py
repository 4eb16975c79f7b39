from odoo import fields, models


class SmeAccountingMessage(models.TransientModel):
    """A dialog that tells the user the outcome of a button."""

    _name = "sme.accounting.message"
    _description = "Accounting hub message"

    message = fields.Text(readonly=True)
