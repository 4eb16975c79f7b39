import hashlib
import json

from odoo import api, fields, models


class SmeAccountingBinding(models.Model):
    """An Odoo record ↔ its twin in an accounting system. Every import and
    export goes through a binding, so re-running a sync creates nothing twice."""

    _name = "sme.accounting.binding"
    _description = "Link between an Odoo record and an accounting system record"
    _order = "backend_id, model, res_id"

    backend_id = fields.Many2one("sme.accounting.backend", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="backend_id.company_id", store=True, readonly=True)
    system = fields.Selection(related="backend_id.system", store=True, readonly=True)
    model = fields.Char(required=True, index=True)
    res_id = fields.Integer(required=True, index=True)
    external_id = fields.Char(required=True, index=True,
                              help="The record's id in the accounting system (Tally: GUID).")
    external_name = fields.Char(help="The record's name there (Tally ledgers are addressed by name).")
    external_version = fields.Char(help="The system's change marker when last exchanged (Tally ALTERID).")
    payload_hash = fields.Char(help="Hash of what was last exchanged: unchanged records are skipped.")
    sync_date = fields.Datetime(default=fields.Datetime.now)
    record_name = fields.Char("Odoo record", compute="_compute_record_name")
    model_label = fields.Char("Record type", compute="_compute_record_name",
                              help="What the Odoo record is (Contact, Invoice, Account...).")

    _sql_constraints = [
        ("external_uniq", "unique(backend_id, model, external_id)",
         "An accounting record is linked to one Odoo record."),
        ("record_uniq", "unique(backend_id, model, res_id)",
         "An Odoo record is linked to one accounting record per connection."),
    ]

    @api.multi
    def _compute_record_name(self):
        for binding in self:
            record = self.env[binding.model].sudo().browse(binding.res_id).exists() \
                if binding.model in self.env else None
            binding.record_name = record.display_name if record else "(deleted)"
            binding.model_label = self.env[binding.model]._description if binding.model in self.env else binding.model

    @api.model
    def _find(self, backend, model, external_id=None, record=None):
        domain = [("backend_id", "=", backend.id), ("model", "=", model)]
        domain.append(("external_id", "=", external_id) if external_id else ("res_id", "=", record.id))
        return self.sudo().search(domain, limit=1)

    @api.model
    def _linked_record(self, backend, model, external_name):
        """The Odoo record linked to the external record named so (Tally
        addresses ledgers by name), or an empty recordset."""
        binding = self.sudo().search([("backend_id", "=", backend.id), ("model", "=", model),
                                      ("external_name", "=", external_name)], limit=1)
        return (binding.record() if binding else None) or self.env[model].browse()

    @api.model
    def _bind(self, backend, record, external_id, **values):
        """Create or refresh the binding of ``record``."""
        binding = self._find(backend, record._name, record=record)
        values.update(external_id=external_id, sync_date=fields.Datetime.now())
        if binding:
            binding.write(values)
            return binding
        return self.sudo().create(dict(values, backend_id=backend.id, model=record._name,
                                       res_id=record.id))

    @api.multi
    def record(self):
        self.ensure_one()
        return self.env[self.model].browse(self.res_id).exists()


def payload_hash(values):
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode("utf-8")).hexdigest()
