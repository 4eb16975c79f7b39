# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.sme_customer_master.tools.create_many import create_many


class SmeAccountingBindingMixin(models.AbstractModel):
    """What every binding shares: an Odoo record (``odoo_id``, declared by
    each concrete binding with its own ``ondelete``) and its twin in one
    connection's accounting system. Each concrete binding names the Odoo
    model it binds in ``_odoo_model``; ``sme.accounting.binding`` finds the
    binding model of an Odoo model through it."""

    _name = "sme.accounting.binding.mixin"
    _description = "Link between an Odoo record and an accounting system record"
    _order = "backend_id, odoo_id"

    # The Odoo model the concrete binding binds (its odoo_id's comodel).
    _odoo_model = None

    backend_id = fields.Many2one(
        "sme.accounting.backend",
        "Connection",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="backend_id.company_id", store=True, readonly=True
    )
    system = fields.Selection(related="backend_id.system", store=True, readonly=True)
    external_id = fields.Char(
        "Id there",
        required=True,
        index=True,
        help="The record's id in the accounting system (Tally: GUID).",
    )
    external_name = fields.Char(
        "Name there",
        index=True,
        help="The record's name there (Tally ledgers are addressed by name).",
    )
    external_version = fields.Char(
        help="The system's change marker when last exchanged (Tally ALTERID)."
    )
    payload_hash = fields.Char(
        help="Hash of what was last exchanged: unchanged records are skipped."
    )
    sync_date = fields.Datetime("Last synced", default=fields.Datetime.now)
    model = fields.Char("Odoo model", compute="_compute_record_name")
    record_name = fields.Char("Odoo record", compute="_compute_record_name")
    model_label = fields.Char(
        "Record type",
        compute="_compute_record_name",
        help="What the Odoo record is (Contact, Invoice, Account...).",
    )

    # Both ways: a record there is one Odoo record, an Odoo record is one
    # record there, per connection (Odoo prefixes the names with the table).
    _sql_constraints = [
        (
            "external_uniq",
            "unique(backend_id, external_id)",
            "An accounting record is linked to one Odoo record.",
        ),
        (
            "odoo_uniq",
            "unique(backend_id, odoo_id)",
            "An Odoo record is linked to one accounting record per connection.",
        ),
    ]

    @api.multi
    def _compute_record_name(self):
        for binding in self:
            binding.model = self._odoo_model
            binding.model_label = (
                self.env[self._odoo_model]._description if self._odoo_model else False
            )
            binding.record_name = (
                binding.odoo_id.sudo().display_name if binding.odoo_id else False
            )

    @api.multi
    def name_get(self):
        return [
            (
                binding.id,
                "%s: %s"
                % (
                    binding.backend_id.name,
                    binding.external_name or binding.external_id,
                ),
            )
            for binding in self
        ]

    @api.model
    def _find(self, backend, external_id=None, record=None):
        """The binding of ``external_id`` there, else of the Odoo ``record``."""
        domain = [("backend_id", "=", backend.id)]
        domain.append(
            ("external_id", "=", external_id)
            if external_id
            else ("odoo_id", "=", record.id)
        )
        return self.sudo().search(domain, limit=1)

    @api.model
    def _linked_record(self, backend, external_name):
        """The Odoo record linked to the external record named so (Tally
        addresses ledgers by name), or an empty recordset."""
        binding = self.sudo().search(
            [("backend_id", "=", backend.id), ("external_name", "=", external_name)],
            limit=1,
        )
        return binding.odoo_id if binding else self.env[self._odoo_model].browse()

    @api.model
    def _bind(self, backend, record, external_id, **values):
        """Create or refresh the binding of ``record``."""
        binding = self._find(backend, record=record)
        values.update(external_id=external_id, sync_date=fields.Datetime.now())
        if binding:
            binding.write(values)
            return binding
        return self.sudo().create(
            dict(values, backend_id=backend.id, odoo_id=record.id)
        )

    @api.model
    def _bind_new(self, backend, links):
        """Bindings for records that have none yet (an import's new
        records), in one INSERT: ``links`` is a list of ``(record,
        external_id, values)``."""
        now = fields.Datetime.now()
        return create_many(
            self.sudo(),
            [
                dict(
                    values,
                    backend_id=backend.id,
                    odoo_id=record.id,
                    external_id=external_id,
                    sync_date=now,
                )
                for record, external_id, values in links
            ],
        )

    @api.multi
    def record(self):
        """The bound Odoo record (always there: the foreign key sees to it)."""
        self.ensure_one()
        return self.odoo_id
