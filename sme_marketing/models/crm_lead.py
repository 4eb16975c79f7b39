# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError, errorcodes
from psycopg2.extensions import TransactionRollbackError

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import float_compare, html_escape

from odoo.addons.sme_customer_master.tools import arguments as check, is_valid_email
from odoo.addons.sme_customer_master.tools.clock import sme_today

from .crm_stage import LEAD_STATUSES

SME_STATUSES = LEAD_STATUSES + [("lost", "Lost")]
# Fields whose change can make a lead won (or no longer won).
WON_TRIGGER_FIELDS = {"stage_id", "probability", "active"}
INTAKE_KEY_INDEX = "crm_lead_sme_intake_key_uniq"
# What sme_intake_lead takes: each key with the longest text accepted.
INTAKE_TEXTS = {"name": 256, "email": 254, "source": 128}
INTAKE_KEYS = set(INTAKE_TEXTS) | {"phone", "campaign", "company_id", "description"}
MAX_DESCRIPTION = 10000
MAX_NAME = 256
MAX_EMAIL = 254
MAX_PHONE_LENGTH = 64
# Why a campaign that is not active takes no leads, by its state.
CAMPAIGN_NOT_ACTIVE = {
    "draft": "has not been launched yet",
    "paused": "is paused",
    "completed": "has ended",
    "cancelled": "was cancelled",
}
# Lead data a new customer is made with through the customer master's
# upsert (an existing customer only gets the ones it lacks).
CUSTOMER_FIELDS = (
    "email",
    "street",
    "street2",
    "city",
    "zip",
    "country_id",
    "state_id",
)


class LeadTakenConcurrently(TransactionRollbackError):
    """Another transaction took in the same lead (same phone, campaign and
    day) while this one did: reported as a serialization failure, which
    Odoo's RPC layer retries in a fresh transaction, where the intake then
    finds that lead."""

    pgcode = errorcodes.SERIALIZATION_FAILURE


