# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from psycopg2.extras import execute_values

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

_logger = logging.getLogger(__name__)

CHANNELS = [("email", "Email"), ("sms", "SMS"), ("other", "Other")]
ORIGINS = [
    ("audience", "Audience"),
    ("welcome", "Welcome journey"),
    ("retention", "Retention journey"),
    ("manual", "Manual"),
]
STATES = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("bounced", "Bounced"),
    ("failed", "Failed"),
    ("skipped", "Skipped"),
    ("replied", "Replied"),
]
# Why a customer of the audience gets no message: the preview counts by these.
SKIP_REASONS = {
    "opt_out": "Opted out",
    "no_email": "No email address",
    "no_mobile": "No mobile number",
    "dnd": "Do not disturb (DND) registered",
    "duplicate": "Email address already mailed by this campaign",
}
# Columns of one recipient row, as _sme_insert writes them.
INSERT_COLUMNS = (
    "campaign_id",
    "partner_id",
    "company_id",
    "channel",
    "origin",
    "state",
    "address",
    "reason",
    "skip_code",
)


class SmeMarketingRecipient(models.Model):
    """One customer in one campaign: the message sent to it (or why none
    was) and what came of it. A customer is in a campaign once: enrolling
    it again (a repeated event, a relaunch) changes nothing."""

    _name = "sme.marketing.recipient"
    _description = "Campaign recipient"
    _order = "id desc"
    _rec_name = "partner_id"

    campaign_id = fields.Many2one(
        "sme.marketing.campaign",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env["res.company"]._company_default_get(
            "sme.marketing.recipient"
        ),
    )
    channel = fields.Selection(CHANNELS, required=True, default="other", readonly=True)
    origin = fields.Selection(
        ORIGINS, required=True, default="manual", readonly=True, index=True
    )
    state = fields.Selection(
        STATES, required=True, default="queued", readonly=True, index=True
    )
    address = fields.Char(readonly=True, help="The email or E.164 number used.")
    reason = fields.Char(readonly=True, help="Why nothing was sent, or what failed.")
    skip_code = fields.Selection(
        [(code, label) for code, label in SKIP_REASONS.items()]
        + [("invalid", "Invalid number"), ("error", "Error")],
        string="Reason code",
        readonly=True,
        index=True,
    )
    mail_stat_id = fields.Many2one(
        "mail.mail.statistics", string="Email statistics", readonly=True, index=True
    )
    provider_message_id = fields.Char(readonly=True, index=True)
    date_sent = fields.Datetime(readonly=True)
    date_replied = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "campaign_partner_uniq",
            "unique(campaign_id, partner_id)",
            "A customer is in a campaign once.",
        )
    ]

    # ------------------------------------------------------------------
    # Enrollment
    # ------------------------------------------------------------------
    @api.model
    def _sme_create_for(self, campaign, partners, origin):
        """Recipient rows of ``campaign`` for ``partners`` not in it yet:
        queued with their address, or skipped with the reason (opted out,
        no address for the channel, DND). One multi-row INSERT; a customer
        enrolled meanwhile by another transaction is left out (ON CONFLICT):
        a customer is in a campaign once, whatever fires twice."""
        self.check_access_rights("create")
        if not partners:
            return self.browse()
        channel = campaign.campaign_type
        channel = channel if channel in ("email", "sms") else "other"
        audience = self.env["sme.marketing.audience"]
        plan = audience._sme_reachability(partners, channel, campaign.company_id)
        rows = []
        for partner_id, address, code in plan:
            rows.append(
                (
                    campaign.id,
                    partner_id,
                    campaign.company_id.id,
                    channel,
                    origin,
                    "skipped" if code else "queued",
                    address or None,
                    _(SKIP_REASONS[code]) if code else None,
                    code or None,
                )
            )
        ids = self._sme_insert(rows)
        campaign.invalidate_cache(["recipient_ids"])
        return self.browse(ids)

    @api.model
    def _sme_insert(self, rows):
        if not rows:
            return []
        # Column names are this model's own, never input.
        query = (
            'INSERT INTO "%s" (%s, create_uid, write_uid, create_date, write_date)'
            " VALUES %%s ON CONFLICT (campaign_id, partner_id) DO NOTHING"
            " RETURNING id"
        ) % (self._table, ", ".join(INSERT_COLUMNS))
        template = (
            "(%s, %%s, %%s, now() at time zone 'UTC', now() at time zone 'UTC')"
            % (", ".join(["%s"] * len(INSERT_COLUMNS)))
        )
        uid = self.env.uid
        ids = [
            row[0]
            for row in execute_values(
                self.env.cr,
                query,
                [row + (uid, uid) for row in rows],
                template=template,
                page_size=1000,
                fetch=True,
            )
        ]
        return sorted(ids)

    # ------------------------------------------------------------------
    # Sending (called by the campaign's batch jobs)
    # ------------------------------------------------------------------
    @api.multi
    def _sme_send_email(self, campaign):
        """Compose the mailing's message for each recipient (mass_mailing
        keeps statistics, opt-out and tracked links), link each recipient to
        its statistics, then send through Odoo's outgoing mail server. No
        commit here: the job's transaction holds it all."""
        mailing = campaign._sme_mass_mailing()
        self._sme_check_mail_server()
        by_partner = {recipient.partner_id.id: recipient for recipient in self}
        partner_ids = list(by_partner)
        Mail = self.env["mail.mail"].sudo()
        composer = (
            self.env["mail.compose.message"]
            .sudo()
            .with_context(active_ids=partner_ids)
            .create(
                {
                    "author_id": self.env.user.partner_id.id,
                    "body": mailing.convert_links()[mailing.id],
                    "subject": mailing.name,
                    "model": "res.partner",
                    "email_from": mailing.email_from,
                    "record_name": False,
                    "composition_mode": "mass_mail",
                    "mass_mailing_id": mailing.id,
                    "no_auto_thread": True,
                    "reply_to": mailing.reply_to,
                    "template_id": None,
                }
            )
        )
        # mass_mailing's blacklist (opted-out addresses) again at sending
        # time: a customer who opted out since the launch gets nothing.
        mailing_context = mailing._get_mass_mailing_context()
        blacklist = mailing_context["mass_mailing_blacklist"]
        composer = composer.with_context(active_ids=partner_ids, **mailing_context)
        mail_ids = [
            Mail.create(values).id
            for values in composer.get_mail_values(partner_ids).values()
        ]
        mails = Mail.browse(mail_ids)
        stats = (
            self.env["mail.mail.statistics"]
            .sudo()
            .search([("mail_mail_id", "in", mails.ids)])
        )
        now = fields.Datetime.now()
        cancelled = mails.filtered(lambda mail: mail.state == "cancel")
        for stat in stats:
            recipient = by_partner[stat.res_id]
            if stat.mail_mail_id in cancelled:
                # mass_mailing cancels the mails to opted-out addresses and
                # to addresses this mailing already reached (shared emails).
                code = "opt_out" if recipient.address in blacklist else "duplicate"
                recipient.write(
                    {
                        "state": "skipped",
                        "skip_code": code,
                        "reason": _(SKIP_REASONS[code]),
                        "mail_stat_id": stat.id,
                    }
                )
        to_send = mails - cancelled
        stat_of = {stat.mail_mail_id.id: stat for stat in stats}
        self._sme_write_many(
            [
                (
                    by_partner[stat_of[mail.id].res_id].id,
                    {"mail_stat_id": stat_of[mail.id].id},
                )
                for mail in to_send
            ]
        )
        to_send.send(auto_commit=False)
        # The sent mails go, as mail.mail's auto-delete would remove them
        # (in one unlink); the statistics say what happened; failed mails
        # stay for their reason, as in mass_mailing.
        mails.invalidate_cache(["state"])
        mails.filtered(lambda mail: mail.state in ("sent", "cancel")).unlink()
        stats.invalidate_cache()
        sent = failed = 0
        updates = []
        for stat in stats:
            recipient = by_partner[stat.res_id]
            if recipient.state == "skipped":
                continue
            if stat.sent and not stat.exception:
                updates.append(
                    (recipient.id, {"state": "sent", "date_sent": stat.sent or now})
                )
                sent += 1
            else:
                mail = stat.mail_mail_id
                updates.append(
                    (
                        recipient.id,
                        {
                            "state": "failed",
                            "skip_code": "error",
                            "reason": (mail.failure_reason or _("Not sent"))[:250],
                        },
                    )
                )
                failed += 1
        self._sme_write_many(updates)
        campaign._sme_count_sent(sent, failed)
        return _("%d email(s) sent, %d failed, %d skipped (opted out or mailed).") % (
            sent,
            failed,
            len(cancelled),
        )

    @api.model
    def _sme_check_mail_server(self):
        """Reach the outgoing mail server before composing anything: when it
        is down, the job is retried later rather than every message of the
        batch marked failed (mail.mail would mark them so)."""
        try:
            session = self.env["ir.mail_server"].sudo().connect()
        except Exception as error:  # noqa: B902 - any fault of the connection
            raise RetryableJobError(
                _("The outgoing mail server cannot be reached (%s); retrying later.")
                % type(error).__name__,
                seconds=300,
            ) from None
        if session:  # None in test mode: Odoo does not connect then
            try:
                session.quit()
            except Exception:  # noqa: B902 - closing only
                _logger.debug("Closing the SMTP test session failed", exc_info=True)

    @api.multi
    def _sme_send_sms(self, campaign):
        """Hand the batch to the campaign's SMS gateway and write each
        number's answer: sent (with the gateway's message id), or failed
        with the reason (a DND number is remembered: the company's next
        SMS audiences skip it). A rate limit or an outage before anything
        was sent raises the gateway's retryable error: queue_job retries the
        job later. Numbers the gateway deferred part-way through the batch
        stay queued, for a new job after the gateway's Retry-After."""
        gateway = campaign.sms_gateway_id.sudo()
        text = campaign.sms_text
        messages = [(recipient.id, recipient.address, text) for recipient in self]
        answers = gateway._sme_send(campaign.sms_template_id, messages)
        now = fields.Datetime.now()
        sent = failed = 0
        updates, deferred, retry_after = [], [], 0
        for recipient in self:
            answer = answers.get(recipient.id) or {
                "state": "rejected",
                "reason": _("No answer from the gateway for this number"),
            }
            state = answer.get("state")
            if state == "deferred":
                deferred.append(recipient.id)
                retry_after = max(retry_after, int(answer.get("retry_after") or 0))
                continue
            if state == "sent":
                values = {
                    "state": "sent",
                    "date_sent": now,
                    "provider_message_id": answer.get("provider_message_id") or False,
                }
                sent += 1
            else:
                reason = " ".join(
                    part for part in (answer.get("code"), answer.get("reason")) if part
                )
                values = {
                    "state": "failed",
                    "reason": reason[:250] or _("Rejected by the gateway"),
                    "skip_code": _sms_reason_code(answer),
                    "provider_message_id": answer.get("provider_message_id") or False,
                }
                failed += 1
            updates.append((recipient.id, values))
        self._sme_write_many(updates)
        campaign._sme_count_sent(sent, failed)
        if deferred:
            campaign._sme_queue(self.browse(deferred), eta=max(retry_after, 1))
        return _("%d SMS sent, %d rejected, %d deferred.") % (
            sent,
            failed,
            len(deferred),
        )

    @api.model
    def _cron_sme_sms_delivery_reports(self, days=3):
        """Ask the gateways what became of the SMS sent in the last
        ``days``: delivered, or bounced with the operator's reason (a number
        switched off, absent). A gateway that rate-limits or is down is
        asked again at the next run."""
        since = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now()) - timedelta(days=days)
        )
        pending = self.sudo().search(
            [
                ("channel", "=", "sms"),
                ("state", "=", "sent"),
                ("provider_message_id", "!=", False),
                ("date_sent", ">=", since),
            ]
        )
        by_gateway = {}
        for recipient in pending:
            gateway = recipient.campaign_id.sms_gateway_id
            if gateway:
                by_gateway.setdefault(gateway, []).append(recipient)
        updated = self.browse()
        for gateway, recipients in by_gateway.items():
            try:
                states = gateway.sudo()._sme_delivery_states(
                    [recipient.provider_message_id for recipient in recipients]
                )
            except (RetryableJobError, UserError) as error:
                _logger.warning(
                    "SMS delivery reports of %s: %s", gateway.name, error.args[0]
                )
                continue
            for recipient in recipients:
                answer = states.get(recipient.provider_message_id) or {}
                if answer.get("state") == "delivered":
                    recipient.write({"state": "delivered"})
                elif answer.get("state") == "failed":
                    recipient.write(
                        {
                            "state": "bounced",
                            "reason": (answer.get("reason") or _("Not delivered"))[
                                :250
                            ],
                        }
                    )
                else:
                    continue
                updated |= recipient
        return updated

    @api.model
    def _sme_write_many(self, updates):
        """Write ``[(id, values)]``: rows with the same values in one write."""
        groups = {}
        for record_id, values in updates:
            key = tuple(sorted(values.items()))
            groups.setdefault(key, []).append(record_id)
        for key, ids in groups.items():
            self.sudo().browse(ids).write(dict(key))


def _sms_reason_code(answer):
    """The skip code of a gateway's refusal: DND (E415) and invalid numbers
    (E413, as Kaleyra answers) are told apart from other errors."""
    code = str(answer.get("code") or "").upper()
    words = str(answer.get("reason") or "").lower()
    if code == "E415" or "dnd" in words or "do not disturb" in words:
        return "dnd"
    if code == "E413" or "invalid" in words:
        return "invalid"
    return "error"
