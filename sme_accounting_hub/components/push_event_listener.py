# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Push on events: what Odoo books is queued for export to every active
connection of the company that pushes that kind of record."""
from odoo.addons.component.core import Component


def _backends(env):
    return env["sme.accounting.backend"]


class SmeHubCustomerListener(Component):
    _name = "sme.hub.customer.listener"
    _inherit = "base.event.listener"
    _apply_on = ["res.partner"]

    def on_sme_customer_created(self, record):
        self._export(record)

    def on_sme_customer_updated(self, record, fields=None):
        self._export(record)

    def _export(self, record):
        for customer in record:  # several when an import created them together
            _backends(self.env)._enqueue_exports_for(customer, "customers")


class SmeHubInvoiceListener(Component):
    _name = "sme.hub.invoice.listener"
    _inherit = "base.event.listener"
    _apply_on = ["account.invoice"]

    def on_record_write(self, record, fields=None):
        if (
            "state" in (fields or [])
            and record.state == "open"
            and record.type in ("out_invoice", "out_refund")
        ):
            _backends(self.env)._enqueue_exports_for(record, "invoices")


class SmeHubPaymentListener(Component):
    _name = "sme.hub.payment.listener"
    _inherit = "base.event.listener"
    _apply_on = ["account.payment"]

    def on_record_write(self, record, fields=None):
        if (
            "state" in (fields or [])
            and record.state == "posted"
            and record.partner_type == "customer"
            and record.payment_type == "inbound"
        ):
            _backends(self.env)._enqueue_exports_for(record, "payments")


class SmeHubJournalListener(Component):
    _name = "sme.hub.journal.listener"
    _inherit = "base.event.listener"
    _apply_on = ["account.move"]

    def on_record_write(self, record, fields=None):
        if "state" not in (fields or []) or record.state != "posted":
            return
        from ..sync.journal_entries import move_entity

        entity = move_entity(record)
        if entity:
            _backends(self.env)._enqueue_exports_for(record, entity)
