# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
import re

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.sme_customer_master.tools import secrets
from odoo.addons.sme_customer_master.tools.phone import InvalidPhone, normalize_phone

from sme_connectors.base import ConnectorError, TransientError
from sme_connectors.redact import redact
from sme_connectors.sms import SmsClient

ROUTES = [("promotional", "Promotional"), ("transactional", "Transactional")]
# The sandbox of connectors/sme_connectors/sandbox/sms_gateway.py (scripts/run.sh
# starts it); a real account is https://api.kaleyra.io (or its India pod).
SANDBOX_URL = "http://127.0.0.1:9050"
# The client's answers -> the states the campaign's recipients take.
STATES = {"accepted": "sent", "rejected": "rejected", "deferred": "deferred"}
SECRET_COLUMN = "api_key_ciphertext"


class SmeMarketingSmsGateway(models.Model):
    """A company's account at a bulk-SMS gateway (Kaleyra.io's API, see
    ``sme_connectors.sms``): the DLT sender id (header) and entity, the
    route, and the API key, encrypted at rest with the SME Hub key (never in
    the database) and never returned by ``read()``: the form shows only
    whether one is set. Campaigns send through ``_sme_send``."""

    _name = "sme.marketing.sms.gateway"
    _inherit = ["sme.secret.key.mixin"]
    _description = "SMS gateway"
    _order = "name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env["res.company"]._company_default_get(
            "sme.marketing.sms.gateway"
        ),
    )
    base_url = fields.Char(
        "Base URL",
        required=True,
        default=SANDBOX_URL,
        help="The gateway's API address: https://api.kaleyra.io for a Kaleyra "
        "account, %s for the local sandbox." % SANDBOX_URL,
    )
    account_sid = fields.Char(
        "Account SID",
        required=True,
        help="The account's SID, part of every API address (Kaleyra: "
        "Developers > API keys).",
    )
    sender_id = fields.Char(
        "Sender id (DLT header)",
        required=True,
        size=6,
        help="The header registered on the DLT portal: 6 digits for "
        "promotional SMS, 6 letters for transactional ones.",
    )
    dlt_entity_id = fields.Char(
        "DLT entity id",
        help="The principal entity id of the company on the DLT portal.",
    )
    route = fields.Selection(
        ROUTES,
        required=True,
        default="promotional",
        help="Promotional SMS are not delivered to numbers on the DND (NCPR) "
        "list; transactional ones (orders, payments) are.",
    )
    timeout = fields.Integer("Timeout (seconds)", default=30)
    api_key = fields.Char(
        "API key",
        compute="_compute_api_key",
        inverse="_inverse_api_key",
        groups="sme_marketing.group_sme_marketing_manager",
        help="Write-only: stored encrypted, never shown again. Leave empty to "
        "keep the stored key.",
    )
    api_key_state = fields.Char("API key stored", compute="_compute_api_key")
    # The ciphertext: written and read by this model's own code only (SQL),
    # never returned by read(), not even to the administrator.
    api_key_ciphertext = fields.Text(
        prefetch=False, copy=False, readonly=True, groups="base.group_system"
    )
    test_number = fields.Char("Test mobile number")
    test_template_id = fields.Char("Test DLT template id")
    test_text = fields.Char("Test text", default="SME Hub test message")
    last_test = fields.Char("Last test", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    @api.constrains("sender_id", "route")
    def _check_sender_id(self):
        for gateway in self:
            sender = gateway.sender_id or ""
            if gateway.route == "promotional" and not re.match(r"^\d{6}\Z", sender):
                raise ValidationError(
                    _(
                        "%(gateway)s: promotional SMS go out under a 6-digit "
                        "numeric header registered on the DLT portal, not "
                        "'%(sender)s'."
                    )
                    % {"gateway": gateway.name, "sender": sender}
                )
            if gateway.route == "transactional" and not re.match(
                r"^[A-Za-z]{6}\Z", sender
            ):
                raise ValidationError(
                    _(
                        "%(gateway)s: transactional SMS go out under a 6-letter "
                        "header registered on the DLT portal, not '%(sender)s'."
                    )
                    % {"gateway": gateway.name, "sender": sender}
                )

    @api.constrains("dlt_entity_id", "timeout", "base_url")
    def _check_settings(self):
        for gateway in self:
            if gateway.dlt_entity_id and not gateway.dlt_entity_id.isdigit():
                raise ValidationError(
                    _("%s: the DLT entity id is a number (digits only).") % gateway.name
                )
            if not 1 <= (gateway.timeout or 0) <= 300:
                raise ValidationError(
                    _("%s: the timeout is 1 to 300 seconds.") % gateway.name
                )
            if not re.match(r"^https?://", gateway.base_url or ""):
                raise ValidationError(
                    _("%s: the base URL starts with http:// or https://.")
                    % gateway.name
                )

    # ------------------------------------------------------------------
    # The API key: encrypted, write-only
    # ------------------------------------------------------------------
    @api.multi
    def _sme_ciphertexts(self):
        """``{gateway id: ciphertext}`` of those with a key stored (SQL: the
        field is behind the administrator group and stripped from read())."""
        if not self.ids:
            return {}
        self.env.cr.execute(
            "SELECT id, api_key_ciphertext FROM sme_marketing_sms_gateway"
            " WHERE id IN %s AND api_key_ciphertext IS NOT NULL",
            [tuple(self.ids)],
        )
        return dict(self.env.cr.fetchall())

    @api.multi
    def _compute_api_key(self):
        stored = self._sme_ciphertexts()
        for gateway in self:
            gateway.api_key = False  # never shown, never returned by read()
            gateway.api_key_state = _("set") if stored.get(gateway.id) else _("not set")

    @api.multi
    def _inverse_api_key(self):
        key = None
        for gateway in self:
            value = (gateway.api_key or "").strip()
            if not value:
                continue  # empty: keep the stored key
            key = key or self._sme_secret_key()
            try:
                token = secrets.encrypt(key, value)
            except secrets.SecretKeyError as error:
                raise UserError(str(error)) from None
            gateway.sudo().write({SECRET_COLUMN: token})

    @api.multi
    def _sme_api_key(self):
        """The plaintext API key, or None when none is stored."""
        self.ensure_one()
        token = self._sme_ciphertexts().get(self.id)
        if not token:
            return None
        try:
            return secrets.decrypt(self._sme_secret_key(), token)
        except secrets.SecretKeyError as error:
            raise UserError(str(error)) from None

    @api.model
    def _sme_rotate_key(self, old_key, new_key):
        """Re-encrypt every stored API key from ``old_key`` to ``new_key``
        (scripts/rotate-secret-key.sh). All or nothing: one unreadable key
        stops it before anything is written."""
        self.env.cr.execute(
            "SELECT id, api_key_ciphertext FROM sme_marketing_sms_gateway"
            " WHERE api_key_ciphertext IS NOT NULL"
        )
        tokens = [
            (row_id, secrets.reencrypt(old_key, new_key, token))
            for row_id, token in self.env.cr.fetchall()
        ]
        for row_id, token in tokens:
            self.env.cr.execute(
                "UPDATE sme_marketing_sms_gateway SET api_key_ciphertext = %s"
                " WHERE id = %s",
                (token, row_id),
            )
        self.invalidate_cache([SECRET_COLUMN])
        return len(tokens)

    @api.model
    def create(self, values):
        gateway = super(SmeMarketingSmsGateway, self).create(values)
        if "api_key" in values:
            # The plaintext written must not stay in the cache either, for
            # whatever reads the gateway later in this transaction.
            gateway.invalidate_cache(["api_key", "api_key_state"], gateway.ids)
        return gateway

    @api.multi
    def write(self, values):
        result = super(SmeMarketingSmsGateway, self).write(values)
        if "api_key" in values:
            self.invalidate_cache(["api_key", "api_key_state"], self.ids)
        return result

    @api.multi
    def read(self, fields=None, load="_classic_read"):
        # Not even the superuser gets the ciphertext through the API. All
        # fields (none asked) are those the user may read, as Odoo has it.
        asked = self.check_field_access_rights("read", fields)
        kept = [name for name in asked if name != SECRET_COLUMN] or ["id"]
        return super(SmeMarketingSmsGateway, self).read(kept, load=load)

    @api.multi
    def export_data(self, fields_to_export, raw_data=False):
        if any(name.split("/")[0] == SECRET_COLUMN for name in fields_to_export or []):
            raise AccessError(_("Stored API keys cannot be exported."))
        return super(SmeMarketingSmsGateway, self).export_data(
            fields_to_export, raw_data=raw_data
        )

    # ------------------------------------------------------------------
    # Talking to the gateway
    # ------------------------------------------------------------------
    @api.multi
    def _sme_client(self):
        self.ensure_one()
        try:
            return SmsClient(
                self.base_url,
                self.account_sid,
                self._sme_api_key(),
                self.sender_id,
                route=self.route,
                entity_id=self.dlt_entity_id or None,
                timeout=self.timeout or 30,
            )
        except ConnectorError as error:
            raise UserError(
                _("SMS gateway %(gateway)s: %(error)s")
                % {"gateway": self.name, "error": error}
            ) from None

    @api.multi
    def _sme_fault(self, error):
        """The queue_job or user error for a connector error: retry later
        for rate limits and outages (after the gateway's Retry-After), a
        plain refusal otherwise (wrong key, sender, template...)."""
        text = _("SMS gateway %(gateway)s: %(error)s") % {
            "gateway": self.name,
            "error": redact(str(error), [self.sudo()._sme_api_key() or ""]),
        }
        if isinstance(error, TransientError):
            seconds = error.retry_after
            return RetryableJobError(
                text, seconds=int(math.ceil(seconds)) if seconds else None
            )
        return UserError(text)

    @api.multi
    def _sme_send(self, template_id, messages):
        """Send ``messages`` = ``[(key, e164_number, text)]`` under the DLT
        content template ``template_id``. Returns ``{key: {"state", "reason",
        "provider_message_id", "code"}}`` with state ``sent`` (accepted by
        the gateway), ``rejected`` (invalid number, DND on the promotional
        route, text not as the template: ``reason`` and ``code`` say which)
        or ``deferred`` (not sent: the gateway stopped part-way through the
        batch; ``retry_after`` seconds; send those again later).

        Raises RetryableJobError (with the gateway's Retry-After) for a
        rate limit or an outage before anything was sent, so the calling
        queue job is retried; UserError for a refusal of the whole batch
        (API key, sender id, template not registered)."""
        self.ensure_one()
        messages = [tuple(message) for message in messages or ()]
        if any(len(message) != 3 for message in messages):
            raise UserError(
                _("SMS gateway %s: messages are (key, number, text) triples.")
                % self.name
            )
        if not messages:
            return {}
        client = self._sme_client()
        try:
            results = client.send(
                template_id, [(number, text) for _key, number, text in messages]
            )
        except ConnectorError as error:
            raise self._sme_fault(error) from None
        answers = {}
        for (key, _number, _text), result in zip(messages, results):
            answer = {
                "state": STATES[result.status],
                "reason": result.reason or "",
                "provider_message_id": result.message_id or "",
                "code": result.code or "",
            }
            if result.status == "deferred":
                answer["retry_after"] = result.retry_after
            answers[key] = answer
        return answers

    @api.multi
    def _sme_delivery_states(self, provider_ids):
        """``{provider id: {"state": "delivered" | "failed" | "pending",
        "reason": the gateway's words}}``. Raises RetryableJobError for a
        rate limit or an outage, UserError for a refusal."""
        self.ensure_one()
        ids = [str(i) for i in provider_ids or () if i]
        if not ids:
            return {}
        client = self._sme_client()
        try:
            found = client.statuses(ids)
        except ConnectorError as error:
            raise self._sme_fault(error) from None
        return {
            provider_id: {"state": status.state, "reason": status.detail or ""}
            for provider_id, status in found.items()
        }

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    @api.multi
    def action_test_connection(self):
        """Asks the gateway for a delivery report (sends nothing): checks
        the address, the account and the API key."""
        self.ensure_one()
        try:
            seconds, said = self._sme_client().test_connection()
        except ConnectorError as error:
            fault = self._sme_fault(error)
            raise UserError(
                _("Connection failed: %s") % (fault.args[0] if fault.args else fault)
            ) from None
        self.last_test = _("Connected in %(ms)d ms: %(said)s") % {
            "ms": seconds * 1000,
            "said": said,
        }
        return True

    @api.multi
    def action_send_test_sms(self):
        """Sends ``test_text`` to ``test_number`` under ``test_template_id``."""
        self.ensure_one()
        if not (self.test_number and self.test_template_id and self.test_text):
            raise UserError(
                _("Fill in the test mobile number, the DLT template id and the text.")
            )
        try:
            number = normalize_phone(self.test_number)
        except InvalidPhone:
            number = None
        if not number:
            raise UserError(_("%s is not a valid mobile number.") % self.test_number)
        try:
            answer = self._sme_send(
                self.test_template_id, [(0, number, self.test_text)]
            )[0]
        except RetryableJobError as error:
            raise UserError(
                _("%s Try again in a moment.") % (error.args[0] if error.args else "")
            ) from None
        if answer["state"] != "sent":
            raise UserError(
                _("The gateway did not send the test SMS to %(number)s: %(reason)s")
                % {
                    "number": number,
                    "reason": ("%s %s" % (answer["code"], answer["reason"])).strip(),
                }
            )
        self.last_test = _(
            "Test SMS to %(number)s accepted (message id %(message)s)."
        ) % {"number": number, "message": answer["provider_message_id"]}
        return True
