# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

from sme_connectors import CLIENTS


class SmeAccountingConflict(models.Model):
    """A record both sides changed since the last sync, parked for a person
    to pick a side (conflict policy 'manual')."""

    _name = "sme.accounting.conflict"
    _description = "Accounting sync conflict"
    _order = "id desc"

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
    # Conflicts are about customers only (sync/customers.py): their partner binding.
    binding_id = fields.Many2one(
        "sme.accounting.partner.binding", required=True, ondelete="cascade", index=True
    )
    model = fields.Char(related="binding_id.model", readonly=True)
    record_name = fields.Char("Record", related="binding_id.record_name", readonly=True)
    rival_backend_id = fields.Many2one(
        "sme.accounting.backend",
        "Disagrees with",
        readonly=True,
        ondelete="set null",
        help="Odoo's values came from this other connection, of the same precedence.",
    )
    odoo_values = fields.Text(readonly=True)
    remote_values = fields.Text(readonly=True)
    remote_version = fields.Char(readonly=True)
    differences = fields.Html(
        compute="_compute_differences",
        sanitize=False,
        help="The fields the two sides disagree on, side by side.",
    )
    state = fields.Selection(
        [
            ("open", "To review"),
            ("odoo", "Kept Odoo's"),
            ("remote", "Kept the accounting system's"),
        ],
        default="open",
        required=True,
        readonly=True,
    )

    @api.multi
    def name_get(self):
        return [
            (conflict.id, "%s (%s)" % (conflict.record_name, conflict.backend_id.name))
            for conflict in self
        ]

    @api.multi
    def _compute_differences(self):
        for conflict in self:
            odoo = json.loads(conflict.odoo_values or "{}")
            remote = json.loads(conflict.remote_values or "{}")
            model = self.env[conflict.model] if conflict.model in self.env else None
            rows = []
            for key in sorted(set(odoo) | set(remote)):
                field = model._fields.get(key) if model is not None else None
                label = field.string if field is not None else key
                rows.append(
                    "<tr><th>%s</th><td>%s</td><td>%s</td></tr>"
                    % (
                        html_escape(label),
                        html_escape(conflict._shown(field, odoo.get(key))),
                        html_escape(conflict._shown(field, remote.get(key))),
                    )
                )
            system = (
                conflict.backend_id._client_class().label
                if conflict.backend_id.system in CLIENTS
                else _("The accounting system")
            )
            conflict.differences = (
                '<table class="table table-condensed '
                'o_sme_conflict_table"><thead><tr><th>%s</th><th>%s</th>'
                "<th>%s</th></tr></thead><tbody>%s</tbody></table>"
                % (
                    html_escape(_("Field")),
                    html_escape(
                        _("In Odoo (from %s)") % conflict.rival_backend_id.name
                        if conflict.rival_backend_id
                        else _("In Odoo")
                    ),
                    html_escape(system),
                    "".join(rows),
                )
            )

    def _shown(self, field, value):
        """A value as a person reads it: a related record by its name."""
        if value in (None, False, ""):
            return "—"
        if field is not None and field.type == "many2one":
            return (
                self.env[field.comodel_name]
                .sudo()
                .browse(int(value))
                .exists()
                .display_name
                or value
            )
        if field is not None and field.type == "selection":
            selection = field.selection if isinstance(field.selection, list) else []
            return dict(selection).get(value, value)
        return value

    @api.multi
    def action_keep_remote(self):
        """Apply the accounting system's values to the Odoo record."""
        for conflict in self._open_only():
            record = conflict.binding_id.record()
            record.with_context(sme_hub_importing=True).write(
                json.loads(conflict.remote_values)
            )
            conflict.binding_id.write(
                {
                    "external_version": conflict.remote_version,
                    "sync_date": fields.Datetime.now(),
                }
            )
            conflict.state = "remote"
        return True

    @api.multi
    def action_keep_odoo(self):
        """Send Odoo's record to the accounting system again."""
        for conflict in self._open_only():
            conflict.binding_id.write({"external_version": conflict.remote_version})
            conflict.backend_id._enqueue_export(conflict.binding_id.record())
            conflict.state = "odoo"
        return True

    def _open_only(self):
        if self.filtered(lambda c: c.state != "open"):
            raise UserError(_("This conflict was already resolved."))
        return self
