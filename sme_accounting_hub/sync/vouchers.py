# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What every voucher entity shares: the pull of some voucher kinds, the
checks before booking one, the customer a voucher names, and the send of
a voucher with a look first after an unknown outcome."""
from odoo import _
from odoo.exceptions import UserError

from sme_connectors.base import imbalance

from .batch import import_batch
from .customers import CustomerSync
from .unit import SyncUnit


class VoucherSync(SyncUnit):
    """Base of the voucher entities (invoices, payments, journal and bank
    entries) of one connection."""

    def _pull_kinds(self, entity, kinds, model_name, importer, run):
        client = self.backend._connector()
        since = run.read_point(self.backend, entity)
        Binding = self.env["sme.accounting.binding"]

        def import_one(voucher):
            if voucher.kind not in kinds:
                return None
            if (voucher.remote_id or "").startswith("odoo-") or Binding._find(
                self.backend, model_name, voucher.external_id
            ):
                return "skipped"  # sent from Odoo, or already booked
            self._check_bookable(voucher)
            record = importer(client, voucher, run)
            Binding._bind(
                self.backend,
                record,
                voucher.external_id,
                external_name=voucher.number,
                external_version=str(voucher.version or ""),
            )
            return "created"

        import_batch(
            self.backend,
            run,
            entity,
            client.iter_vouchers(kinds=list(kinds), since=since),
            import_one,
            lambda voucher: "%s %s" % (voucher.kind, voucher.number),
            since=since,
        )

    def _export_voucher(self, record, voucher, run):
        Binding = self.env["sme.accounting.binding"]
        client = self.backend._connector()
        binding = Binding._find(self.backend, record._name, record=record)
        if not binding:
            # After an unknown outcome (a timeout) the voucher may be there already.
            found = client.find_voucher(
                voucher.remote_id,
                voucher.date,
                number=voucher.number,
                kind=voucher.kind,
            )
            if found:
                Binding._bind(
                    self.backend,
                    record,
                    found.external_id or voucher.remote_id,
                    external_name=voucher.number,
                    external_version=str(found.version or ""),
                )
                return "skipped"
        if binding:
            voucher = voucher._replace(external_id=binding.external_id)
        result = client.push_voucher(voucher, alter=bool(binding))
        if result.action == "failed":
            run.fail(
                voucher.number or voucher.remote_id, result.error, voucher._asdict()
            )
            return None
        Binding._bind(
            self.backend,
            record,
            result.external_id or voucher.remote_id,
            external_name=voucher.number,
        )
        return "created" if result.action == "created" else "updated"

    def _check_bookable(self, voucher):
        """A voucher reaches the books only whole: with lines that could be
        read, and debits equal to credits (Tally's own rule)."""
        if not voucher.lines and not voucher.items:
            raise UserError(_("no line of it could be read: it is not booked"))
        difference = imbalance(voucher)
        if difference:
            debit = sum(line.amount for line in voucher.lines if line.debit)
            raise UserError(
                _(
                    "its debits (%.2f) and credits (%.2f) do not balance (difference %.2f): "
                    "it is not booked"
                )
                % (debit, debit - difference, difference)
            )

    def _partner_for_ledger(self, client, ledger_name, run, external_id=None):
        """The customer of a voucher's party: by binding (external id, else
        name), else read from the system and imported."""
        Binding = self.env["sme.accounting.binding"]
        binding = external_id and Binding._find(
            self.backend, "res.partner", external_id
        )
        partner = (
            binding.record()
            if binding
            else Binding._linked_record(self.backend, "res.partner", ledger_name)
        )
        if partner:
            return partner
        customer = client.find_customer(external_id or ledger_name)
        if not customer:
            raise UserError(
                _("its party ledger '%s' does not exist there") % ledger_name
            )
        CustomerSync(self.backend)._import_customer(customer, run)
        return (
            self.env["sme.accounting.binding"]
            ._find(self.backend, "res.partner", customer.external_id)
            .record()
        )
