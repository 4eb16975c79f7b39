# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from psycopg2 import sql

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import (
    InvalidName,
    InvalidPhone,
    arguments as check,
    clean_gstin,
    is_valid_email,
    normalize_phone,
    sanitize_name,
)

_logger = logging.getLogger(__name__)

PHONE_UNIQUE_INDEX = "res_partner_sme_phone_company_uniq"
# Fields whose change can change a customer's normalised phone.
PHONE_TRIGGER_FIELDS = {"phone", "customer", "parent_id", "company_id"}
# Bookkeeping fields whose change is no news for listeners of customer events.
SILENT_FIELD_PREFIXES = ("message_", "activity_", "__last_update")
# GST registration types, with the codes Zoho Books uses (``gst_treatment``).
GST_TREATMENTS = [
    ("business_gst", "Registered business - regular"),
    ("business_composition", "Registered business - composition"),
    ("business_none", "Unregistered business"),
    ("consumer", "Consumer"),
    ("overseas", "Overseas"),
    ("special_economic_zone", "Special economic zone"),
    ("deemed_export", "Deemed export"),
    ("tax_deductor", "Tax deductor"),
    ("sez_developer", "SEZ developer"),
]


class ResPartner(models.Model):
    """A *customer* of the master is a commercial partner (no parent) with
    ``customer`` set. Its phone is stored normalised (E.164) and unique per
    company; its name is sanitised; the company's required fields apply."""

    _inherit = "res.partner"

    sme_phone_normalized = fields.Char(
        string="Phone (E.164)",
        readonly=True,
        copy=False,
        index=True,
        help="The customer's phone in international form: the key that makes "
        "a customer unique within a company.",
    )
    sme_phone_search = fields.Char(
        string="Phone (any spelling)",
        compute="_compute_sme_phone_search",
        search="_search_sme_phone_search",
    )
    sme_credit_hold = fields.Boolean(
        string="Credit hold",
        track_visibility="onchange",
        copy=False,
        help="No invoice can be validated for a customer on hold, except by an "
        "accounting manager. Set by hand or by other systems (finance).",
    )
    sme_credit_hold_reason = fields.Char(
        string="Hold reason", track_visibility="onchange"
    )
    sme_open_receivable = fields.Monetary(
        string="Open receivables",
        compute="_compute_sme_open_receivable",
        currency_field="sme_company_currency_id",
        help="What the customer still owes on validated invoices, less open credit notes.",
    )
    sme_company_currency_id = fields.Many2one(
        "res.currency", compute="_compute_sme_open_receivable"
    )
    sme_invoice_count = fields.Integer(
        string="Purchases", compute="_compute_sme_invoice_count"
    )
    sme_gst_treatment = fields.Selection(
        GST_TREATMENTS,
        string="GST treatment",
        help="The customer's GST registration type, as accounting systems (Zoho Books) "
        "need it.",
    )
    sme_place_of_supply_id = fields.Many2one(
        "res.country.state",
        string="Place of supply",
        domain="[('country_id.code', '=', 'IN')]",
        help="The Indian state whose GST is charged: the customer's state unless set "
        "otherwise.",
    )

    # ------------------------------------------------------------------
    # Identity rules
    # ------------------------------------------------------------------
    @api.multi
    def _sme_is_master_customer(self):
        self.ensure_one()
        return bool(self.customer and not self.parent_id)

    @api.model
    def _sme_vals_make_master_customer(self, vals, partner=None):
        """Whether a record (``partner``, or a new one) is a master customer
        once ``vals`` are applied."""
        customer = (
            vals["customer"]
            if "customer" in vals
            else (
                partner.customer
                if partner
                else self.default_get(["customer"]).get("customer")
            )
        )
        parent = (
            vals["parent_id"]
            if "parent_id" in vals
            else (partner.parent_id.id if partner else False)
        )
        return bool(customer and not parent)

    @api.multi
    def _sme_company(self):
        self.ensure_one()
        return self.company_id or self.env.user.company_id

    @api.multi
    def _sme_expected_phone(self):
        """The normalised phone this record must carry (None for records the
        rule does not cover). Raises ValidationError for an invalid phone."""
        self.ensure_one()
        if not (self._sme_is_master_customer() and self.phone):
            return None
        try:
            return normalize_phone(self.phone, self._sme_company()._sme_phone_region())
        except InvalidPhone:
            raise ValidationError(
                _("'%s' is not a valid phone number (customer '%s').")
                % (self.phone, self.name)
            ) from None

    @api.multi
    def _sme_sync_phone(self):
        for partner in self:
            phone = partner._sme_expected_phone()
            if phone != partner.sme_phone_normalized:
                if phone:
                    partner._sme_check_phone_is_free(phone)
                super(ResPartner, partner).write({"sme_phone_normalized": phone})

    @api.multi
    def _sme_check_phone_is_free(self, phone, company=None):
        """Friendly twin of the unique index: name the customer who has it
        (in ``company``, by default the record's own)."""
        self.ensure_one()
        if company is None:
            company, company_id = self._sme_company(), self.company_id.id or False
        else:
            company_id = company.id or False
        other = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("sme_phone_normalized", "=", phone),
                    ("company_id", "=", company_id),
                    ("id", "!=", self.id or 0),
                ],
                limit=1,
            )
        )
        if other:
            raise ValidationError(
                _(
                    "The phone %s already belongs to customer '%s' (ID %d%s) in %s. "
                    "Open that customer instead; one phone number is one customer."
                )
                % (
                    phone,
                    other.name,
                    other.id,
                    "" if other.active else _(", archived"),
                    company.name or _("no company"),
                )
            )

    @api.model
    def _sme_clean_name(self, name, company):
        if name is not False and name is not None and not isinstance(name, str):
            raise UserError(_("A customer's name must be a text."))
        try:
            return sanitize_name(name, company.sme_customer_placeholder_name)
        except InvalidName as error:
            if str(error) == "empty name":
                raise UserError(
                    _(
                        "A customer needs a name (a name of only spaces or invisible "
                        "characters is empty)."
                    )
                ) from None
            raise UserError(
                _("A customer's name cannot contain a %s.") % error
            ) from None

    @api.multi
    def _sme_check_company_move(self, company_id):
        """Before customers change company. A user may only move customers
        into a company they work in, and is told so before anything is
        looked up there: the answer never depends on the customers of a
        company the user cannot see. Where the user may look, a phone the
        target company already has is refused naming its customer (the
        unique index would otherwise answer with a database error)."""
        target = (
            self.env["res.company"]
            .sudo()
            .browse(check.record_id("company_id", company_id) or [])
        )
        user = self.env.user
        for partner in self:
            if partner.company_id == target or not partner._sme_is_master_customer():
                continue
            if (
                target
                and self.env.uid != SUPERUSER_ID
                and target not in user.company_ids
            ):
                raise AccessError(
                    _("You cannot move customer '%s' to a company you do not work in.")
                    % partner.name
                )
            if partner.sme_phone_normalized:
                partner._sme_check_phone_is_free(partner.sme_phone_normalized, target)

    @api.model
    def _sme_compact_gstin(self, vat):
        """GSTINs are stored compact and upper case when they are valid;
        invalid ones are left for the constraint to report."""
        try:
            return clean_gstin(vat) if vat else vat
        except ValueError:
            return vat

    @api.constrains(
        "name",
        "street",
        "city",
        "email",
        "vat",
        "customer",
        "parent_id",
        "company_id",
        "country_id",
    )
    def _sme_check_customer_data(self):
        for partner in self.filtered(lambda p: p._sme_is_master_customer()):
            company = partner._sme_company()
            missing = [
                label
                for label, names in company._sme_required_customer_fields().items()
                if not all(partner[name] for name in names)
            ]
            if missing:
                raise ValidationError(
                    _("Customer '%s' is missing: %s (required for customers of %s).")
                    % (partner.name, ", ".join(missing), company.name)
                )
            if partner.email and not is_valid_email(partner.email):
                raise ValidationError(
                    _("'%s' is not a valid email address (customer '%s').")
                    % (partner.email, partner.name)
                )
            if partner.vat and partner._sme_vat_is_gstin():
                try:
                    clean_gstin(partner.vat)
                except ValueError as error:
                    raise ValidationError(
                        _("'%s' is not a valid GSTIN (customer '%s'): %s.")
                        % (partner.vat, partner.name, error)
                    ) from None

    @api.multi
    def _sme_vat_is_gstin(self):
        """Customers of Indian companies, unless abroad, carry a GSTIN in vat."""
        self.ensure_one()
        india = self.env.ref("base.in")
        company_country = self._sme_company().country_id
        return company_country in (
            india,
            self.env["res.country"],
        ) and self.country_id in (india, self.env["res.country"])

    # ------------------------------------------------------------------
    # ORM overrides
    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):
        company = None
        if self._sme_vals_make_master_customer(vals):
            company = (
                self.env["res.company"].browse(vals.get("company_id"))
                if vals.get("company_id")
                else self.env.user.company_id
            )
        vals = self._sme_prepare_create_vals(vals, company)
        partner = super(ResPartner, self.with_context(sme_creating=True)).create(vals)
        partner = partner.with_context(sme_creating=False)
        partner._sme_sync_phone()
        if partner._sme_is_master_customer():
            partner._sme_publish(
                "on_sme_customer_created", partner._sme_event_payload()
            )
        return partner

    @api.model
    def _sme_prepare_create_vals(self, vals, company=None):
        """The values a new partner is stored with: the name cleaned by the
        rule of ``company`` (given for a master customer only), the GSTIN
        compacted, the place of supply taken from the state. ``create()`` and
        customers created together (``_sme_new_customer_vals``) share it."""
        vals = dict(vals)
        if company:
            vals["name"] = self._sme_clean_name(vals.get("name"), company)
        if vals.get("vat"):
            vals["vat"] = self._sme_compact_gstin(vals["vat"])
        if vals.get("state_id") and "sme_place_of_supply_id" not in vals:
            vals["sme_place_of_supply_id"] = self._sme_place_of_supply_for(
                vals["state_id"]
            )
        return vals

    @api.multi
    def write(self, vals):
        vals = dict(vals)
        if vals.get("vat"):
            vals["vat"] = self._sme_compact_gstin(vals["vat"])
        before = {p.id: (p._sme_is_master_customer(), p.active) for p in self}
        if "company_id" in vals:
            self._sme_check_company_move(vals["company_id"])
        place_follows = self._sme_place_follows_state(vals)
        if "name" in vals:
            result = self._sme_write_with_clean_names(vals)
        else:
            result = super(ResPartner, self).write(vals)
        if place_follows:
            place = self._sme_place_of_supply_for(vals["state_id"])
            super(
                ResPartner,
                place_follows.filtered(lambda p: p.sme_place_of_supply_id.id != place),
            ).write({"sme_place_of_supply_id": place})
        if PHONE_TRIGGER_FIELDS & set(vals):
            self._sme_sync_phone()
        if not self.env.context.get("sme_creating"):
            self._sme_publish_write_events(vals, before)
        return result

    # ------------------------------------------------------------------
    # GST place of supply
    # ------------------------------------------------------------------
    @api.model
    def _sme_place_of_supply_for(self, state_id):
        """The place of supply a state gives: itself when it is in India."""
        if type(state_id) is not int:  # what the ORM refuses anyway is left to it
            return False
        state = self.env["res.country.state"].sudo().browse(state_id).exists()
        return (
            state.id if state and state.country_id == self.env.ref("base.in") else False
        )

    @api.multi
    def _sme_place_follows_state(self, vals):
        """The records whose place of supply follows a change of state in
        ``vals``: those without one, or with their current state."""
        if "state_id" not in vals or "sme_place_of_supply_id" in vals:
            return self.browse()
        return self.filtered(
            lambda p: not p.sme_place_of_supply_id
            or p.sme_place_of_supply_id == p.state_id
        )

    @api.onchange("state_id")
    def _onchange_sme_place_of_supply(self):
        place = self._sme_place_of_supply_for(self.state_id.id)
        if place:
            self.sme_place_of_supply_id = place

    @api.multi
    def _sme_write_with_clean_names(self, vals):
        """Write ``vals`` with the name sanitised for the records that are
        master customers (with their own company's placeholder)."""
        masters = self.filtered(lambda p: self._sme_vals_make_master_customer(vals, p))
        others = self - masters
        result = True
        if others:
            result = super(ResPartner, others).write(vals)
        by_company = {}
        for partner in masters:
            company = partner._sme_company()
            by_company[company] = by_company.get(company, self.browse()) | partner
        for company, group in by_company.items():
            clean = dict(vals, name=self._sme_clean_name(vals["name"], company))
            result = super(ResPartner, group).write(clean) and result
        return result

    @api.multi
    def _sme_publish_write_events(self, vals, before):
        changed = sorted(
            name for name in vals if not name.startswith(SILENT_FIELD_PREFIXES)
        )
        for partner in self:
            was_master, was_active = before[partner.id]
            if not (was_master or partner._sme_is_master_customer()):
                continue
            fields_changed = changed
            if was_active and "active" in vals and not partner.active:
                partner._sme_publish(
                    "on_sme_customer_archived", partner._sme_event_payload()
                )
                fields_changed = [name for name in changed if name != "active"]
            if fields_changed:
                payload = dict(partner._sme_event_payload(), fields=fields_changed)
                partner._sme_publish(
                    "on_sme_customer_updated", payload, fields=fields_changed
                )

    @api.multi
    def unlink(self):
        """Customers with history (invoices, or what other addons report in
        :meth:`_sme_has_history`) are archived, not deleted."""
        keep = self.filtered(
            lambda p: p._sme_is_master_customer() and p._sme_has_history()
        )
        if keep:
            keep.write({"active": False})
        rest = self - keep
        return super(ResPartner, rest).unlink() if rest else True

    @api.multi
    def _sme_has_history(self):
        """Whether deleting the customer would orphan history. Addons that
        keep records about customers extend this."""
        self.ensure_one()
        return bool(
            self.env["account.invoice"]
            .sudo()
            .search_count([("commercial_partner_id", "=", self.id)])
        )

    # ------------------------------------------------------------------
    # Events
    # ------------------------------------------------------------------
    @api.multi
    def _sme_event_payload(self):
        self.ensure_one()
        return {
            "partner_id": self.id,
            "name": self.name,
            "phone": self.sme_phone_normalized or False,
            "company_id": self._sme_company().id,
            "active": self.active,
        }

    @api.multi
    def _sme_publish(self, event, payload, **listener_kwargs):
        self.ensure_one()
        self.env["sme.customer.event"]._publish(
            event, self, payload, partner=self, **listener_kwargs
        )

    # ------------------------------------------------------------------
    # Computed fields and actions
    # ------------------------------------------------------------------
    @api.multi
    def _compute_sme_phone_search(self):
        for partner in self:
            partner.sme_phone_search = partner.sme_phone_normalized or partner.phone

    @api.model
    def _search_sme_phone_search(self, operator, value):
        if operator not in ("=", "ilike", "like") or not value:
            return [("phone", operator, value)]
        try:
            phone = normalize_phone(value, self.env.user.company_id._sme_phone_region())
        except InvalidPhone:
            return ["|", ("phone", "ilike", value), ("mobile", "ilike", value)]
        return [("sme_phone_normalized", "=", phone)]

    @api.multi
    def _compute_sme_open_receivable(self):
        company = self.env.user.company_id
        for partner in self:
            partner.sme_company_currency_id = company.currency_id
            partner.sme_open_receivable = (
                partner._sme_open_receivable(company) if partner.id else 0.0
            )

    @api.multi
    def _sme_open_receivable(self, company):
        """Residual of the customer's open invoices less open credit notes,
        in ``company``'s currency."""
        self.ensure_one()
        invoices = (
            self.env["account.invoice"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", self.commercial_partner_id.id),
                    ("company_id", "=", company.id),
                    ("type", "in", ("out_invoice", "out_refund")),
                    ("state", "=", "open"),
                ]
            )
        )
        return sum(invoices.mapped("residual_company_signed"))

    @api.multi
    def _compute_sme_invoice_count(self):
        groups = self.env["account.invoice"].read_group(
            [
                ("commercial_partner_id", "in", self.ids),
                ("type", "in", ("out_invoice", "out_refund")),
            ],
            ["commercial_partner_id"],
            ["commercial_partner_id"],
        )
        counts = {
            g["commercial_partner_id"][0]: g["commercial_partner_id_count"]
            for g in groups
        }
        for partner in self:
            partner.sme_invoice_count = counts.get(partner.id, 0)

    @api.multi
    def action_sme_view_invoices(self):
        self.ensure_one()
        action = self.env.ref("account.action_invoice_tree1").read()[0]
        action["domain"] = [
            ("commercial_partner_id", "=", self.id),
            ("type", "in", ("out_invoice", "out_refund")),
        ]
        action["context"] = {
            "default_partner_id": self.id,
            "type": "out_invoice",
            "default_type": "out_invoice",
            "journal_type": "sale",
        }
        return action

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _sme_demo_archive_odoo_customers(self):
        """Archive the customers of other modules' demo data (Odoo's
        Agrolait, ...): they are not customers of the demo SMEs. The
        partners of users that other demo data made customers (the demo
        portal user) stop being customers, as users' partners are (see
        res.users.create). None of them was a customer of the demo SMEs, so
        no event is sent (``super`` skips this model's write)."""
        data = (
            self.env["ir.model.data"]
            .sudo()
            .search([("model", "=", self._name), ("module", "not like", "sme_%")])
        )
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([])
            .mapped("partner_id")
        )
        keep = self.env["res.company"].sudo().search([]).mapped("partner_id") | users
        masters = lambda p: p.customer and not p.parent_id and p.active  # noqa: E731
        archived = (
            self.sudo().browse(data.mapped("res_id")).exists().filtered(masters) - keep
        )
        super(ResPartner, archived).write({"active": False})
        super(ResPartner, users.filtered(masters)).write({"customer": False})
        return archived

    # ------------------------------------------------------------------
    # Database
    # ------------------------------------------------------------------
    def _register_hook(self):
        # Two forms saving the same phone at the same moment both pass the
        # friendly check and one meets the unique index: Odoo shows the
        # message registered for the index instead of the database's text.
        self.pool._sql_error[PHONE_UNIQUE_INDEX] = _(
            "This phone number was saved for another customer of the company a moment "
            "ago (from another screen or system). Search the customers by this phone "
            "and open that customer instead."
        )
        return super(ResPartner, self)._register_hook()

    @api.model_cr
    def init(self):
        self._sme_backfill_phones()
        # Holds for archived customers too, and for customers without a
        # company (COALESCE): Odoo 11's create_unique_index has no WHERE.
        self.env.cr.execute(
            sql.SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS {}"
                " ON res_partner (COALESCE(company_id, 0), sme_phone_normalized)"
                " WHERE sme_phone_normalized IS NOT NULL"
            ).format(sql.Identifier(PHONE_UNIQUE_INDEX))
        )

    @api.model_cr
    def _sme_backfill_phones(self):
        """Normalise the phones of customers that existed before install.
        When two already share a phone, the older keeps it and the newer is
        left without a normalised phone (logged) until someone merges them."""
        cr = self.env.cr
        cr.execute(
            """
            SELECT p.id, p.name, p.phone, COALESCE(p.company_id, 0), country.code
              FROM res_partner p
              LEFT JOIN res_company company ON company.id = p.company_id
              LEFT JOIN res_partner company_partner ON company_partner.id = company.partner_id
              LEFT JOIN res_country country ON country.id = company_partner.country_id
             WHERE p.customer AND p.parent_id IS NULL AND p.phone IS NOT NULL
               AND p.sme_phone_normalized IS NULL
             ORDER BY p.id"""
        )
        rows = cr.fetchall()
        if not rows:
            return
        cr.execute(
            "SELECT COALESCE(company_id, 0), sme_phone_normalized FROM res_partner"
            " WHERE sme_phone_normalized IS NOT NULL"
        )
        taken = set(cr.fetchall())
        for partner_id, name, raw_phone, company_id, country_code in rows:
            try:
                phone = normalize_phone(raw_phone, country_code or "IN")
            except InvalidPhone:
                continue
            if (company_id, phone) in taken:
                _logger.warning(
                    "Customer %s (ID %s) shares the phone %s with an older customer "
                    "of the same company: merge them (Contacts > Merge).",
                    name,
                    partner_id,
                    phone,
                )
                continue
            taken.add((company_id, phone))
            cr.execute(
                "UPDATE res_partner SET sme_phone_normalized = %s WHERE id = %s",
                (phone, partner_id),
            )
