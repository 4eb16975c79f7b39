# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import email_split

from odoo.addons.sme_customer_master.tools.clock import sme_today
from odoo.addons.sme_customer_master.tools.phone import InvalidPhone, normalize_phone

REFERRAL_STATUSES = [
    ("any", "Any"),
    ("referred", "Referred by a customer"),
    ("not_referred", "Not referred"),
    ("referrer", "Referred other customers"),
]
SEGMENTS = ("new", "healthy", "at_risk", "critical")
# Partners read per query when sorting an audience into reachable and skipped.
READ_CHUNK = 5000


class SmeMarketingAudience(models.Model):
    """Which master customers of a company a campaign speaks to: filters
    combined with AND (the segments, groups, tags and states each match
    any of those chosen). Opted-out customers and those without an address
    for the campaign's channel are skipped at launch and counted; the form
    shows the counts before anything is sent."""

    _name = "sme.marketing.audience"
    _description = "Campaign audience"
    _order = "name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env["res.company"]._company_default_get(
            "sme.marketing.audience"
        ),
    )
    segment_new = fields.Boolean("New")
    segment_healthy = fields.Boolean("Healthy")
    segment_at_risk = fields.Boolean("At risk")
    segment_critical = fields.Boolean("Critical")
    customer_group_ids = fields.Many2many(
        "sme.customer.group", string="Customer groups"
    )
    category_ids = fields.Many2many("res.partner.category", string="Tags")
    city = fields.Char()
    state_ids = fields.Many2many("res.country.state", string="States")
    purchased_within_days = fields.Integer(
        "Bought within (days)",
        help="Customers whose last purchase is at most this many days old; "
        "0: no filter.",
    )
    not_purchased_for_days = fields.Integer(
        "No purchase for (days)",
        help="Customers who bought nothing for at least this many days "
        "(or never); 0: no filter.",
    )
    referral_status = fields.Selection(REFERRAL_STATUSES, default="any", required=True)
    campaign_ids = fields.One2many(
        "sme.marketing.campaign", "audience_id", string="Campaigns"
    )
    # Preview, computed when shown.
    count_total = fields.Integer("Customers", compute="_compute_preview")
    count_email = fields.Integer("Reachable by email", compute="_compute_preview")
    count_sms = fields.Integer("Reachable by SMS", compute="_compute_preview")
    count_opt_out = fields.Integer("Opted out", compute="_compute_preview")
    count_no_email = fields.Integer("Without email", compute="_compute_preview")
    count_no_mobile = fields.Integer("Without mobile", compute="_compute_preview")
    count_dnd = fields.Integer("DND registered", compute="_compute_preview")

    @api.constrains("purchased_within_days", "not_purchased_for_days")
    def _check_days(self):
        for audience in self:
            if (
                audience.purchased_within_days < 0
                or audience.not_purchased_for_days < 0
            ):
                raise ValidationError(
                    _("The purchase windows of %s cannot be negative.") % audience.name
                )

    @api.constrains("company_id", "customer_group_ids")
    def _check_company(self):
        for audience in self:
            other = audience.customer_group_ids.filtered(
                lambda group: group.company_id
                and group.company_id != audience.company_id
            )
            if other:
                raise ValidationError(
                    _("The customer group %s belongs to %s, not to %s.")
                    % (
                        other[0].name,
                        other[0].company_id.name,
                        audience.company_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # Who is in the audience
    # ------------------------------------------------------------------
    @api.multi
    def _sme_partner_domain(self):
        """The domain of the audience's customers (res.partner)."""
        self.ensure_one()
        company = self.company_id
        domain = [
            ("company_id", "=", company.id),
            ("customer", "=", True),
            ("parent_id", "=", False),
        ]
        segments = [segment for segment in SEGMENTS if self["segment_%s" % segment]]
        if segments:
            matching = [("sme_health_ids.segment", "in", segments)]
            if "new" in segments:
                # A customer without a profile yet is new.
                matching = ["|", ("sme_health_ids", "=", False)] + matching
            domain += matching
        if self.customer_group_ids:
            domain.append(("sme_customer_group_id", "in", self.customer_group_ids.ids))
        if self.category_ids:
            domain.append(("category_id", "in", self.category_ids.ids))
        if self.city:
            domain.append(("city", "=ilike", self.city.strip()))
        if self.state_ids:
            domain.append(("state_id", "in", self.state_ids.ids))
        today = sme_today(self)
        if self.purchased_within_days:
            since = today - timedelta(days=self.purchased_within_days)
            domain.append(
                (
                    "sme_health_ids.last_purchase_date",
                    ">=",
                    fields.Date.to_string(since),
                )
            )
        if self.not_purchased_for_days:
            before = today - timedelta(days=self.not_purchased_for_days)
            domain += [
                "|",
                "|",
                ("sme_health_ids", "=", False),
                ("sme_health_ids.last_purchase_date", "=", False),
                (
                    "sme_health_ids.last_purchase_date",
                    "<=",
                    fields.Date.to_string(before),
                ),
            ]
        if self.referral_status in ("referred", "not_referred"):
            referred = (
                self.env["sme.referral"]
                .sudo()
                .search([("company_id", "=", company.id), ("status", "!=", "rejected")])
                .mapped("referred_id")
            )
            operator = "in" if self.referral_status == "referred" else "not in"
            domain.append(("id", operator, referred.ids))
        elif self.referral_status == "referrer":
            referrers = (
                self.env["sme.referral"]
                .sudo()
                .search(
                    [
                        ("company_id", "=", company.id),
                        ("status", "!=", "rejected"),
                        ("referrer_id", "!=", False),
                    ]
                )
                .mapped("referrer_id")
            )
            domain.append(("id", "in", referrers.ids))
        return domain

    @api.multi
    def _sme_partners(self):
        self.ensure_one()
        # The audience is the company's: whoever launches sees all of it.
        return self.env["res.partner"].sudo().search(self._sme_partner_domain())

    @api.multi
    def _sme_recipients(self, channel):
        """``(reachable partners, {reason: count of skipped})`` for
        ``channel`` ('email', 'sms' or 'other'); reasons opt_out, no_email,
        no_mobile, dnd."""
        self.ensure_one()
        partners = self._sme_partners()
        reachable, skipped = [], {}
        for partner_id, _address, code in self._sme_reachability(
            partners, channel, self.company_id
        ):
            if code:
                skipped[code] = skipped.get(code, 0) + 1
            else:
                reachable.append(partner_id)
        return self.env["res.partner"].browse(reachable), skipped

    @api.model
    def _sme_reachability(self, partners, channel, company):
        """``[(partner id, address, skip code or None)]`` for ``partners``
        on ``channel``: the email, or the mobile (else phone) in E.164;
        opted-out customers are skipped first, then those without the
        address, then (SMS) numbers a gateway reported as DND."""
        dnd = self._sme_dnd_partner_ids(company) if channel == "sms" else set()
        region = company._sme_phone_region()
        plan = []
        ids = partners.ids
        for start in range(0, len(ids), READ_CHUNK):
            chunk = ids[start : start + READ_CHUNK]
            # One query per chunk, not the ORM's record-by-record reads.
            self.env.cr.execute(
                "SELECT id, opt_out, email, mobile, sme_phone_normalized"
                " FROM res_partner WHERE id IN %s",
                (tuple(chunk),),
            )
            rows = {row[0]: row[1:] for row in self.env.cr.fetchall()}
            for partner_id in chunk:
                opt_out, email, mobile, phone = rows[partner_id]
                if opt_out:
                    plan.append((partner_id, None, "opt_out"))
                elif channel == "email":
                    emails = email_split(email or "")
                    if emails:
                        plan.append((partner_id, emails[0].lower(), None))
                    else:
                        plan.append((partner_id, None, "no_email"))
                elif channel == "sms":
                    number = _e164(mobile, region) or phone
                    if not number:
                        plan.append((partner_id, None, "no_mobile"))
                    elif partner_id in dnd:
                        plan.append((partner_id, number, "dnd"))
                    else:
                        plan.append((partner_id, number, None))
                else:
                    plan.append((partner_id, None, None))
        return plan

    @api.model
    def _sme_dnd_partner_ids(self, company):
        """Customers whose number an SMS gateway of ``company`` refused as
        DND in an earlier campaign."""
        self.env.cr.execute(
            "SELECT DISTINCT partner_id FROM sme_marketing_recipient"
            " WHERE company_id = %s AND channel = 'sms' AND skip_code = 'dnd'"
            " AND state IN ('failed', 'skipped')",
            (company.id,),
        )
        return {row[0] for row in self.env.cr.fetchall()}

    # ------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------
    @api.multi
    def _compute_preview(self):
        for audience in self:
            if not audience.id:
                continue  # a new record on the form: nothing to count yet
            partners = audience._sme_partners()
            email = {}
            for _id, _address, code in audience._sme_reachability(
                partners, "email", audience.company_id
            ):
                email[code] = email.get(code, 0) + 1
            sms = {}
            for _id, _address, code in audience._sme_reachability(
                partners, "sms", audience.company_id
            ):
                sms[code] = sms.get(code, 0) + 1
            audience.count_total = len(partners)
            audience.count_email = email.get(None, 0)
            audience.count_sms = sms.get(None, 0)
            audience.count_opt_out = email.get("opt_out", 0)
            audience.count_no_email = email.get("no_email", 0)
            audience.count_no_mobile = sms.get("no_mobile", 0)
            audience.count_dnd = sms.get("dnd", 0)

    @api.multi
    def action_view_customers(self):
        self.ensure_one()
        action = self.env.ref("base.action_partner_customer_form").read()[0]
        action["domain"] = self._sme_partner_domain()
        action["context"] = {"search_default_customer": 0}
        return action


def _e164(number, region):
    if not number:
        return None
    try:
        return normalize_phone(number, region)
    except InvalidPhone:
        return None
