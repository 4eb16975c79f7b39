# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json

from psycopg2 import sql

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

# Columns every binding table has, shown as they are in the view.
SHARED_COLUMNS = (
    "backend_id",
    "company_id",
    "system",
    "external_id",
    "external_name",
    "external_version",
    "payload_hash",
    "sync_date",
)


class SmeAccountingBinding(models.Model):
    """Every binding of every type in one list (an SQL view over the typed
    binding tables: ``sme.accounting.partner.binding``, ...), for the
    connection's "Linked records"; and the one entry point of the sync
    code, which names the Odoo model and is sent to its binding model
    (``_find``, ``_bind``, ``_linked_record``)."""

    _name = "sme.accounting.binding"
    _description = "Link between an Odoo record and an accounting system record"
    _auto = False
    _order = "backend_id, model, res_id"

    backend_id = fields.Many2one("sme.accounting.backend", "Connection", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    # A column of the view (grouped by in the list), with the connections' choice of systems.
    system = fields.Selection(
        lambda self: self.env["sme.accounting.backend"]
        ._fields["system"]
        ._description_selection(self.env),
        readonly=True,
    )
    model = fields.Char("Odoo model", readonly=True)
    res_id = fields.Integer("Odoo record id", readonly=True)
    binding_model = fields.Char(
        readonly=True, help="The typed binding model of this row."
    )
    binding_res_id = fields.Integer(readonly=True, help="The typed binding's id.")
    external_id = fields.Char(
        "Id there",
        readonly=True,
        help="The record's id in the accounting system (Tally: GUID).",
    )
    external_name = fields.Char(
        "Name there",
        readonly=True,
        help="The record's name there (Tally ledgers are addressed by name).",
    )
    external_version = fields.Char(
        readonly=True,
        help="The system's change marker when last exchanged (Tally ALTERID).",
    )
    payload_hash = fields.Char(readonly=True)
    sync_date = fields.Datetime("Last synced", readonly=True)
    record_name = fields.Char("Odoo record", compute="_compute_record_name")
    model_label = fields.Char(
        "Record type",
        compute="_compute_record_name",
        help="What the Odoo record is (Contact, Invoice, Account...).",
    )

    @api.model_cr
    def init(self):
        # Once every table of the module is there: the sync code imports
        # this file early, so this model may be set up before the typed
        # binding models whose tables the view reads.
        self.pool.post_init(self._create_view)

    @api.model_cr
    def _create_view(self):
        """The view: one SELECT per binding model. A row's id is its
        binding's id times the number of binding models plus the model's
        rank, unique across the tables and the same from one read to the
        next."""
        names = sorted(self._binding_model_names().values())
        selects = [
            sql.SQL(
                "SELECT b.id * {count} + {rank} AS id, {columns}, {model} AS model, "
                "b.odoo_id AS res_id, {binding_model} AS binding_model, b.id AS "
                "binding_res_id FROM {table} b"
            ).format(
                count=sql.Literal(len(names)),
                rank=sql.Literal(rank),
                columns=sql.SQL(", ").join(
                    sql.SQL("b.") + sql.Identifier(column) for column in SHARED_COLUMNS
                ),
                model=sql.Literal(self.env[name]._odoo_model),
                binding_model=sql.Literal(name),
                table=sql.Identifier(self.env[name]._table),
            )
            for rank, name in enumerate(names)
        ]
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            sql.SQL("CREATE VIEW {} AS ({})").format(
                sql.Identifier(self._table), sql.SQL(" UNION ALL ").join(selects)
            )
        )

    @api.model
    @tools.ormcache()
    def _binding_model_names(self):
        """``{Odoo model: its binding model}``, from the binding models' own
        ``_odoo_model`` (a new binding model needs no change here)."""
        return {
            model._odoo_model: name
            for name, model in self.env.registry.items()
            if getattr(model, "_odoo_model", None) and not model._abstract
        }

    @api.model
    def _typed(self, model):
        """The binding model of the Odoo ``model``."""
        name = self._binding_model_names().get(model)
        if not name:
            raise ValueError(
                "No binding model binds %s" % model
            )  # a programming error, not a user's
        return self.env[name]

    # ------------------------------------------------------------------
    # The sync code's entry points, by Odoo model name
    # ------------------------------------------------------------------
    @api.model
    def _find(self, backend, model, external_id=None, record=None):
        """The binding of ``external_id`` there, else of the Odoo ``record``."""
        return self._typed(model)._find(backend, external_id=external_id, record=record)

    @api.model
    def _linked_record(self, backend, model, external_name):
        """The Odoo record linked to the external record named so (Tally
        addresses ledgers by name), or an empty recordset."""
        return self._typed(model)._linked_record(backend, external_name)

    @api.model
    def _bind(self, backend, record, external_id, **values):
        """Create or refresh the binding of ``record``."""
        return self._typed(record._name)._bind(backend, record, external_id, **values)

    @api.model
    def _check_unbound(self, records, advice):
        """Refuse to delete ``records`` that are bound (with a word on what to
        do instead), before the foreign key refuses it with a database
        error."""
        bound = (
            self._typed(records._name)
            .sudo()
            .search([("odoo_id", "in", records.ids)], limit=1)
        )
        if bound:
            raise UserError(
                _("%s is in %s as '%s' (connection %s): %s")
                % (
                    bound.odoo_id.display_name,
                    bound.backend_id._client_class().label,
                    bound.external_name or bound.external_id,
                    bound.backend_id.name,
                    advice,
                )
            )

    # ------------------------------------------------------------------
    # Rows of the list
    # ------------------------------------------------------------------
    @api.multi
    def _compute_record_name(self):
        for row in self:
            record = row.record()
            row.record_name = record.display_name if record else "(deleted)"
            row.model_label = (
                self.env[row.model]._description if row.model in self.env else row.model
            )

    @api.multi
    def record(self):
        self.ensure_one()
        return (
            self.env[self.model].sudo().browse(self.res_id).exists()
            if self.model in self.env
            else None
        )

    @api.multi
    def typed_binding(self):
        """The typed binding a row of the list shows."""
        self.ensure_one()
        return self.env[self.binding_model].browse(self.binding_res_id)

    # No super(): the rows are a view (``_auto = False``) over the typed
    # binding tables, which PostgreSQL cannot write; each row's write and
    # unlink go to its typed binding instead.
    @api.multi
    def write(self, values):  # pylint: disable=method-required-super
        """A manager relinks a record from the list: the write goes to the
        typed binding (``res_id`` is its ``odoo_id``)."""
        values = dict(values)
        if "res_id" in values:
            values["odoo_id"] = values.pop("res_id")
        for row in self:
            row.typed_binding().write(values)
        return True

    @api.multi
    def unlink(self):  # pylint: disable=method-required-super
        """Unlink a record from the list: its typed binding goes."""
        for row in self:
            row.typed_binding().unlink()
        return True


def payload_hash(values):
    return hashlib.sha256(
        json.dumps(values, sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()
