from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..connectors import CLIENTS
from ..connectors.base import SettingsMissing
from ..connectors.redact import RedactingClient

class SmeAccountingBackend(models.Model):
    """Which connector a backend uses, and what that system can do."""

    _inherit = "sme.accounting.backend"

    system_note = fields.Text(compute="_compute_system_note")

    @api.depends("system", "direction")
    def _compute_system_note(self):
        for backend in self:
            client = CLIENTS.get(backend.system)
            if not client:
                backend.system_note = False
                continue
            note, system = _(client.note), client.label
            # What the system can do is not what this connection does: say which ways it is set to go.
            if backend.direction == "pull" or not client.pushes:
                note += "\n" + _("This connection only reads from %s: nothing made in Odoo is sent there.") % system
            elif backend.direction == "push":
                note += "\n" + _("This connection only sends to %s: nothing is read from it.") % system
            else:
                note += "\n" + _("This connection goes both ways: it reads from %s and sends Odoo's records "
                                  "there.") % system
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
    def _read_point(self, entity):
        """Where the next pull of ``entity`` starts: the stored marker, or the
        beginning when the system needs its periodic full read."""
        self.ensure_one()
        cursor = self._cursor(entity)
        hours = self._client_class().full_read_hours
        if hours:
            last = cursor.get("full_read")
            now = fields.Datetime.from_string(fields.Datetime.now())
            if not last or (now - fields.Datetime.from_string(last)).total_seconds() >= hours * 3600:
                self._set_cursor(entity, full_read=fields.Datetime.now())
                return None
        return cursor.get("version")

    @api.multi
    def _connector(self):
        """The plain-Python client for this backend, behind a wrapper that
        takes the connection's secrets (and anything shaped like one) out of
        every error it raises or returns: an accounting system may echo a
        token back in its error text."""
        self.ensure_one()
        client = self._plain_connector()
        return RedactingClient(client, self._secrets_to_hide())

    @api.multi
    def _secrets_to_hide(self):
        self.ensure_one()
        return self.env["sme.accounting.credential"].sudo()._all_plaintexts(self) if self.id else []

    @api.multi
    def _plain_connector(self):
        """The system's client, made from the connection's settings in
        neutral words (see ``AccountingClient.from_settings``)."""
        self.ensure_one()
        client_class = self._client_class()
        settings = {
            "url": self.url or None, "company": self.remote_company or None, "branch": self.remote_branch or "0",
            "series": self.voucher_series, "timeout": self.timeout or 30, "customer_group": self.customer_group,
            "password": self._secret("password"), "api_key": self._secret("api_key"),
            "organization_id": self.zoho_organization_id, "region": self.zoho_region or "in",
            "realm_id": self.qbo_realm_id, "environment": self.qbo_environment or "production",
            "sales_item": self.qbo_sales_item or "Sales",
            # The company's state decides intra-state (CGST + SGST) or inter-state (IGST) tax.
            "company_state": self.company_id.state_id.code or self.company_id.vat or None,
        }
        if client_class.needs_oauth:
            settings["auth"] = self._oauth_auth()
        try:
            return client_class.from_settings(settings)
        except SettingsMissing as missing:
            raise UserError(str(missing))
