# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.sme_customer_master.tools import arguments as check
from odoo.addons.sme_customer_master.tools.clock import sme_today

# First key of the ledger's advisory locks ("SL"), the second is the partner.
LOCK_CLASS = 0x534C
MAX_POINTS = 10**9
EXPIRING_DAYS = 30  # "expiring soon" in the balance

KINDS = [
    ("earned", "Earned"),
    ("redeemed", "Redeemed"),
    ("expired", "Expired"),
    ("reversed", "Reversed"),
]


class SmeLoyaltyMove(models.Model):
    """One line of a customer's loyalty points ledger in one company.

    Earned moves are positive and carry ``remaining``: what is left of them
    to spend or expire, consumed first in, first out. Redeemed, expired and
    reversed moves are negative. The balance is the sum of ``points``. Moves
    are immutable: only the ledger's own code (under ``sme_loyalty_ledger``
    in the context) changes ``remaining`` and ``debt``."""

    _name = "sme.loyalty.move"
    _description = "Loyalty points move"
    _order = "date desc, id desc"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env["res.company"]._company_default_get(
            "sme.loyalty.move"
        ),
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
    )
    date = fields.Date(
        required=True, readonly=True, index=True, default=fields.Date.context_today
    )
    kind = fields.Selection(KINDS, required=True, readonly=True, index=True)
    points = fields.Integer(
        required=True,
        readonly=True,
        help="Positive when earned; negative when redeemed, expired or reversed.",
    )
    remaining = fields.Integer(
        readonly=True,
        default=0,
        help="Earned moves: the points of this move not yet redeemed, expired or "
        "reversed (consumed first in, first out).",
    )
    debt = fields.Integer(
        readonly=True,
        default=0,
        help="Reversed moves: points taken back that the balance could not cover "
        "(already spent); the next earnings pay them back first.",
    )
    expires_on = fields.Date(readonly=True, index=True)
    reason = fields.Char(readonly=True)
    reference = fields.Char(
        readonly=True,
        help="Campaign actions: the action's reference; the same action of the "
        "same campaign earns once.",
    )
    invoice_id = fields.Many2one(
        "account.invoice", string="Invoice", readonly=True, index=True
    )
    refund_id = fields.Many2one(
        "account.invoice", string="Refund", readonly=True, index=True
    )
    credit_note_id = fields.Many2one(
        "account.invoice",
        string="Redemption credit note",
        readonly=True,
        index=True,
    )
    referral_id = fields.Many2one("sme.referral", readonly=True, index=True)
    campaign_id = fields.Many2one(
        "sme.marketing.campaign", readonly=True, index=True, ondelete="restrict"
    )
    origin_move_id = fields.Many2one(
        "sme.loyalty.move",
        string="Consumed move",
        readonly=True,
        index=True,
        ondelete="restrict",
        help="Expiry: the earned move that expired. Reversal: the invoice's "
        "earned move.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)

    @api.model_cr
    def init(self):
        # Once per document: a repeated event never earns (or takes back) twice.
        cr = self.env.cr
        cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS sme_loyalty_move_invoice_once"
            " ON sme_loyalty_move (invoice_id)"
            " WHERE kind = 'earned' AND invoice_id IS NOT NULL"
        )
        cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS sme_loyalty_move_referral_once"
            " ON sme_loyalty_move (referral_id)"
            " WHERE kind = 'earned' AND referral_id IS NOT NULL"
        )
        cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS sme_loyalty_move_campaign_once"
            " ON sme_loyalty_move (campaign_id, partner_id, reference)"
            " WHERE kind = 'earned' AND campaign_id IS NOT NULL"
        )
        cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS sme_loyalty_move_refund_once"
            " ON sme_loyalty_move (refund_id)"
            " WHERE kind = 'reversed' AND refund_id IS NOT NULL"
        )
        cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS sme_loyalty_move_expiry_once"
            " ON sme_loyalty_move (origin_move_id) WHERE kind = 'expired'"
        )
        cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS sme_loyalty_move_redemption_once"
            " ON sme_loyalty_move (credit_note_id)"
            " WHERE kind = 'redeemed' AND credit_note_id IS NOT NULL"
        )
        # The FIFO queue of a customer's unspent points.
        cr.execute(
            "CREATE INDEX IF NOT EXISTS sme_loyalty_move_open_idx"
            " ON sme_loyalty_move (partner_id, company_id, date, id)"
            " WHERE kind = 'earned' AND remaining > 0"
        )

    _sql_constraints = [
        (
            "points_sign",
            "CHECK((kind = 'earned' AND points > 0) OR (kind != 'earned' AND points < 0))",
            "Earned points are positive; redeemed, expired and reversed are negative.",
        ),
        (
            "remaining_range",
            "CHECK(remaining >= 0 AND (kind = 'earned' OR remaining = 0)"
            " AND (kind != 'earned' OR remaining <= points))",
            "What remains of an earned move lies between 0 and its points.",
        ),
        ("debt_positive", "CHECK(debt >= 0)", "A debt of points is never negative."),
    ]

    # ------------------------------------------------------------------
    # Immutability
    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):
        if not self.env.context.get("sme_loyalty_ledger"):
            raise UserError(
                _(
                    "Loyalty points moves are made by the ledger (invoices, "
                    "referrals, campaigns, redemptions, expiry), never by hand."
                )
            )
        return super(SmeLoyaltyMove, self).create(vals)

    @api.multi
    def write(self, vals):
        if not self.env.context.get("sme_loyalty_ledger"):
            raise UserError(_("Loyalty points moves cannot be changed."))
        return super(SmeLoyaltyMove, self).write(vals)

    @api.multi
    def unlink(self):
        if not self.env.context.get("sme_loyalty_ledger"):
            raise UserError(_("Loyalty points moves cannot be deleted."))
        return super(SmeLoyaltyMove, self).unlink()

    @api.multi
    def name_get(self):
        labels = dict(KINDS)
        return [
            (move.id, "%s %+d" % (labels.get(move.kind, move.kind), move.points))
            for move in self
        ]

    @api.model
    def _sme_today(self):
        return fields.Date.to_string(sme_today(self))

    def _ledger(self):
        return self.sudo().with_context(sme_loyalty_ledger=True)

    # ------------------------------------------------------------------
    # Ledger primitives (always under the customer's lock)
    # ------------------------------------------------------------------
    @api.model
    def _sme_lock(self, partner, company):
        """Serialise every change of one customer's ledger in one company.
        The advisory lock makes a second redemption wait for the first; the
        row locks then make it fail with a serialization error when the
        first one, committed meanwhile, consumed the same points (Odoo's
        RPC and queue_job retry it in a new transaction, which sees the new
        balance and refuses with a clear message)."""
        self.env.cr.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_CLASS, partner.id)
        )
        self.env.cr.execute(
            "SELECT id FROM sme_loyalty_move"
            " WHERE partner_id = %s AND company_id = %s"
            " AND ((kind = 'earned' AND remaining > 0)"
            " OR (kind = 'reversed' AND debt > 0))"
            " ORDER BY id FOR UPDATE",
            (partner.id, company.id),
        )
        # Read again what another transaction may have changed, and only that.
        ids = [row[0] for row in self.env.cr.fetchall()]
        if ids:
            self.invalidate_cache(["remaining", "debt"], ids)

    @api.model
    def _sme_balances(self, partner_ids, company_id):
        if not partner_ids:
            return {}
        self.env.cr.execute(
            "SELECT partner_id, COALESCE(SUM(points), 0) FROM sme_loyalty_move"
            " WHERE partner_id IN %s AND company_id = %s GROUP BY partner_id",
            (tuple(partner_ids), company_id),
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _sme_balance(self, partner, company):
        return self._sme_balances([partner.id], company.id).get(partner.id, 0)

    @api.model
    def _sme_open_moves(self, partner, company):
        return self._ledger().search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("kind", "=", "earned"),
                ("remaining", ">", 0),
            ],
            order="date, id",
        )

    @api.model
    def _sme_consume(self, partner, company, points, first=None):
        """Take ``points`` from the unspent earned moves, oldest first
        (``first``, when given, before the others). Returns what could be
        taken."""
        moves = self._sme_open_moves(partner, company)
        if first:
            moves = first.filtered(lambda m: m.remaining > 0) | (moves - first)
        taken = 0
        for move in moves:
            if taken >= points:
                break
            take = min(move.remaining, points - taken)
            move._ledger().write({"remaining": move.remaining - take})
            taken += take
        return taken

    @api.model
    def _sme_earn(self, partner, company, points, values):
        """An earned move of ``points``; outstanding debts of reversals are
        paid back first from it."""
        points = int(points)
        if points <= 0:
            return self.browse()
        self._sme_lock(partner, company)
        left = points
        debts = self._ledger().search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("kind", "=", "reversed"),
                ("debt", ">", 0),
            ],
            order="date, id",
        )
        for debt in debts:
            if not left:
                break
            pay = min(debt.debt, left)
            debt._ledger().write({"debt": debt.debt - pay})
            left -= pay
        date = values.get("date") or self._sme_today()
        months = company.sme_loyalty_expiry_months
        vals = dict(
            values,
            partner_id=partner.id,
            company_id=company.id,
            kind="earned",
            date=date,
            points=points,
            remaining=left,
            expires_on=fields.Date.to_string(
                fields.Date.from_string(date) + relativedelta(months=months)
            )
            if months > 0
            else False,
        )
        return self._ledger().create(vals)

    # ------------------------------------------------------------------
    # Earning
    # ------------------------------------------------------------------
    @api.model
    def _sme_invoice_points(self, invoice):
        """Points of an invoice: the company's points per rupee of each line's
        untaxed amount in company currency, times its product category's
        multiplier, summed over the lines, rounded down."""
        rate = invoice.company_id.sme_loyalty_points_per_rupee
        total = 0.0
        for line in invoice.invoice_line_ids:
            multiplier = (
                line.product_id.categ_id.sme_loyalty_multiplier
                if line.product_id
                else 1.0
            )
            total += abs(line.price_subtotal_signed) * rate * multiplier
        return int(math.floor(total + 1e-6))

    @api.model
    def _sme_on_invoice_paid(self, invoice):
        """Earn on a paid customer invoice (once), then take back what its
        refunds already validated take, and give the referrer of a referral
        this payment qualified its points."""
        company = invoice.company_id
        if not company.sme_loyalty_enabled or invoice.type != "out_invoice":
            return self.browse()
        partner = invoice.commercial_partner_id
        Move = self._ledger()
        moves = Move.browse()
        if not Move.search([("invoice_id", "=", invoice.id), ("kind", "=", "earned")]):
            moves |= self._sme_earn(
                partner,
                company,
                self._sme_invoice_points(invoice),
                {
                    "invoice_id": invoice.id,
                    "date": self._sme_today(),
                    "reason": _("Invoice %s paid") % invoice.number,
                },
            )
        for refund in invoice.refund_invoice_ids.filtered(
            lambda r: r.state in ("open", "paid")
        ):
            moves |= self._sme_on_refund_validated(refund)
        referrals = (
            self.env["sme.referral"]
            .sudo()
            .search(
                [
                    ("first_invoice_id", "=", invoice.id),
                    ("status", "in", ("qualified", "rewarded")),
                ]
            )
        )
        for referral in referrals:
            moves |= self._sme_on_referral_qualified(referral)
        return moves

    @api.model
    def _sme_on_referral_qualified(self, referral):
        company = referral.company_id
        if (
            not company.sme_loyalty_enabled
            or not referral.referrer_id
            or self._ledger().search_count(
                [("referral_id", "=", referral.id), ("kind", "=", "earned")]
            )
        ):
            return self.browse()
        return self._sme_earn(
            referral.referrer_id.commercial_partner_id,
            company,
            company.sme_loyalty_referral_points,
            {
                "referral_id": referral.id,
                "reason": _("Referral of %s qualified") % referral.referred_id.name,
            },
        )

    @api.model
    def sme_award_campaign_points(self, campaign_id, partner, points, reason):
        """Points for an action in a loyalty campaign (XML-RPC). ``partner``
        is a customer id or phone number; ``reason`` names the action: the
        same action of the same campaign earns once (a repeat answers the
        first move with ``created`` False)."""
        campaign_id = check.record_id("campaign_id", campaign_id, required=True)
        points = check.whole_number("points", points, 1, MAX_POINTS)
        reason = check.text("reason", reason, 200, required=True)
        campaign = self.env["sme.marketing.campaign"].browse(campaign_id).exists()
        if not campaign:
            raise UserError(_("Unknown campaign %d.") % campaign_id)
        if campaign.campaign_type != "loyalty":
            raise UserError(
                _("Campaign %s is not a loyalty campaign: it awards no points.")
                % campaign.name
            )
        if campaign.state != "active":
            raise UserError(
                _("Campaign %s is not active: it awards no points.") % campaign.name
            )
        company = campaign.company_id
        customer = self._sme_customer(partner, company, "partner", by_phone=True)
        if not company.sme_loyalty_enabled:
            raise UserError(_("Loyalty points are switched off for %s.") % company.name)
        self._sme_lock(customer, company)
        move = self._ledger().search(
            [
                ("campaign_id", "=", campaign.id),
                ("partner_id", "=", customer.id),
                ("reference", "=", reason),
                ("kind", "=", "earned"),
            ],
            limit=1,
        )
        created = not move
        if created:
            move = self._sme_earn(
                customer,
                company,
                points,
                {"campaign_id": campaign.id, "reference": reason, "reason": reason},
            )
        return {
            "move_id": move.id,
            "points": move.points,
            "created": created,
            "balance": self._sme_balance(customer, company),
        }

    # ------------------------------------------------------------------
    # Reversal
    # ------------------------------------------------------------------
    @api.model
    def _sme_on_refund_validated(self, refund):
        """A credit note against an invoice that earned points takes back
        that invoice's points pro rata (refund untaxed / invoice untaxed),
        from what is left of them first, then from the customer's other
        unspent points (oldest first). What the balance cannot cover (points
        already redeemed) stays owed: the balance goes negative and the next
        earnings pay it back first."""
        invoice = refund.refund_invoice_id
        Move = self._ledger()
        if refund.type != "out_refund" or not invoice:
            return self.browse()
        earned = Move.search(
            [("invoice_id", "=", invoice.id), ("kind", "=", "earned")], limit=1
        )
        if not earned or Move.search_count(
            [("refund_id", "=", refund.id), ("kind", "=", "reversed")]
        ):
            return self.browse()
        partner, company = earned.partner_id, earned.company_id
        self._sme_lock(partner, company)
        base = abs(invoice.amount_untaxed_signed)
        ratio = min(1.0, abs(refund.amount_untaxed_signed) / base) if base else 1.0
        already = -sum(
            Move.search(
                [("origin_move_id", "=", earned.id), ("kind", "=", "reversed")]
            ).mapped("points")
        )
        points = min(int(round(earned.points * ratio)), earned.points - already)
        if points <= 0:
            return self.browse()
        taken = self._sme_consume(partner, company, points, first=earned)
        return Move.create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "kind": "reversed",
                "date": self._sme_today(),
                "points": -points,
                "debt": points - taken,
                "refund_id": refund.id,
                "invoice_id": invoice.id,
                "origin_move_id": earned.id,
                "reason": _("Credit note %s of invoice %s")
                % (refund.number, invoice.number),
            }
        )

    # ------------------------------------------------------------------
    # Expiry
    # ------------------------------------------------------------------
    @api.model
    def _cron_sme_expire_points(self, today=None):
        """Expire what is left of every earned move whose expiry date has
        come, oldest first; an expired move has nothing left, so a second
        run finds nothing."""
        today = today or self._sme_today()
        Move = self._ledger()
        due = Move.search(
            [
                ("kind", "=", "earned"),
                ("remaining", ">", 0),
                ("expires_on", "!=", False),
                ("expires_on", "<=", today),
            ],
            order="partner_id, company_id, date, id",
        )
        expired = []
        locked = set()
        for move_id in due.ids:
            # One record at a time: no prefetch of the whole batch, read
            # again after every write.
            move = Move.browse(move_id)
            key = (move.partner_id.id, move.company_id.id)
            if key not in locked:
                self._sme_lock(move.partner_id, move.company_id)
                locked.add(key)
            if move.remaining <= 0:  # consumed meanwhile
                continue
            points = move.remaining
            move.write({"remaining": 0})
            expired.append(
                Move.create(
                    {
                        "partner_id": move.partner_id.id,
                        "company_id": move.company_id.id,
                        "kind": "expired",
                        "date": today,
                        "points": -points,
                        "origin_move_id": move.id,
                        "reason": _("Points earned on %s expired") % move.date,
                    }
                ).id
            )
        return Move.browse(expired)

    # ------------------------------------------------------------------
    # Public methods (XML-RPC)
    # ------------------------------------------------------------------
    @api.model
    def _sme_company(self, company_id):
        company_id = check.record_id("company_id", company_id)
        if not company_id:
            return self.env.user.company_id
        company = self.env["res.company"].sudo().browse(company_id).exists()
        if not company or company not in self.env.user.company_ids:
            raise UserError(
                _("Unknown company %d, or not one of your companies.") % company_id
            )
        return company

    @api.model
    def _sme_customer(self, partner, company, argument="partner_id", by_phone=False):
        """The customer (commercial partner) of ``company`` named by an id
        (or by a phone number when ``by_phone``); clear refusals otherwise."""
        Partner = self.env["res.partner"]
        if by_phone and isinstance(partner, str):
            phone = check.text(argument, partner, 64, required=True)
            found = Partner.search(
                [
                    ("sme_phone_search", "=", phone),
                    ("company_id", "in", (company.id, False)),
                ],
                limit=2,
            )
            if len(found) != 1:
                raise UserError(
                    _("No single customer of %s has phone number %s.")
                    % (company.name, phone)
                )
            customer = found
        else:
            partner_id = check.record_id(argument, partner, required=True)
            customer = Partner.sudo().browse(partner_id).exists()
            if not customer:
                raise UserError(_("Unknown customer %d.") % partner_id)
            if customer.company_id and customer.company_id != company:
                # Not naming the other company: that is not ours to show.
                raise UserError(
                    _("Customer %d belongs to another company, not to %s.")
                    % (partner_id, company.name)
                )
            try:
                customer.sudo(self.env.uid).check_access_rule("read")
            except AccessError:
                raise UserError(_("Unknown customer %d.") % partner_id) from None
            customer = customer.sudo(self.env.uid)
        return customer.commercial_partner_id

    @api.model
    def sme_loyalty_balance(self, partner_id, company_id=None):
        """``{partner_id, company_id, balance, value, expiring_soon,
        expiring_on, tier}``: the points, their rupee value, the points
        expiring in the next 30 days (and the first such date), and the
        customer's tier when tiers are installed."""
        company = self._sme_company(company_id)
        customer = self._sme_customer(partner_id, company)
        balance = self._sme_balance(customer, company)
        today = sme_today(self)
        soon = self._ledger().search(
            [
                ("partner_id", "=", customer.id),
                ("company_id", "=", company.id),
                ("kind", "=", "earned"),
                ("remaining", ">", 0),
                ("expires_on", "!=", False),
                (
                    "expires_on",
                    "<=",
                    fields.Date.to_string(today + relativedelta(days=EXPIRING_DAYS)),
                ),
            ],
            order="expires_on, id",
        )
        result = {
            "partner_id": customer.id,
            "company_id": company.id,
            "balance": balance,
            "value": round(max(balance, 0) * company.sme_loyalty_point_value, 2),
            "expiring_soon": sum(soon.mapped("remaining")),
            "expiring_on": soon[:1].expires_on or False,
            "tier": False,
        }
        if "sme_loyalty_tier_id" in customer._fields:
            result["tier"] = customer.sudo().sme_loyalty_tier_id.name or False
        return result

    @api.model
    def sme_loyalty_history(self, partner_id, limit=50, company_id=None):
        """The customer's moves, newest first: ``[{id, date, kind, points,
        remaining, expires_on, reason, document}]``."""
        company = self._sme_company(company_id)
        customer = self._sme_customer(partner_id, company)
        limit = check.whole_number("limit", limit, 1, 1000)
        moves = self._ledger().search(
            [("partner_id", "=", customer.id), ("company_id", "=", company.id)],
            limit=limit,
        )
        history = []
        for move in moves:
            document = (
                move.credit_note_id
                or move.refund_id
                or move.invoice_id
                or move.referral_id
                or move.campaign_id
                or move.origin_move_id
            )
            history.append(
                {
                    "id": move.id,
                    "date": move.date,
                    "kind": move.kind,
                    "points": move.points,
                    "remaining": move.remaining,
                    "expires_on": move.expires_on or False,
                    "reason": move.reason or "",
                    "document": document
                    and "%s,%d" % (document._name, document.id)
                    or False,
                    "document_name": document and document.display_name or False,
                }
            )
        return history

    @api.model
    def sme_redeem_points(self, partner_id, points, company_id=None):
        """Redeem ``points`` of a customer as a validated customer credit
        note worth points × the company's rupee value per point, which the
        customer's next invoice can be paid with. Never more than the
        balance, never below the company's minimum balance; two redemptions
        of the same balance at once: the second waits and is refused."""
        company = self._sme_company(company_id)
        customer = self._sme_customer(partner_id, company)
        points = check.whole_number("points", points, 1, MAX_POINTS)
        if not self.env.user.has_group("sme_marketing.group_sme_marketing_user"):
            raise AccessError(_("Only marketing users redeem loyalty points."))
        if not company.sme_loyalty_enabled:
            raise UserError(_("Loyalty points are switched off for %s.") % company.name)
        self._sme_lock(customer, company)
        balance = self._sme_balance(customer, company)
        minimum = company.sme_loyalty_min_redeem
        if balance < minimum:
            raise UserError(
                _(
                    "%s has %d points: redeeming needs a balance of at least %d "
                    "points."
                )
                % (customer.name, balance, minimum)
            )
        if points > balance:
            raise UserError(
                _("%s has %d points: %d points cannot be redeemed.")
                % (customer.name, balance, points)
            )
        amount = round(points * company.sme_loyalty_point_value, 2)
        if amount <= 0:
            raise UserError(
                _("A point of %s is worth nothing: set its rupee value in Settings.")
                % company.name
            )
        self._sme_consume(customer, company, points)
        credit_note = self._sme_redemption_credit_note(
            customer, company, points, amount
        )
        move = self._ledger().create(
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "kind": "redeemed",
                "date": self._sme_today(),
                "points": -points,
                "credit_note_id": credit_note.id,
                "reason": _("Redeemed on credit note %s") % credit_note.number,
            }
        )
        return {
            "move_id": move.id,
            "credit_note_id": credit_note.id,
            "credit_note": credit_note.number,
            "points": points,
            "amount": amount,
            "balance": balance - points,
        }

    @api.model
    def _sme_redemption_credit_note(self, customer, company, points, amount):
        Invoice = self.env["account.invoice"].sudo()
        journal = (
            self.env["sme.referral.reward"]
            .sudo()
            .new({"company_id": company.id})
            ._sme_credit_note_journal()
        )
        account = company._sme_reward_expense_account()
        credit_note = Invoice.with_context(
            company_id=company.id, type="out_refund", force_company=company.id
        ).create(
            {
                "type": "out_refund",
                "partner_id": customer.id,
                "company_id": company.id,
                "journal_id": journal.id,
                "origin": _("Loyalty points"),
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": _("%d loyalty points redeemed") % points,
                            "quantity": 1,
                            "price_unit": amount,
                            "account_id": account.id,
                        },
                    )
                ],
            }
        )
        credit_note.action_invoice_open()
        return credit_note
