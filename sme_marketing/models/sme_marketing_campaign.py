# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext

from odoo.addons.queue_job.job import job
from odoo.addons.sme_customer_master.tools import arguments as check
from odoo.addons.sme_customer_master.tools.clock import sme_today
from odoo.addons.sme_customer_master.tools.phone import InvalidPhone, normalize_phone

_logger = logging.getLogger(__name__)

CAMPAIGN_TYPES = [
    ("banner", "Banner"),
    ("email", "Email"),
    ("social", "Social"),
    ("sms", "SMS"),
    ("promotional", "Promotional"),
    ("seasonal", "Seasonal"),
    ("product_launch", "Product launch"),
    ("loyalty", "Loyalty"),
]
STATES = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("paused", "Paused"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
]
PRIORITIES = [
    ("1", "1 - Highest"),
    ("2", "2 - High"),
    ("3", "3 - Normal"),
    ("4", "4 - Low"),
    ("5", "5 - Lowest"),
]
# Campaign types whose messages the campaign sends itself, one recipient row
# per customer; the others are tracked links shared by hand or banners.
SENDING_TYPES = ("email", "sms")
# The UTM medium of a type: Odoo's own where it has one, else found (or
# made) by name, so that every campaign of a type shares one medium.
MEDIUM_XMLIDS = {"email": "utm.utm_medium_email", "banner": "utm.utm_medium_banner"}
MEDIUM_NAMES = {
    "social": "Social",
    "sms": "SMS",
    "promotional": "Promotional",
    "seasonal": "Seasonal",
    "product_launch": "Product launch",
    "loyalty": "Loyalty",
}
# Recipients per queue job: small enough for a job to end well within the
# workers' time limits, large enough to keep the jobs' overhead low.
BATCH_SIZE = 500
CHANNEL = "root.sme_marketing"
MAX_PHONE_LENGTH = 32
JOURNEY_FIELDS = {
    "welcome": "sme_welcome_campaign_id",
    "retention": "sme_retention_campaign_id",
}


