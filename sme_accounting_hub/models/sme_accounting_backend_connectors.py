from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..connectors.redact import RedactingClient
from .sme_accounting_backend import SYSTEMS
from .sme_accounting_backend_jobs import PULL_ENTITIES

# What each system's connector can read into Odoo and take from it.
PULLS = {
    "tally": frozenset(PULL_ENTITIES),
    "busy": frozenset(("customers", "invoices", "payments", "journals")),
    "marg": frozenset(("customers", "invoices")),
    "zoho": frozenset(("customers", "accounts", "invoices", "payments", "journals", "trial_balance")),
    "quickbooks": frozenset(("customers", "accounts", "invoices", "payments", "journals", "trial_balance")),
}
PUSHES = {
    "tally": frozenset(("customers", "invoices", "payments", "journals", "bank")),
    "busy": frozenset(("customers", "invoices", "payments", "journals")),
    "marg": frozenset(),
    "zoho": frozenset(("customers", "invoices", "payments", "journals")),
    "quickbooks": frozenset(("customers", "invoices", "payments", "journals")),
}
# Systems without a change counter: every so often a pull reads everything
# again (records are compared by content) to catch edits of old records.
FULL_READ_HOURS = {"busy": 24}
SYSTEM_NOTES = {
    "tally": "Tally: customers, invoices, payments, journals and bank entries both ways; chart of accounts and "
             "trial balance in. Tally's XML server must be on (F1 > Settings > Connectivity).",
    "busy": "Busy: through the SME Hub agent on the Busy PC (see the agent's readme): customers both "
            "ways; sales, credit notes, receipts and journals out; sales, receipts and journals in. "
            "API key = the agent's token.",
    "zoho": "Zoho Books (API v3): customers and invoices both ways, payments, credit notes and journals "
            "out, chart of accounts, payments, journals and trial balance in. Connect with your Zoho app's "
            "client ID and secret (api-console.zoho.in), then Connect.",
    "quickbooks": "QuickBooks Online (API v3): customers and invoices both ways, payments, credit notes "
                  "and journals out, chart of accounts, payments, journals and trial balance in. Connect "
                  "with your Intuit app's client ID and secret (developer.intuit.com), then Connect.",
    "marg": "Marg ERP gives data out only: parties and sales bills are pulled into Odoo; nothing is "
            "sent to Marg. API key = MargKey, password = the company's decryption key.",
}


class SmeAccountingBackend(models.Model):
    """Which connector a backend uses, and what that system can do."""

    _inherit = "sme.accounting.backend"

    system_note = fields.Text(compute="_compute_system_note")

    @api.depends("system", "direction")
    def _compute_system_note(self):
        for backend in self:
            note = _(SYSTEM_NOTES[backend.system]) if backend.system in SYSTEM_NOTES else _(
                "The %s connector is not available yet.") % dict(SYSTEMS).get(backend.system, "")
            # What the system can do is not what this connection does: say which ways it is set to go.
            system = dict(SYSTEMS).get(backend.system, "")
            if backend.direction == "pull" or not PUSHES.get(backend.system):
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
        return entity in PULLS.get(self.system, ())

    @api.multi
    def _can_push(self, entity):
        self.ensure_one()
        return entity in PUSHES.get(self.system, ())

    @api.multi
    def _read_point(self, entity):
        """Where the next pull of ``entity`` starts: the stored marker, or the
        beginning when the system needs its periodic full read."""
        self.ensure_one()
        cursor = self._cursor(entity)
        hours = FULL_READ_HOURS.get(self.system)
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
        self.ensure_one()
        timeout = self.timeout or 30
        if self.system == "tally":
            from ..connectors.tally import TallyClient
            if not (self.url and self.remote_company):
                raise UserError(_("Set the server address and the Tally company name first."))
            return TallyClient(self.url, self.remote_company, timeout=timeout, password=self._secret("password"))
        if self.system == "busy":
            from ..connectors.busy import BusyClient
            token = self._secret("api_key")
            if not (self.url and token):
                raise UserError(_("Set the agent's address and its token (API key) first."))
            return BusyClient(self.url, token, company=self.remote_company or None,
                              series=self.voucher_series, timeout=timeout)
        if self.system == "marg":
            from ..connectors.marg import MargClient
            marg_key, decryption_key = self._secret("api_key"), self._secret("password")
            if not (self.remote_company and marg_key and decryption_key):
                raise UserError(_("Set the Marg company code, the MargKey (API key) and the decryption "
                                  "key (password) first."))
            return MargClient(self.url, self.remote_company, marg_key, decryption_key,
                              company_id=self.remote_branch or "0", timeout=timeout)
        if self.system == "zoho":
            from ..connectors.zoho import ZohoClient
            if not self.zoho_organization_id:
                raise UserError(_("Set the Zoho organization ID first (Zoho Books › Settings › Organization)."))
            # The company's state decides intra-state (CGST + SGST) or inter-state (IGST) tax.
            return ZohoClient(self.zoho_organization_id, self._oauth_auth(), region=self.zoho_region or "in",
                              base_url=self.url or None, timeout=timeout,
                              company_state=self.company_id.state_id.code or self.company_id.vat or None)
        if self.system == "quickbooks":
            from ..connectors.quickbooks import QuickBooksClient
            if not self.qbo_realm_id:
                raise UserError(_("Connect first: QuickBooks gives the company's realmId when you do."))
            return QuickBooksClient(self.qbo_realm_id, self._oauth_auth(), self.qbo_environment or "production",
                                    base_url=self.url or None, timeout=timeout,
                                    sales_item=self.qbo_sales_item or "Sales")
        raise UserError(_("The %s connector is not available yet.") % dict(SYSTEMS)[self.system])
