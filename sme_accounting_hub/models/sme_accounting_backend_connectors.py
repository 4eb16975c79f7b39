# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from sme_connectors import CLIENTS
from sme_connectors.base import SettingsMissing
from sme_connectors.redact import RedactingClient


class SmeAccountingBackend(models.Model):
    """Which connector a backend uses, and what that system can do."""

    _inherit = "sme.accounting.backend"

    system_note = fields.Text(compute="_compute_system_note")
    # ",customers,invoices,": what the form offers to sync (the checkboxes
    # follow the system's capabilities, not a list of systems in the view).
    sync_entities = fields.Char(compute="_compute_system_note")

    @api.depends("system", "direction")
    def _compute_system_note(self):
        for backend in self:
            client = CLIENTS.get(backend.system)
            backend.sync_entities = (
                ",%s," % ",".join(sorted(client.pulls | client.pushes))
                if client
                else ","
            )
            if not client:
                backend.system_note = False
                continue
            note, system = _(client.note), client.label
            # What the system can do is not what this connection does: say which ways it
            # is set to go.
            if backend.direction == "pull" or not client.pushes:
                note += (
                    "\n"
                    + _(
                        "This connection only reads from %s: nothing made in Odoo is "
                        "sent there."
                    )
                    % system
                )
            elif backend.direction == "push":
                note += (
                    "\n"
                    + _("This connection only sends to %s: nothing is read from it.")
                    % system
                )
            else:
                note += (
                    "\n"
                    + _(
                        "This connection goes both ways: it reads from %s and sends "
                        "Odoo's records there."
                    )
                    % system
                )
            backend.system_note = note

    @api.multi
    def _can_pull(self, entity):
        self.ensure_one()
        return entity in self._client_class().pulls

    @api.multi
    def _can_push(self, entity):
        self.ensure_one()
        return entity in self._client_class().pushes

    @api.multi
    def _client_class(self):
        """The connector class of the connection's system: what it can do."""
        self.ensure_one()
        return CLIENTS[self.system]

    @api.multi
    def _connector(self):
        """The plain-Python client for this backend, made from its settings
        in neutral words (``AccountingClient.from_settings``), behind a
        wrapper that takes the connection's secrets (and anything shaped
        like one) out of every error it raises or returns: an accounting
        system may echo a token back in its error text."""
        self.ensure_one()
        if not self.settings_ref:
            raise UserError(_("%s has no settings yet.") % self.name)
        try:
            client = self._client_class().from_settings(
                self.settings_ref._connector_settings()
            )
        except SettingsMissing as missing:
            raise UserError(str(missing)) from None
        return RedactingClient(
            client, self.env["sme.accounting.credential"].sudo()._all_plaintexts(self)
        )