class SmeMarketingCampaign(models.Model):
    """A marketing campaign of one company, on a UTM campaign (leads,
    invoices, clicks and mailings attributed to it are found by that key).

    draft → active (launched: email and SMS campaigns enroll their audience
    and send in queue jobs) ⇄ paused (by hand or by a budget cap) → completed
    (by hand or past the end date); cancelled from any state but completed."""

    _name = "sme.marketing.campaign"
    _description = "Marketing campaign"
    _inherits = {"utm.campaign": "campaign_id"}
    _inherit = ["mail.thread"]
    _order = "priority, date_start desc, id desc"

    campaign_id = fields.Many2one(
        "utm.campaign",
        string="UTM campaign",
        required=True,
        ondelete="restrict",
        auto_join=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env["res.company"]._company_default_get(
            "sme.marketing.campaign"
        ),
    )
    campaign_type = fields.Selection(
        CAMPAIGN_TYPES,
        string="Type",
        required=True,
        default="email",
        index=True,
        track_visibility="onchange",
    )
    state = fields.Selection(
        STATES,
        string="Status",
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        index=True,
        track_visibility="onchange",
    )
    priority = fields.Selection(PRIORITIES, default="3", required=True)
    title = fields.Char(help="The headline customers see (banner, message).")
    description = fields.Text()
    image = fields.Binary(attachment=True)
    badge = fields.Char(default=lambda self: _("New"))
    date_start = fields.Date("Start", index=True, track_visibility="onchange")
    date_end = fields.Date("End", index=True, track_visibility="onchange")
    budget = fields.Float(track_visibility="onchange")
    currency_id = fields.Many2one(
        "res.currency", related="company_id.currency_id", readonly=True
    )
    max_impressions = fields.Integer(help="0 means no cap.")
    max_clicks = fields.Integer(help="0 means no cap.")
    landing_url = fields.Char("Landing page")
    cta_text = fields.Char("Call to action", default=lambda self: _("Learn More"))
    audience_id = fields.Many2one(
        "sme.marketing.audience", string="Audience", ondelete="restrict"
    )
    cost_per_message = fields.Float(
        help="What one message costs (SMS, email service); the cost counts the "
        "messages sent, or the budget spread over the days when 0."
    )
    attribution_days = fields.Integer(
        "Attribution window (days)",
        default=30,
        help="A lead or first invoice within this many days after a click or "
        "message counts as the campaign's conversion.",
    )
    source_id = fields.Many2one("utm.source", string="Source")
    medium_id = fields.Many2one("utm.medium", string="Medium")
    link_tracker_id = fields.Many2one(
        "link.tracker",
        string="Tracked link",
        readonly=True,
        copy=False,
        help="The landing page as a tracked link, made on launch.",
    )
    tracked_url = fields.Char(related="link_tracker_id.short_url", readonly=True)
    mass_mailing_id = fields.Many2one(
        "mail.mass_mailing", string="Mailing", readonly=True, copy=False
    )
    email_subject = fields.Char("Subject")
    email_body = fields.Html("Email body", sanitize_attributes=False)
    email_from = fields.Char(
        "From", default=lambda self: self.env["mail.message"]._get_default_from()
    )
    sms_gateway_id = fields.Many2one(
        "sme.marketing.sms.gateway", string="SMS gateway", ondelete="restrict"
    )
    sms_template_id = fields.Char(
        "DLT template id",
        help="The id under which the message text is registered (DLT in India).",
    )
    sms_text = fields.Text("SMS text")
    recipient_ids = fields.One2many(
        "sme.marketing.recipient", "campaign_id", string="Recipients"
    )
    performance_ids = fields.One2many(
        "sme.marketing.performance", "campaign_id", string="Daily performance"
    )
    recipient_count = fields.Integer(compute="_compute_counts")
    mailing_count = fields.Integer(compute="_compute_counts")
    lead_count = fields.Integer(compute="_compute_counts")
    click_count = fields.Integer(compute="_compute_counts")
    color = fields.Integer()

    # Dates and caps are checked in Python: the message names the campaign.
    _sql_constraints = [
        (
            "campaign_uniq",
            "unique(campaign_id)",
            "A UTM campaign belongs to one marketing campaign.",
        ),
    ]

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for campaign in self:
            if (
                campaign.date_start
                and campaign.date_end
                and campaign.date_end < campaign.date_start
            ):
                raise ValidationError(
                    _("%s cannot end (%s) before it starts (%s).")
                    % (campaign.name, campaign.date_end, campaign.date_start)
                )

    @api.constrains(
        "budget",
        "max_impressions",
        "max_clicks",
        "cost_per_message",
        "attribution_days",
    )
    def _check_caps(self):
        labels = {
            "budget": _("The budget"),
            "max_impressions": _("The maximum of impressions"),
            "max_clicks": _("The maximum of clicks"),
            "cost_per_message": _("The cost per message"),
            "attribution_days": _("The attribution window"),
        }
        for campaign in self:
            for name, label in labels.items():
                if campaign[name] < 0:
                    raise ValidationError(
                        _("%s of %s cannot be negative (%s).")
                        % (label, campaign.name, campaign[name])
                    )

    @api.constrains("company_id", "audience_id", "sms_gateway_id")
    def _check_company(self):
        for campaign in self:
            for record, what in (
                (campaign.audience_id, _("audience")),
                (campaign.sms_gateway_id, _("SMS gateway")),
            ):
                if (
                    record
                    and record.company_id
                    and record.company_id != campaign.company_id
                ):
                    raise ValidationError(
                        _("The %s %s belongs to %s, not to %s (campaign %s).")
                        % (
                            what,
                            record.display_name,
                            record.company_id.name,
                            campaign.company_id.name,
                            campaign.name,
                        )
                    )

    @api.multi
    def _sme_launch_problems(self):
        """What keeps the campaign from going live, in words (empty when
        nothing does)."""
        self.ensure_one()
        problems = []
        if self.campaign_type == "email":
            if not self.email_subject:
                problems.append(_("an email campaign needs a subject"))
            if not _html_has_text(self.email_body):
                problems.append(_("an email campaign needs a body"))
            if not self.email_from:
                problems.append(_("an email campaign needs a sender (From)"))
        elif self.campaign_type == "sms":
            if not self.sms_gateway_id:
                problems.append(_("an SMS campaign needs an SMS gateway"))
            if not self.sms_template_id:
                problems.append(_("an SMS campaign needs its DLT template id"))
            if not (self.sms_text or "").strip():
                problems.append(_("an SMS campaign needs its text"))
        elif self.campaign_type == "banner":
            if not self.title:
                problems.append(_("a banner needs a title"))
            if not (self.image or self.landing_url):
                problems.append(_("a banner needs an image or a landing page"))
        if self.audience_id and self.audience_id.company_id != self.company_id:
            problems.append(
                _("the audience %s belongs to %s")
                % (self.audience_id.name, self.audience_id.company_id.name)
            )
        if (
            self.sms_gateway_id
            and self.sms_gateway_id.company_id
            and self.sms_gateway_id.company_id != self.company_id
        ):
            problems.append(
                _("the SMS gateway %s belongs to %s")
                % (self.sms_gateway_id.name, self.sms_gateway_id.company_id.name)
            )
        if self.date_end and fields.Date.from_string(self.date_end) < sme_today(self):
            problems.append(_("its end date %s is past") % self.date_end)
        return problems

    # ------------------------------------------------------------------
    # Create / write: the UTM medium follows the type
    # ------------------------------------------------------------------
    @api.model
    def _sme_medium_for(self, campaign_type):
        xmlid = MEDIUM_XMLIDS.get(campaign_type)
        medium = self.env.ref(xmlid, raise_if_not_found=False) if xmlid else None
        if medium:
            return medium
        name = MEDIUM_NAMES.get(campaign_type) or campaign_type
        Medium = self.env["utm.medium"].sudo()
        return Medium.search([("name", "=", name)], limit=1) or Medium.create(
            {"name": name}
        )

    @api.onchange("campaign_type")
    def _onchange_campaign_type(self):
        if self.campaign_type:
            self.medium_id = self._sme_medium_for(self.campaign_type)

    @api.model
    def create(self, vals):
        if not vals.get("campaign_id") and not vals.get("name"):
            raise UserError(_("A campaign needs a name."))
        vals = dict(vals)
        if not vals.get("medium_id"):
            vals["medium_id"] = self._sme_medium_for(
                vals.get("campaign_type") or "email"
            ).id
        return super(SmeMarketingCampaign, self).create(vals)

    @api.multi
    def write(self, vals):
        if vals.get("campaign_type") and "medium_id" not in vals:
            vals = dict(vals, medium_id=self._sme_medium_for(vals["campaign_type"]).id)
        if "company_id" in vals and self.filtered("recipient_ids"):
            raise UserError(_("A campaign that has recipients stays in its company."))
        return super(SmeMarketingCampaign, self).write(vals)

    @api.multi
    def unlink(self):
        for campaign in self:
            if campaign.state not in ("draft", "cancelled") or campaign.recipient_ids:
                raise UserError(
                    _(
                        "%s has been launched: cancel it instead of deleting it "
                        "(its figures stay)."
                    )
                    % campaign.name
                )
        utm_campaigns = self.mapped("campaign_id")
        result = super(SmeMarketingCampaign, self).unlink()
        # The UTM campaign was made for this campaign: it goes with it unless
        # something else (a mailing, a lead) already refers to it.
        for utm_campaign in utm_campaigns:
            try:
                with self.env.cr.savepoint():
                    utm_campaign.sudo().unlink()
            except Exception:  # noqa: B902 - referenced elsewhere: kept
                _logger.info("UTM campaign %s kept: still referenced", utm_campaign.id)
        return result

    @api.multi
    def copy(self, default=None):
        default = dict(default or {})
        default.setdefault("name", _("%s (copy)") % self.name)
        return super(SmeMarketingCampaign, self).copy(default)

    # ------------------------------------------------------------------
    # Counts and smart buttons
    # ------------------------------------------------------------------
    @api.multi
    def _compute_counts(self):
        Recipient = self.env["sme.marketing.recipient"]
        recipients = {
            row["campaign_id"][0]: row["campaign_id_count"]
            for row in Recipient.read_group(
                [("campaign_id", "in", self.ids)], ["campaign_id"], ["campaign_id"]
            )
        }
        utm_ids = self.mapped("campaign_id").ids
        leads = {
            row["campaign_id"][0]: row["campaign_id_count"]
            for row in self.env["crm.lead"]
            .with_context(active_test=False)
            .read_group(
                [("campaign_id", "in", utm_ids)], ["campaign_id"], ["campaign_id"]
            )
        }
        mailings = {
            row["campaign_id"][0]: row["campaign_id_count"]
            for row in self.env["mail.mass_mailing"].read_group(
                [("campaign_id", "in", utm_ids)], ["campaign_id"], ["campaign_id"]
            )
        }
        clicks = {}
        if utm_ids:
            self.env.cr.execute(
                "SELECT link.campaign_id, count(*) FROM link_tracker_click click"
                " JOIN link_tracker link ON link.id = click.link_id"
                " WHERE link.campaign_id IN %s GROUP BY link.campaign_id",
                (tuple(utm_ids),),
            )
            clicks = dict(self.env.cr.fetchall())
        for campaign in self:
            utm_id = campaign.campaign_id.id
            campaign.recipient_count = recipients.get(campaign.id, 0)
            campaign.lead_count = leads.get(utm_id, 0)
            campaign.mailing_count = mailings.get(utm_id, 0)
            campaign.click_count = clicks.get(utm_id, 0)

    @api.multi
    def action_view_recipients(self):
        self.ensure_one()
        action = self.env.ref("sme_marketing.sme_marketing_recipient_action").read()[0]
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id}
        return action

    @api.multi
    def action_view_leads(self):
        self.ensure_one()
        action = self.env.ref("crm.crm_lead_all_leads").read()[0]
        action["domain"] = [("campaign_id", "=", self.campaign_id.id)]
        action["context"] = {
            "default_campaign_id": self.campaign_id.id,
            "default_medium_id": self.medium_id.id,
            "active_test": False,
        }
        return action

    @api.multi
    def action_view_mailings(self):
        self.ensure_one()
        action = self.env.ref("mass_mailing.action_view_mass_mailings").read()[0]
        action["domain"] = [("campaign_id", "=", self.campaign_id.id)]
        action["context"] = {"default_campaign_id": self.campaign_id.id}
        return action

    @api.multi
    def action_view_clicks(self):
        self.ensure_one()
        action = self.env.ref("link_tracker.action_view_click_statistics").read()[0]
        action["domain"] = [("link_id.campaign_id", "=", self.campaign_id.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Life cycle
    # ------------------------------------------------------------------
    @api.multi
    def action_launch(self):
        """draft or paused → active. Email and SMS campaigns enroll their
        audience (skipped customers counted) and send in queue jobs."""
        for campaign in self:
            if campaign.state == "active":
                raise UserError(_("%s is already active.") % campaign.name)
            if campaign.state in ("cancelled", "completed"):
                raise UserError(
                    _("%s is %s: it cannot be launched again; duplicate it instead.")
                    % (campaign.name, dict(STATES)[campaign.state].lower())
                )
            problems = campaign._sme_launch_problems()
            if problems:
                raise UserError(
                    _("%s cannot be launched: %s.")
                    % (campaign.name, "; ".join(problems))
                )
            was_paused = campaign.state == "paused"
            values = {"state": "active"}
            if not campaign.date_start:
                values["date_start"] = fields.Date.to_string(sme_today(campaign))
            campaign.write(values)
            campaign._sme_make_tracked_link()
            if campaign.campaign_type in SENDING_TYPES:
                if campaign.campaign_type == "email":
                    campaign._sme_mass_mailing()
                if campaign.audience_id:
                    campaign._sme_enroll(
                        campaign.audience_id._sme_partners(), "audience"
                    )
                if was_paused:
                    campaign._sme_queue(
                        campaign.recipient_ids.filtered(lambda r: r.state == "queued")
                    )
        return True

    @api.multi
    def action_pause(self):
        for campaign in self:
            if campaign.state != "active":
                raise UserError(
                    _("Only an active campaign can be paused; %s is %s.")
                    % (campaign.name, dict(STATES)[campaign.state].lower())
                )
        # Queued messages wait: the batch jobs send nothing while paused.
        return self.write({"state": "paused"})

    @api.multi
    def action_resume(self):
        for campaign in self:
            if campaign.state != "paused":
                raise UserError(
                    _("Only a paused campaign can be resumed; %s is %s.")
                    % (campaign.name, dict(STATES)[campaign.state].lower())
                )
        return self.action_launch()

    @api.multi
    def action_complete(self):
        for campaign in self:
            if campaign.state not in ("active", "paused"):
                raise UserError(
                    _("Only an active or paused campaign can be completed; %s is %s.")
                    % (campaign.name, dict(STATES)[campaign.state].lower())
                )
        return self._sme_finish("completed")

    @api.multi
    def action_cancel(self):
        for campaign in self:
            if campaign.state in ("completed", "cancelled"):
                raise UserError(
                    _("%s is already %s.")
                    % (campaign.name, dict(STATES)[campaign.state].lower())
                )
        return self._sme_finish("cancelled")

    @api.multi
    def action_draft(self):
        for campaign in self:
            if campaign.state != "cancelled" or campaign.recipient_ids:
                raise UserError(
                    _("Only a cancelled campaign that sent nothing goes back to draft.")
                )
        return self.write({"state": "draft"})

    @api.multi
    def _sme_finish(self, state):
        self.write({"state": state})
        # Messages not sent yet are not sent any more.
        self.env["sme.marketing.recipient"].sudo().search(
            [("campaign_id", "in", self.ids), ("state", "=", "queued")]
        ).write(
            {
                "state": "skipped",
                "reason": _("Campaign %s before sending") % dict(STATES)[state].lower(),
            }
        )
        return True

    @api.multi
    def _sme_pause(self, reason):
        """Pause an active campaign with a chatter note saying why (budget
        caps). Returns the campaigns paused (those active)."""
        active = self.filtered(lambda c: c.state == "active")
        if active:
            active.sudo().write({"state": "paused"})
            for campaign in active:
                campaign.sudo().message_post(
                    body=_("Paused: %s") % reason, subtype="mail.mt_note"
                )
        return active

    @api.model
    def _cron_sme_complete_ended(self):
        """Complete the campaigns whose end date is past."""
        today = fields.Date.to_string(sme_today(self))
        ended = self.sudo().search(
            [("state", "in", ("active", "paused")), ("date_end", "<", today)]
        )
        for campaign in ended:
            campaign._sme_finish("completed")
            campaign.message_post(
                body=_("Completed: the end date %s is past.") % campaign.date_end,
                subtype="mail.mt_note",
            )
        return ended

    # ------------------------------------------------------------------
    # Tracked link and mailing
    # ------------------------------------------------------------------
    @api.multi
    def _sme_make_tracked_link(self):
        self.ensure_one()
        if not self.landing_url or (
            self.link_tracker_id and self.link_tracker_id.url == self.landing_url
        ):
            return self.link_tracker_id
        link = (
            self.env["link.tracker"]
            .sudo()
            .create(
                {
                    "url": self.landing_url,
                    # A title given: link_tracker would fetch the page for one.
                    "title": self.title or self.name,
                    "campaign_id": self.campaign_id.id,
                    "medium_id": self.medium_id.id,
                    "source_id": self.source_id.id,
                }
            )
        )
        self.sudo().link_tracker_id = link
        return link

    @api.multi
    def _sme_mass_mailing(self):
        """The campaign's mailing (made on first need) with the current
        subject and body: mass_mailing keeps its statistics, opt-out and
        tracked links. Its state stays draft: mass_mailing's own queue never
        sends it, the campaign's batch jobs do."""
        self.ensure_one()
        values = {
            "name": self.email_subject,
            "email_from": self.email_from,
            # Relative links made absolute first, as mass_mailing does.
            "body_html": self.env["mail.template"]._replace_local_links(
                self.email_body or ""
            ),
            "campaign_id": self.campaign_id.id,
            "medium_id": self.medium_id.id,
            "reply_to_mode": "email",
            "reply_to": self.email_from,
            # The batch job deletes the sent mails itself, all at once:
            # mail.mail's auto-delete does it one mail at a time (a third of
            # the sending time in bench/bench_email_campaign.py).
            "keep_archives": True,
        }
        mailing = self.mass_mailing_id.sudo()
        if mailing:
            changed = {
                key: value
                for key, value in values.items()
                if key not in ("campaign_id", "medium_id")
                and (mailing[key] or False) != (value or False)
            }
            if changed:
                mailing.write(changed)
            return mailing
        values.update(
            {
                "mailing_model_id": self.env["ir.model"]._get("res.partner").id,
                # The batches give the partners; no domain to send to by mistake.
                "mailing_domain": "[('id', '=', 0)]",
                "state": "draft",
            }
        )
        mailing = self.env["mail.mass_mailing"].sudo().create(values)
        self.sudo().mass_mailing_id = mailing
        return mailing

    # ------------------------------------------------------------------
    # Enrollment and sending
    # ------------------------------------------------------------------
    @api.multi
    def _sme_enroll(self, partners, origin):
        """Add ``partners`` to the campaign (those already in it stay as
        they are: a customer is in a campaign once) and queue the sending of
        the reachable ones. Returns the new recipients."""
        self.ensure_one()
        recipients = self.env["sme.marketing.recipient"]._sme_create_for(
            self, partners, origin
        )
        if self.state == "active" and self.campaign_type in SENDING_TYPES:
            self._sme_queue(recipients.filtered(lambda r: r.state == "queued"))
        return recipients

    @api.model
    def _sme_journey_enroll(self, partners, journey, company=None):
        """Enroll master customers in their company's welcome or retention
        campaign (``journey``), if one is set and active. Customers created
        together (an import) are enrolled together: one INSERT and one job
        per batch. Already enrolled customers are left as they are."""
        field = JOURNEY_FIELDS[journey]
        groups = {}
        for partner in partners:
            if not partner._sme_is_master_customer():
                continue
            owner = company or partner.company_id or self.env.user.company_id
            groups.setdefault(owner.id, []).append(partner.id)
        enrolled = self.env["sme.marketing.recipient"]
        for company_id, partner_ids in groups.items():
            # Whoever creates the customer (a cashier, an import) enrolls it.
            owner = self.env["res.company"].sudo().browse(company_id)
            campaign = owner[field].sudo()
            if (
                not campaign
                or campaign.state != "active"
                or campaign.company_id != owner
            ):
                continue
            enrolled |= campaign._sme_enroll(
                self.env["res.partner"].sudo().browse(partner_ids), journey
            )
        return enrolled

    @api.multi
    def _sme_queue(self, recipients, eta=None):
        """One queue job per batch of queued recipients (``eta``: seconds
        to wait before running them)."""
        self.ensure_one()
        ids = recipients.ids
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start : start + BATCH_SIZE]
            self.with_delay(
                channel=CHANNEL,
                eta=eta,
                description=_("Campaign %s: send %d message(s)")
                % (self.name, len(batch)),
            ).sme_job_send_batch(batch)
        return len(ids)

    @job(default_channel=CHANNEL)
    @api.multi
    def sme_job_send_batch(self, recipient_ids):
        """Send the messages of a batch of recipients (those still queued:
        a job run twice sends nothing twice). Nothing is sent while the
        campaign is not active; resuming queues what is left."""
        self.ensure_one()
        if self.state != "active":
            return _("Nothing sent: %s is %s.") % (
                self.name,
                dict(STATES)[self.state].lower(),
            )
        recipients = (
            self.env["sme.marketing.recipient"]
            .sudo()
            .search(
                [
                    ("id", "in", list(recipient_ids)),
                    ("campaign_id", "=", self.id),
                    ("state", "=", "queued"),
                ]
            )
        )
        if not recipients:
            return _("Nothing left to send.")
        if self.campaign_type == "email":
            return recipients._sme_send_email(self)
        if self.campaign_type == "sms":
            return recipients._sme_send_sms(self)
        return _("Nothing to send for a %s campaign.") % self.campaign_type

    @api.multi
    def _sme_count_sent(self, sent, failed):
        """Today's performance row counts the messages sent and failed
        (bounced), when the performance model offers the counter."""
        self.ensure_one()
        Performance = self.env["sme.marketing.performance"].sudo()
        if not hasattr(Performance, "_sme_bump"):
            return
        if sent:
            Performance._sme_bump(self, "sent", sent)
        if failed:
            Performance._sme_bump(self, "bounced", failed)

    # ------------------------------------------------------------------
    # Responses (XML-RPC)
    # ------------------------------------------------------------------
    @api.model
    def sme_record_response(self, campaign_id, customer, company_id=None):
        """Record a customer's response to a campaign (a reply, a coupon
        used): ``customer`` is the partner id or the phone number. The
        customer's recipient row becomes replied and the response counts
        for engagement in the health score. Returns
        ``{'recipient_id', 'partner_id', 'health': {...}}``."""
        campaign = self._sme_campaign_for_call(campaign_id, company_id)
        if campaign.state != "active":
            raise UserError(
                _("%s is %s: it takes no responses.")
                % (campaign.name, dict(STATES)[campaign.state].lower())
            )
        partner = campaign._sme_customer_for_call(customer)
        Recipient = self.env["sme.marketing.recipient"].sudo()
        recipient = Recipient.search(
            [("campaign_id", "=", campaign.id), ("partner_id", "=", partner.id)],
            limit=1,
        )
        if not recipient:
            # A response to a banner or a shared link: the customer joins.
            recipient = Recipient._sme_create_for(campaign, partner, "manual")
        if recipient.state != "replied":
            recipient.write({"state": "replied", "date_replied": fields.Datetime.now()})
            if recipient.mail_stat_id and not recipient.mail_stat_id.replied:
                recipient.mail_stat_id.sudo().write({"replied": fields.Datetime.now()})
        health = self.env["sme.customer.health"].sme_record_campaign_response(
            partner.id,
            _("Response to campaign %s") % campaign.name[:200],
            campaign.company_id.id,
        )
        return {
            "recipient_id": recipient.id,
            "partner_id": partner.id,
            "health": health,
        }

    @api.model
    def _sme_campaign_for_call(self, campaign_id, company_id=None):
        campaign_id = check.record_id("campaign_id", campaign_id, required=True)
        company = self.env["res.company"]._sme_company_for_call(company_id)
        campaign = self.browse(campaign_id).exists()
        # The same answer for another company's campaign as for a missing
        # one: callers learn nothing about other companies.
        if not campaign or campaign.sudo().company_id != company:
            raise UserError(
                _("Campaign %s does not exist in %s.") % (campaign_id, company.name)
            )
        campaign.check_access_rights("read")
        campaign.check_access_rule("read")
        return campaign

    @api.multi
    def _sme_customer_for_call(self, customer):
        """The campaign company's customer given by id or phone number."""
        self.ensure_one()
        Partner = self.env["res.partner"].sudo()
        if isinstance(customer, str):
            phone = check.text("customer", customer, MAX_PHONE_LENGTH)
            try:
                phone = normalize_phone(phone, self.company_id._sme_phone_region())
            except InvalidPhone:
                raise UserError(
                    _("customer must be a customer id or a phone number, not %s.")
                    % check.describe(customer)
                ) from None
            partner = Partner.search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("customer", "=", True),
                    ("parent_id", "=", False),
                    ("sme_phone_normalized", "=", phone),
                ],
                limit=1,
            )
            label = phone
        else:
            customer = check.record_id("customer", customer, required=True)
            partner = Partner.browse(customer).exists()
            label = customer
        if (
            not partner
            or partner.company_id != self.company_id
            or not partner._sme_is_master_customer()
        ):
            raise UserError(
                _("Customer %s does not exist in %s.") % (label, self.company_id.name)
            )
        return partner


def _html_has_text(html):
    """Whether an Html value says something (an empty editor leaves
    ``<p><br></p>``)."""
    if not html:
        return False
    return bool(html2plaintext(html).strip())
