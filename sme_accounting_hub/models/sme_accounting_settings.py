# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.tools import config

from odoo.addons.sme_customer_master.tools import secrets

# A system's settings model, found by convention from its key (the
# connectors' CLIENTS stays the only list of systems): "tally" ->
# sme.accounting.settings.tally. A client class may name another one in a
# ``settings_model`` attribute.
SETTINGS_MODEL = "sme.accounting.settings.%s"


def settings_model_of(client_class):
    return (
        getattr(client_class, "settings_model", None)
        or SETTINGS_MODEL % client_class.system
    )


class SmeAccountingSettings(models.AbstractModel):
    """What one connection needs to reach its system, one record per
    connection in the system's own model (``sme.accounting.settings.tally``
    ...; OCA ``base_external_system``'s pattern). Shared here: the server
    address and the timeout. Secrets are fields computed empty and written
    through to ``sme.accounting.credential`` (encrypted, keyed by the
    connection): a system's model declares them with
    ``compute="_compute_secrets", inverse="_inverse_secrets"``."""

    _name = "sme.accounting.settings"
    _description = "Accounting connection settings"
    _rec_name = "backend_id"

    backend_id = fields.Many2one(
        "sme.accounting.backend",
        "Connection",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="backend_id.company_id", store=True, readonly=True
    )
    system = fields.Selection(related="backend_id.system", readonly=True)
    url = fields.Char("Server address")
    timeout = fields.Integer("Timeout (seconds)", default=30)
    secrets_set = fields.Char(compute="_compute_secrets", string="Credentials stored")
    key_location = fields.Char(
        compute="_compute_key_location",
        string="Encryption key",
        groups="base.group_system",
        help="Where the key that encrypts the credentials lives (never in the database).",
    )

    _sql_constraints = [
        ("backend_uniq", "unique(backend_id)", "A connection has one settings record."),
    ]

    @api.multi
    def name_get(self):
        # What the connection's form shows: "Tally settings, http://192.168.1.20:9000".
        return [
            (
                settings.id,
                "%s, %s"
                % (
                    _(settings._description),
                    settings.url or _("the system's own server"),
                ),
            )
            for settings in self
        ]

    @api.model
    def _secret_names(self):
        """The write-only secret fields of this system's model."""
        return [
            name
            for name, field in self._fields.items()
            if field.inverse == "_inverse_secrets"
        ]

    @api.multi
    def _compute_secrets(self):
        Credential = self.env["sme.accounting.credential"]
        stored = Credential._rows([s.backend_id.id for s in self if s.backend_id.id])
        for settings in self:
            for name in settings._secret_names():
                settings[name] = False  # never shown, never returned by read()
            names = [
                name
                for _id, backend_id, name, _token in stored
                if backend_id == settings.backend_id.id
            ]
            settings.secrets_set = ", ".join(sorted(names)) if names else _("none")

    @api.multi
    def _inverse_secrets(self):
        # Odoo calls it once per secret field written: each call stores the
        # ones with a value (empty means "keep the stored one"). Only fields
        # already in the cache are looked at: reading another one would
        # compute them all empty, the value being written with them.
        for settings in self:
            for name in settings._secret_names():
                if name in settings._cache and settings[name]:
                    self.env["sme.accounting.credential"]._store(
                        settings.backend_id, name, settings[name]
                    )

    @api.multi
    def _compute_key_location(self):
        try:
            source, path = secrets.key_source(config)
            text = {
                "environment": _("The SME_HUB_SECRET_KEY environment variable"),
                "config": _("The Odoo config file (sme_hub_secret_key)"),
                "data_dir": _(
                    "Made by the hub in %s, as the Odoo config has no key: back this file up "
                    "with the database"
                )
                % path,
            }[source]
        except secrets.SecretKeyError as error:
            text = str(error)
        for settings in self:
            settings.key_location = text

    @api.multi
    def _secret(self, name):
        """The plaintext of one of the connection's secrets (None: not set)."""
        self.ensure_one()
        return self.env["sme.accounting.credential"]._read(self.backend_id, name)

    @api.multi
    def _connector_settings(self):
        """The neutral mapping the system's client is made from
        (``AccountingClient.from_settings``); each system's model adds its
        own keys to this."""
        self.ensure_one()
        company = self.backend_id.company_id
        return {
            "url": self.url or None,
            "timeout": self.timeout or 30,
            # The company's state decides intra-state (CGST + SGST) or inter-state (IGST) tax.
            "company_state": company.state_id.code or company.vat or None,
        }

    @api.model
    def create(self, values):
        settings = super(SmeAccountingSettings, self).create(values)
        # The connection points back at its settings: the form's link.
        settings.backend_id.sudo().write(
            {"settings_ref": "%s,%d" % (settings._name, settings.id)}
        )
        return settings
