# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import random
import time
import zlib

from psycopg2 import IntegrityError, OperationalError, errorcodes
from psycopg2.extensions import TransactionRollbackError

from odoo import _, api, models
from odoo.exceptions import UserError

from ..tools import InvalidPhone, arguments as check, normalize_phone
from ..tools.characters import code_point, first_control_character
from .res_partner import PHONE_UNIQUE_INDEX

_logger = logging.getLogger(__name__)

# The upsert's own retries of a transaction that met a concurrent one.
UPSERT_TRIES = 5
RETRY_BASE_WAIT = 0.05  # seconds; doubled on each try, jittered
RETRIED_PGCODES = (
    errorcodes.SERIALIZATION_FAILURE,
    errorcodes.DEADLOCK_DETECTED,
    errorcodes.LOCK_NOT_AVAILABLE,
)
# Advisory lock class ("SMF") of the upserts of one phone in one company.
UPSERT_LOCK_CLASS = 0x534D46


class CustomerCreatedConcurrently(TransactionRollbackError):
    """Another transaction created the same customer while this one tried
    to: reported as a serialization failure, which the upsert itself (when
    it owns the transaction), Odoo's RPC layer and queue_job retry with a
    fresh transaction, where the upsert then finds and updates that
    customer."""

    pgcode = errorcodes.SERIALIZATION_FAILURE


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def sme_upsert_customer(self, values, company_id=None):
        """Create or update the customer with this phone in the company.

        ``values``: ``name`` and ``phone`` (any spelling), and optionally
        ``email``, ``mobile``, ``website``, ``street``, ``street2``, ``city``,
        ``zip``, ``state_code`` or ``state_id``, ``country_code`` or
        ``country_id``, ``gstin`` (or ``vat``), ``gst_treatment`` (Zoho's
        code: ``business_gst``, ``consumer``, ...), ``place_of_supply`` (an
        Indian state code such as ``MH``), ``credit_limit``,
        ``sme_credit_hold``, ``sme_credit_hold_reason``, ``ref``, ``comment``,
        ``lang``, ``user_id``. Every value is checked (type, length, range,
        existence, company) before anything is written; a refusal names the
        value and what is expected.
        ``company_id``: defaults to the user's current company; the user
        must belong to it.

        An existing customer, archived or not, is updated (and reactivated);
        otherwise one is created. Returns ``{'id': int, 'is_new': bool}``.
        """
        # Whether this call began the transaction (nothing ran on the cursor
        # yet, as for an XML-RPC call of this method): then it may end it to
        # retry, which it must not do to a caller's work.
        owns_transaction = self.env.cr.sql_log_count == 0
        company = self.env["res.company"]._sme_company_for_call(company_id)
        vals = self._sme_upsert_vals(values, company)
        phone = self._sme_normalize_input_phone(values.get("phone"), company)
        if owns_transaction:
            return self._sme_upsert_retrying(vals, phone, company)
        try:
            return self._sme_upsert_once(vals, phone, company)
        except OperationalError:
            # A concurrent upsert of the same phone: the caller's retry (Odoo's
            # RPC layer, queue_job) starts over with a new cursor but would
            # replay this attempt's pending recomputations on the old one.
            self.env.clear()
            raise

    @api.model
    def _sme_upsert_retrying(self, vals, phone, company):
        """Run the upsert in its own transaction, again in a fresh one when
        it meets a concurrent transaction (at most UPSERT_TRIES times, with
        short jittered waits), so that callers never see a serialization
        failure.

        Odoo runs transactions in REPEATABLE READ: the snapshot is fixed at
        the first statement, so a retry inside the same transaction (a
        savepoint) would not see what the other transaction committed; each
        try starts a fresh transaction instead. Upserts of the same phone
        queue on an advisory lock, taken as a session lock, handed over to
        the fresh transaction and released when it ends: the queue forms
        before the snapshot is taken, so the one that waited sees what the
        one before it committed (a customer created, an update) instead of
        failing on it."""
        cr = self.env.cr
        key = (
            UPSERT_LOCK_CLASS,
            zlib.crc32(("%d:%s" % (company.id, phone)).encode()) - 2**31,
        )
        for attempt in range(1, UPSERT_TRIES + 1):
            cr.execute("SELECT pg_advisory_lock(%s, %s)", key)
            try:
                cr.rollback()  # a fresh transaction: its snapshot comes after the wait
                self.env.clear()
                cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", key)
            finally:
                cr.execute("SELECT pg_advisory_unlock(%s, %s)", key)
            try:
                return self._sme_upsert_once(vals, phone, company)
            except OperationalError as error:
                if error.pgcode not in RETRIED_PGCODES or attempt == UPSERT_TRIES:
                    self.env.clear()  # Odoo's retry must not replay this try's recomputations
                    raise
                _logger.info(
                    "Upsert of %s met a concurrent transaction (%s), try %d of %d",
                    phone,
                    errorcodes.lookup(error.pgcode),
                    attempt + 1,
                    UPSERT_TRIES,
                )
            cr.rollback()
            self.env.clear()
            time.sleep(random.uniform(0, RETRY_BASE_WAIT * 2**attempt))

    @api.model
    def _sme_upsert_once(self, vals, phone, company):
        existing = self._sme_find_customer(phone, company)
        if existing:
            vals = dict(vals)
            if not existing.active:
                vals["active"] = True
            existing.write(vals)
            return {"id": existing.id, "is_new": False}
        if not vals.get("name"):
            raise UserError(
                _("No customer has the phone %s yet: give a name to create one.")
                % phone
            )
        try:
            with self.env.cr.savepoint():
                partner = self.create(dict(vals, customer=True, company_id=company.id))
        except IntegrityError as error:
            if (
                error.pgcode != errorcodes.UNIQUE_VIOLATION
                or error.diag.constraint_name != PHONE_UNIQUE_INDEX
            ):
                raise
            raise CustomerCreatedConcurrently(
                "customer with phone %s created concurrently, retry" % phone
            ) from error
        return {"id": partner.id, "is_new": True}

    @api.model
    def sme_find_customer_by_phone(self, phone, company_id=None):
        """The customer with this phone (any spelling) in the company, or
        False. Returns ``{'id', 'name', 'phone', 'phone_e164', 'email',
        'active'}``; archived customers are found too."""
        phone = check.text("phone", phone, 64)
        if phone:
            self._sme_refuse_control_characters("phone", phone)
        company = self.env["res.company"]._sme_company_for_call(company_id)
        if not phone:
            return False
        try:
            normalized = normalize_phone(phone, company._sme_phone_region())
        except InvalidPhone:
            return False
        customer = self._sme_find_customer(normalized, company)
        if not customer:
            return False
        return {
            "id": customer.id,
            "name": customer.name,
            "phone": customer.phone,
            "phone_e164": customer.sme_phone_normalized,
            "email": customer.email or False,
            "active": customer.active,
        }

    @api.model
    def _sme_find_customer(self, normalized_phone, company):
        """The company's customer (archived or not) with this phone. Never
        matches on an empty phone: every partner without one would."""
        if not normalized_phone:
            return self.browse()
        return self.with_context(active_test=False).search(
            [
                ("sme_phone_normalized", "=", normalized_phone),
                ("company_id", "=", company.id),
                ("customer", "=", True),
                ("parent_id", "=", False),
            ],
            limit=1,
        )

    @api.model
    def _sme_normalize_input_phone(self, phone, company):
        """The E.164 form of the phone a caller gives; refuses what is not
        a usable phone (missing, blank, letters, control characters)."""
        if check.is_empty(phone):
            raise UserError(_("A customer's phone number is required."))
        phone = check.text("phone", phone, 64)
        self._sme_refuse_control_characters("phone", phone)
        try:
            normalized = normalize_phone(phone, company._sme_phone_region())
        except InvalidPhone:
            if any(char.isalpha() for char in phone):
                raise UserError(
                    _(
                        "'%s' is not a valid phone number: a phone number has no letters."
                    )
                    % phone.strip()
                ) from None
            raise UserError(
                _("'%s' is not a valid phone number.") % phone.strip()
            ) from None
        if not normalized:
            raise UserError(
                _("A customer's phone number is required: '%s' has no digits.") % phone
            )
        return normalized

    @api.model
    def _sme_refuse_control_characters(self, argument, text):
        control = first_control_character(text)
        if control:
            raise UserError(
                _("%s must not contain control characters: %s at position %d.")
                % (argument, code_point(control[1]), control[0] + 1)
            )