class CrmLead(models.Model):
    """Leads and opportunities with the statuses other systems know (from
    the stage; lost = archived with a reason), customers made through the
    customer master (one phone, one customer), a draft invoice and an event
    when an opportunity is won, and intake over XML-RPC."""

    _inherit = "crm.lead"

    sme_status = fields.Selection(
        SME_STATUSES,
        string="Status",
        compute="_compute_sme_status",
        store=True,
        index=True,
        help="New, contacted or qualified from the stage; won in a won stage (or at "
        "100%); lost when marked lost (archived at 0% or with a lost reason).",
    )
    sme_invoice_id = fields.Many2one(
        "account.invoice",
        string="Invoice",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The draft customer invoice made when the opportunity was won.",
    )
    sme_intake_key = fields.Char(
        readonly=True,
        copy=False,
        help="Phone, campaign and day of a lead taken in over XML-RPC: the same "
        "request again that day finds this lead instead of making another.",
    )

    @api.model_cr
    def init(self):
        # One open intake per company, phone, campaign and day; Odoo 11's
        # create_unique_index has no WHERE, hence the raw partial index.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS crm_lead_sme_intake_key_uniq"
            " ON crm_lead (sme_intake_key) WHERE sme_intake_key IS NOT NULL"
        )

    # ------------------------------------------------------------------
    # Status
    # ------------------------------------------------------------------
    @api.depends("active", "probability", "lost_reason", "stage_id.sme_lead_status")
    def _compute_sme_status(self):
        for lead in self:
            if not lead.active and (lead.lost_reason or not lead.probability):
                lead.sme_status = "lost"
            elif (
                float_compare(lead.probability, 100.0, precision_digits=2) >= 0
                or lead.stage_id.sme_lead_status == "won"
            ):
                lead.sme_status = "won"
            else:
                lead.sme_status = lead.stage_id.sme_lead_status or "new"

    @api.multi
    def action_set_lost(self):
        """Lost needs a reason: Mark Lost (crm.lead.lost) writes it first."""
        without = self.filtered(lambda lead: not lead.lost_reason)
        if without:
            raise UserError(
                _(
                    "Say why %s was lost: choose a lost reason (Mark Lost asks for "
                    "one)."
                )
                % ", ".join(without.mapped("name")[:5])
            )
        return super(CrmLead, self).action_set_lost()

    @api.model
    def create(self, vals):
        lead = super(CrmLead, self).create(vals)
        if lead.sme_status == "won":
            lead._sme_on_won()
        return lead

    @api.multi
    def write(self, vals):
        if not WON_TRIGGER_FIELDS & set(vals):
            return super(CrmLead, self).write(vals)
        before = {lead.id: lead.sme_status for lead in self}
        result = super(CrmLead, self).write(vals)
        self.filtered(
            lambda lead: lead.sme_status == "won" and before[lead.id] != "won"
        )._sme_on_won()
        return result

    # ------------------------------------------------------------------
    # Won: event and draft invoice
    # ------------------------------------------------------------------
    @api.multi
    def _sme_on_won(self):
        """An opportunity just won: its draft invoice (once), then the event
        ``on_sme_opportunity_won`` (component event and outbox row)."""
        for lead in self:
            invoice = lead._sme_make_won_invoice()
            customer = lead.partner_id.commercial_partner_id
            self.env["sme.customer.event"]._publish(
                "on_sme_opportunity_won",
                lead,
                lead._sme_won_payload(),
                partner=customer or None,
                invoice=invoice or None,
            )

    @api.multi
    def _sme_won_payload(self):
        self.ensure_one()
        return {
            "lead_id": self.id,
            "name": self.name,
            "partner_id": self.partner_id.commercial_partner_id.id or False,
            "amount": self.planned_revenue,
            "currency": self.company_currency.name or False,
            "invoice_id": self.sme_invoice_id.id or False,
            "campaign_id": self.campaign_id.id or False,
            "source": self.source_id.name or False,
            "medium": self.medium_id.name or False,
            "user_id": self.user_id.id or False,
        }

    @api.multi
    def _sme_make_won_invoice(self):
        """The draft customer invoice of a won opportunity: its expected
        revenue, one line named after it on the company's income account,
        its UTM campaign, source and medium. Made once (``sme_invoice_id``),
        unless the company turned it off; an opportunity without an amount
        gets none, said in the chatter."""
        self.ensure_one()
        company = self.company_id or self.env.user.company_id
        Invoice = self.env["account.invoice"]
        if self.sme_invoice_id or not company.sme_invoice_on_won:
            return Invoice
        currency = company.currency_id
        if float_compare(self.planned_revenue, 0.0, precision_digits=2) <= 0:
            self.message_post(
                body=_("Won without an expected revenue: no invoice was made.")
            )
            return Invoice
        # Without the defaults of the lead's screen or creation (default_type
        # is the lead's, not a partner's or an invoice's).
        context = _without_defaults(self.env.context)
        partner = self.partner_id
        if not partner:
            partner = self.env["res.partner"].browse(
                self.with_context(context).handle_partner_assignation("create")[self.id]
            )
        # The salesperson may not be an invoicing user: the draft is made for
        # them, in the lead's company (explicit journal, accounts, currency).
        Invoice = Invoice.sudo().with_context(context, type="out_invoice")
        journal = (
            self.env["account.journal"]
            .sudo()
            .search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
        )
        if not journal:
            raise UserError(
                _("%s has no sales journal: the invoice of %s cannot be made.")
                % (company.name, self.name)
            )
        invoice = Invoice.create(
            {
                "type": "out_invoice",
                "partner_id": partner.id,
                "company_id": company.id,
                "journal_id": journal.id,
                "currency_id": currency.id,
                "origin": self.name,
                "user_id": self.user_id.id or False,
                "campaign_id": self.campaign_id.id or False,
                "source_id": self.source_id.id or False,
                "medium_id": self.medium_id.id or False,
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": self.name,
                            "quantity": 1.0,
                            "price_unit": self.planned_revenue,
                            "account_id": Invoice._sme_income_account(company).id,
                        },
                    )
                ],
            }
        )
        self.sme_invoice_id = invoice
        self.message_post(
            body=_("Won: draft invoice made for %s (%s).")
            % (
                _link(invoice, html_escape(partner.display_name)),
                html_escape(
                    "%s %.2f" % (currency.symbol or currency.name, invoice.amount_total)
                ),
            )
        )
        invoice.message_post(
            body=_("Made when the opportunity %s was won.")
            % _link(self, html_escape(self.name))
        )
        return invoice

    # ------------------------------------------------------------------
    # Lead -> customer through the customer master
    # ------------------------------------------------------------------
    @api.multi
    def _create_lead_partner(self):
        """The customer of a lead with a phone is the customer master's
        customer with that phone: found (and linked), or made by the
        master's upsert. Never a second customer with the same phone."""
        self.ensure_one()
        if not self.phone:
            return super(CrmLead, self)._create_lead_partner()
        Partner = self.env["res.partner"].with_context(
            _without_defaults(self.env.context)
        )
        company = self.company_id or self.env.user.company_id
        phone = Partner._sme_normalize_input_phone(self.phone, company)
        existing = Partner._sme_find_customer(phone, company)
        data = self._sme_customer_values()
        # An existing customer keeps its phone as spelt; a new one takes the lead's.
        values = {"phone": existing.phone if existing else self.phone}
        if existing:
            # The customer's own data wins; the lead only fills what it lacks.
            values.update(
                {
                    key: value
                    for key, value in data.items()
                    if key != "name" and value and not existing[key]
                }
            )
        else:
            values.update({key: value for key, value in data.items() if value})
        result = Partner.sme_upsert_customer(values, company.id)
        partner = Partner.browse(result["id"])
        if result["is_new"]:
            extra = {
                "user_id": self.env.context.get("default_user_id") or self.user_id.id,
                "team_id": self.team_id.id,
                "is_company": bool(self.partner_name),
                "function": self.function,
                "title": self.title.id,
                "website": self.website,
                "mobile": self.mobile,
            }
            partner.write({key: value for key, value in extra.items() if value})
        return partner

    @api.multi
    def _sme_customer_values(self):
        """The customer values a lead gives (the master's upsert keys)."""
        self.ensure_one()
        email = tools.email_split(self.email_from)
        name = self.partner_name or self.contact_name
        if not name and self.email_from:
            name = self.env["res.partner"]._parse_partner_name(self.email_from)[0]
        # Within what the upsert accepts: a lead's free texts may be longer.
        values = {
            "name": (name or self.name)[:MAX_NAME],
            "email": email[0] if email and len(email[0]) <= MAX_EMAIL else False,
            "comment": (self.description or "")[:MAX_DESCRIPTION],
        }
        for key in CUSTOMER_FIELDS:
            if key in values:
                continue
            value = self[key]
            values[key] = value.id if isinstance(value, models.BaseModel) else value
        return values

    @api.onchange("phone")
    def _onchange_sme_phone_customer(self):
        """A lead whose phone is a customer's is that customer's lead."""
        if self.partner_id or not self.phone:
            return
        found = self.env["res.partner"].sme_find_customer_by_phone(
            self.phone, (self.company_id or self.env.user.company_id).id
        )
        if found and found["active"]:
            self.partner_id = found["id"]

    # ------------------------------------------------------------------
    # Intake over XML-RPC
    # ------------------------------------------------------------------
    @api.model
    def sme_intake_lead(self, values):
        """Take in a lead from a web form or an app.

        ``values``: ``name`` (required), ``phone`` (required, any spelling),
        ``email``, ``source`` (a name: the UTM source, made when new),
        ``campaign`` (the id of an active ``sme.marketing.campaign`` of the
        company: the lead counts as its conversion), ``company_id`` (default:
        the user's company; the user must belong to it), ``description``.

        The lead is linked to the company's customer with that phone, if
        any. The same phone and campaign again on the same day return the
        lead already open instead of making a second one.
        Returns ``{'id': lead id, 'is_new': bool, 'partner_id': id or False}``.
        """
        check.dictionary("values", values)
        unknown = sorted(str(key)[:40] for key in values if key not in INTAKE_KEYS)
        if unknown:
            raise UserError(
                _("Unknown lead fields: %s. Allowed: %s.")
                % (", ".join(unknown), ", ".join(sorted(INTAKE_KEYS)))
            )
        name = check.text("name", values.get("name"), INTAKE_TEXTS["name"], True)
        if not name.strip():
            raise UserError(_("name must not be blank."))
        email = check.text("email", values.get("email"), INTAKE_TEXTS["email"])
        if email and not is_valid_email(email):
            raise UserError(_("email: '%s' is not an email address.") % email)
        source = check.text("source", values.get("source"), INTAKE_TEXTS["source"])
        description = check.text(
            "description", values.get("description"), MAX_DESCRIPTION, multiline=True
        )
        campaign_id = check.record_id("campaign", values.get("campaign"))
        company = self.env["res.company"]._sme_company_for_call(
            values.get("company_id")
        )
        if check.is_empty(values.get("phone")):
            raise UserError(_("phone is required: leads are followed up by phone."))
        raw_phone = check.text("phone", values["phone"], MAX_PHONE_LENGTH)
        Partner = self.env["res.partner"]
        phone = Partner._sme_normalize_input_phone(raw_phone, company)
        campaign = self._sme_intake_campaign(campaign_id, company)
        utm_campaign = campaign.campaign_id
        key = "%d:%s:%d:%s" % (company.id, phone, utm_campaign.id or 0, sme_today(self))
        found = self.with_context(active_test=False).search(
            [("sme_intake_key", "=", key)], limit=1
        )
        if found and found.active and found.sme_status not in ("won", "lost"):
            return {
                "id": found.id,
                "is_new": False,
                "partner_id": found.partner_id.id or False,
            }
        if found:
            found.sme_intake_key = False  # closed since: a new lead takes the key
        customer = Partner._sme_find_customer(phone, company)
        vals = {
            "name": name.strip(),
            "contact_name": name.strip(),
            "phone": phone,
            "email_from": email or False,
            "description": description or False,
            "company_id": company.id,
            "user_id": False,  # for the sales team to assign
            "partner_id": customer.id if customer and customer.active else False,
            "campaign_id": utm_campaign.id or False,
            "medium_id": campaign.medium_id.id or False,
            "source_id": (
                self._sme_utm_source(source) if source else campaign.source_id
            ).id
            or False,
            "sme_intake_key": key,
        }
        lead = self._sme_intake_create(vals)
        return {
            "id": lead.id,
            "is_new": True,
            "partner_id": lead.partner_id.id or False,
        }

    @api.model
    def _sme_intake_campaign(self, campaign_id, company):
        """The active campaign of ``company`` a lead comes from (an empty
        recordset without ``campaign_id``); refuses the others in words."""
        Campaign = self.env["sme.marketing.campaign"]
        if not campaign_id:
            return Campaign
        campaign = Campaign.sudo().browse(campaign_id).exists()
        if not campaign:
            raise UserError(_("There is no campaign with ID %d.") % campaign_id)
        if campaign.company_id != company:
            # Not named: a caller learns nothing of other companies' campaigns.
            raise UserError(
                _(
                    "Campaign %d belongs to another company: leads of %s come from its "
                    "own campaigns."
                )
                % (campaign_id, company.name)
            )
        if campaign.state != "active":
            raise UserError(
                _("Campaign '%s' %s: only active campaigns take leads.")
                % (
                    campaign.name,
                    _(CAMPAIGN_NOT_ACTIVE.get(campaign.state, campaign.state)),
                )
            )
        return campaign

    @api.model
    def _sme_utm_source(self, name):
        """The UTM source of this name (any case), made when new."""
        name = name.strip()
        # =ilike takes a pattern: the name's % and _ are meant literally.
        pattern = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        Source = self.env["utm.source"]
        return Source.search([("name", "=ilike", pattern)], limit=1) or Source.create(
            {"name": name}
        )

    @api.model
    def _sme_intake_create(self, vals):
        try:
            with self.env.cr.savepoint():
                return self.create(vals)
        except IntegrityError as error:
            if (
                error.pgcode != errorcodes.UNIQUE_VIOLATION
                or error.diag.constraint_name != INTAKE_KEY_INDEX
            ):
                raise
            raise LeadTakenConcurrently(
                "lead %s taken in concurrently, retry" % vals["sme_intake_key"]
            ) from error


def _without_defaults(context):
    """``context`` without its ``default_*`` keys: those of a lead (its
    type, team, partner) are no defaults for the records made from it."""
    return {
        key: value for key, value in context.items() if not key.startswith("default_")
    }


def _link(record, label):
    """A chatter link to ``record`` (``label`` already escaped)."""
    return "<a href=# data-oe-model=%s data-oe-id=%d>%s</a>" % (
        record._name,
        record.id,
        label,
    )
