# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customers both ways: ledgers / contacts there <-> res.partner here.

A record there meets its customer here by its binding, else by phone (the
customer master's key), else by GSTIN; what differs is written (never a
value cleared), unless Odoo changed it too since the last sync (a conflict)
or another connection that comes first says otherwise. A customer sent
there goes under a name the system keeps unique, and never takes over a
record bound to another customer."""
import json

from psycopg2 import IntegrityError

from odoo import _, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html_escape

from sme_connectors.base import WriteResult

from ..mappers import customers as customer_mapping
from ..models.sme_accounting_binding import payload_hash
from .batch import IMPORT_CONTEXT, import_batch
from .job_run import job_attempt
from .unit import SyncUnit

# What identifies a customer to a person: an import that changes one says so in the
# customer's chatter.
TRACKED_CUSTOMER_FIELDS = (
    "name",
    "phone",
    "mobile",
    "email",
    "vat",
    "street",
    "street2",
    "city",
    "zip",
    "state_id",
    "country_id",
)


class CustomerSync(SyncUnit):
    """The customers of one connection."""

    entity = "customers"
    model = "res.partner"

    def __init__(self, backend):
        super(CustomerSync, self).__init__(backend)
        self._created_together = (
            set()
        )  # records of the window under way created by _create_new_together

    def pull(self, run):
        since = run.read_point(self.backend, "customers")
        import_batch(
            self.backend,
            run,
            "customers",
            self.backend._connector().iter_customers(since),
            lambda customer: self._import_customer(customer, run),
            lambda customer: customer.name,
            since=since,
            prepare=self._create_new_together,
        )

    def _create_new_together(self, customers):
        """The records of a window that are new customers for Odoo (not
        linked, a valid phone no customer of the company has, the first of
        the window with it) are created in one go (the customer master's
        ``_sme_create_customers``) and linked; ``_import_customer`` then
        counts them. If the batch is refused, nothing of it stays and each
        record goes its own way, where the refusal names it."""
        company = self.backend.company_id
        Partner = self.env["res.partner"].with_context(**IMPORT_CONTEXT)
        Binding = self.env["sme.accounting.partner.binding"].sudo()
        bound = set(
            Binding.search(
                [
                    ("backend_id", "=", self.backend.id),
                    (
                        "external_id",
                        "in",
                        [customer.external_id for customer in customers],
                    ),
                ]
            ).mapped("external_id")
        )
        new = {}
        for customer in customers:
            if customer.external_id in bound or not customer.external_id:
                continue
            values = customer_mapping.partner_values_from_customer(customer, company)
            try:
                phone = values.get("phone") and Partner._sme_normalize_input_phone(
                    values["phone"], company
                )
            except UserError:
                continue  # refused one by one, with its name
            if phone and phone not in new:
                new[phone] = (customer, values)
        if not new:
            return
        known = (
            Partner.with_context(active_test=False)
            .search(
                [
                    ("sme_phone_normalized", "in", list(new)),
                    ("company_id", "=", company.id),
                ]
            )
            .mapped("sme_phone_normalized")
        )
        for phone in known:
            del new[phone]  # an existing customer: updated one by one
        if not new:
            return
        try:
            with self.env.cr.savepoint():
                partners = Partner._sme_create_customers(
                    [values for _customer, values in new.values()], company
                )
                Binding._bind_new(
                    self.backend,
                    [
                        (
                            partner,
                            customer.external_id,
                            {
                                "external_name": customer.name,
                                "payload_hash": payload_hash(values),
                                "external_version": str(customer.version or ""),
                            },
                        )
                        for partner, (customer, values) in zip(partners, new.values())
                    ],
                )
        except (UserError, ValidationError, IntegrityError):
            # One of them is refused: each goes its own way, where the refusal names it.
            # Nothing of the batch stays, in the database (savepoint) or in the ORM's
            # cache and pending recomputations.
            self.env.clear()
            return
        self._created_together.update(
            customer.external_id for customer, _values in new.values()
        )

    def _import_customer(self, customer, run):
        """Returns created / updated / skipped."""
        if customer.external_id in self._created_together:
            self._created_together.discard(customer.external_id)
            return "created"
        Binding = self.env["sme.accounting.binding"]
        Partner = self.env["res.partner"].with_context(**IMPORT_CONTEXT)
        values = customer_mapping.partner_values_from_customer(
            customer, self.backend.company_id
        )
        version = str(customer.version or "")
        binding = Binding._find(self.backend, "res.partner", customer.external_id)
        partner = binding.record() if binding else None
        if partner:
            if (version and binding.external_version == version) or (
                not version and binding.payload_hash == payload_hash(values)
            ):
                return (
                    "skipped"  # unchanged there (by its change marker, else by content)
                )
            if (
                partner.write_date > binding.sync_date
                and self.backend.conflict_policy != "accounting_wins"
                and self._changes(partner, values)
            ):
                return self._conflict(
                    binding, partner, values, version
                )  # changed on both sides
            # A new change marker with nothing new for Odoo writes nothing and emits nothing.
            outcome = self._update_found_customer(
                partner, customer, values, version, run
            )
        elif values.get("phone"):
            found = Partner.sme_find_customer_by_phone(
                values["phone"], self.backend.company_id.id
            )
            existing = Partner.browse(found["id"]) if found else None
            if existing:
                self._check_not_linked_elsewhere(existing, customer)
                partner, outcome = existing, self._update_found_customer(
                    existing, customer, values, version, run, reactivate=True
                )
            else:
                result = Partner.sme_upsert_customer(values, self.backend.company_id.id)
                partner = Partner.browse(result["id"])
                outcome = "created" if result["is_new"] else "updated"
        else:
            partner, outcome = self._import_customer_without_phone(
                customer, values, run
            )
        self._check_not_linked_elsewhere(partner, customer)
        Binding._bind(
            self.backend,
            partner,
            customer.external_id,
            external_name=customer.name,
            external_version=version,
            payload_hash=payload_hash(values),
        )
        return outcome

    def _update_found_customer(
        self, partner, customer, values, version, run, reactivate=False
    ):
        """A record there whose customer Odoo has (linked, or met by phone
        for the first time, then ``reactivate``): take what differs, unless
        another connection that comes first says otherwise (or, of equal
        precedence under 'Ask', a conflict to review). Returns updated /
        skipped."""
        changes = self._changes(partner, values)
        changes, rival = self._weigh_other_connections(partner, changes, customer, run)
        if rival and self.backend.conflict_policy == "manual":
            binding = self.env["sme.accounting.binding"]._bind(
                self.backend,
                partner,
                customer.external_id,
                external_name=customer.name,
                external_version=version,
                payload_hash=payload_hash(values),
            )
            self._conflict(binding, partner, values, version, rival=rival)
            return "skipped"
        if reactivate and not partner.active:
            changes["active"] = True
        if not changes:
            return "skipped"  # the same customer, already as Odoo has it
        self._track_import(partner, changes)
        partner.with_context(**IMPORT_CONTEXT).write(changes)
        return "updated"

    def _customer_with_gstin(self, gstin):
        """The company's customer with this GSTIN (any spelling), or nothing:
        a customer's identity when a record there has no phone."""
        Partner = self.env["res.partner"].with_context(**IMPORT_CONTEXT)
        return Partner.search(
            [
                ("company_id", "=", self.backend.company_id.id),
                ("customer", "=", True),
                ("parent_id", "=", False),
                ("vat", "=", Partner._sme_compact_gstin(gstin)),
            ],
            limit=1,
        )

    def _check_not_linked_elsewhere(self, partner, customer):
        """Two records there are not one customer here: refuse, naming the
        customer as Odoo has it (before this record could rename it)."""
        other = self.env["sme.accounting.binding"]._find(
            self.backend, "res.partner", record=partner
        )
        if other and other.external_id != customer.external_id:
            raise UserError(
                _(
                    "it is the same customer (%s) as '%s', already linked to it "
                    "(same phone or GSTIN): merge the two in %s"
                )
                % (
                    partner.name,
                    other.external_name,
                    self.backend._client_class().label,
                )
            )

    def _import_customer_without_phone(self, customer, values, run):
        """No phone: the GSTIN is the customer's identity; match by it, else
        create the customer without a phone (with the GSTIN)."""
        Partner = self.env["res.partner"].with_context(**IMPORT_CONTEXT)
        if customer.gstin:
            match = self._customer_with_gstin(customer.gstin)
            if match:
                self._check_not_linked_elsewhere(match, customer)
                match.write(self._writable(values, match))
                return match, "updated"
        partner = Partner.create(
            dict(
                self._writable(values, Partner),
                customer=True,
                company_id=self.backend.company_id.id,
            )
        )
        run.note(
            customer.external_id,
            _(
                "Ledger '%s' has no phone number: created customer %s without one. "
                "Add the phone in Odoo or in the ledger."
            )
            % (customer.name, partner.display_name),
        )
        return partner, "created"

    def _writable(self, values, partner):
        """Partner values from a record there, checked by the customer
        master as its upsert checks them (a refusal is a failure line, never
        a bad value stored). An update never clears what Odoo knows, and
        keeps Odoo's phone spelling when it is the same number."""
        values = dict(values)
        if values.get("phone") and partner.sme_phone_normalized:
            try:
                same = (
                    partner._sme_normalize_input_phone(
                        values["phone"], partner._sme_company()
                    )
                    == partner.sme_phone_normalized
                )
            except UserError:
                same = False
            if same:
                values.pop("phone")
        return partner._sme_upsert_vals(values, self.backend.company_id)

    def _changes(self, partner, values):
        """The values of a record there that differ from what Odoo has:
        same phone in another spelling, same GSTIN in lower case, same state
        are no change."""
        changes = {}
        for name, value in self._writable(values, partner).items():
            field = partner._fields.get(name)
            current = partner[name]
            if field is not None and field.type == "many2one":
                current = current.id
            elif name == "vat":
                value = partner._sme_compact_gstin(value)
            if (current or False) != (value or False):
                changes[name] = value
        return changes

    def _weigh_other_connections(self, partner, changes, customer, run):
        """Another connection of the company knows this customer: a value
        this one would overwrite is kept when that connection comes first
        (precedence); with equal precedence the two disagree, and the
        other connection is returned as the rival (a conflict under 'Ask').
        Fields Odoo has empty are filled whatever the order.
        Returns ``(changes to write, rival connection or None)``."""
        overwriting = [name for name in changes if partner[name]]
        if not overwriting:
            return changes, None
        others = (
            self.env["sme.accounting.partner.binding"]
            .sudo()
            .search(
                [
                    ("odoo_id", "=", partner.id),
                    ("backend_id", "!=", self.backend.id),
                    ("company_id", "=", self.backend.company_id.id),
                ]
            )
            .mapped("backend_id")
        )
        first = others.sorted(lambda backend: backend.sequence)[:1]
        if not first or first.sequence > self.backend.sequence:
            return changes, None
        if first.sequence == self.backend.sequence:
            return changes, first
        kept = {name: changes.pop(name) for name in overwriting}
        run.note(
            customer.external_id,
            _(
                "%s: kept %s as %s has it (it comes first among the connections): "
                "%s says %s."
            )
            % (
                partner.display_name,
                ", ".join(partner._fields[name].string for name in sorted(kept)),
                first.name,
                self.backend.name,
                ", ".join(
                    "%s: %s" % (partner._fields[name].string, kept[name])
                    for name in sorted(kept)
                ),
            ),
        )
        return changes, None

    def _track_import(self, partner, changes):
        """Imports write without Odoo's tracking (a message per record of a
        large pull): a change of what identifies a customer to a person
        still goes in its chatter, saying where it came from."""
        rows = []
        for name in sorted(set(changes) & set(TRACKED_CUSTOMER_FIELDS)):
            field = partner._fields[name]
            before = (
                partner[name].display_name
                if field.type == "many2one"
                else partner[name]
            )
            after = (
                self.env[field.comodel_name].browse(changes[name]).display_name
                if field.type == "many2one" and changes[name]
                else changes[name]
            )
            rows.append(
                "<li>%s: %s → %s</li>"
                % (
                    html_escape(field.string),
                    html_escape(before or "—"),
                    html_escape(after or "—"),
                )
            )
        if rows:
            partner.with_context(**IMPORT_CONTEXT).message_post(
                body=_("<p>Updated from %s:</p><ul>%s</ul>")
                % (html_escape(self.backend.name), "".join(rows))
            )

    def _conflict(self, binding, partner, values, version, rival=None):
        """Both sides changed the customer since the last sync, or another
        connection of equal precedence (``rival``) says otherwise."""
        if self.backend.conflict_policy == "platform_wins":
            binding.write(
                {"external_version": version, "sync_date": fields.Datetime.now()}
            )
            if self.backend._pushes("customers"):
                self.backend._enqueue_export(partner)
            return "skipped"
        Conflict = self.env["sme.accounting.conflict"].sudo()
        if not Conflict.search(
            [("binding_id", "=", binding.id), ("state", "=", "open")]
        ):
            # Only the fields the two sides disagree on, Odoo's as it has them.
            remote_values = self._changes(partner, values) or self._writable(
                values, partner
            )
            odoo_values = {
                key: partner[key].id
                if partner._fields[key].type == "many2one"
                else partner[key]
                for key in remote_values
            }
            Conflict.create(
                {
                    "backend_id": self.backend.id,
                    "binding_id": binding.id,
                    "remote_version": version,
                    "rival_backend_id": rival.id if rival else False,
                    "odoo_values": json.dumps(odoo_values, default=str),
                    "remote_values": json.dumps(remote_values, default=str),
                }
            )
        return "skipped"

    def push(self, partner, run, raise_on_failure=False):
        """Send the customer; a refusal is a failure line in the log (or,
        with ``raise_on_failure``, a UserError carrying the reason, for a
        document that cannot go without its customer)."""
        Binding = self.env["sme.accounting.binding"]
        client = self.backend._connector()
        binding = Binding._find(self.backend, "res.partner", record=partner)
        customer = customer_mapping.customer_from_partner(partner)
        customer = customer._replace(name=self._remote_name(partner, customer.name))
        values_hash = payload_hash(customer._asdict())
        if binding and binding.payload_hash == values_hash:
            return "skipped"
        if binding:
            sent = customer._replace(
                name=binding.external_name or partner.name,
                external_id=binding.external_id,
                version=binding.external_version or None,
            )
            result = client.push_customer(sent, alter=True)
            if result.action == "stale":
                result = self._stale_customer(client, binding, partner, sent)
                if result is None:
                    return "skipped"
        else:
            # After an attempt whose outcome is unknown (a timeout), the
            # customer may be there already: look before sending it again.
            twin = (
                self._remote_twin(client, partner, customer)
                if job_attempt(self.env)[0] > 1
                else None
            )
            result = (
                WriteResult(
                    key=customer.name,
                    action="linked",
                    external_id=twin.external_id,
                    version=twin.version,
                )
                if twin
                else client.push_customer(customer)
            )
        other = result.external_id and Binding._find(
            self.backend, "res.partner", result.external_id
        )
        if other and other.odoo_id != partner:
            # A record there already stands for another Odoo customer: never take it over.
            result = result._replace(
                action="failed",
                error=_(
                    "the name '%s' is already used there by the record of customer %s: "
                    "give one of the two another name"
                )
                % (customer.name, other.record().display_name or other.external_name),
            )
        elif (
            result.action == "linked"
            and not binding
            and not twin
            and not self._remote_twin(client, partner, customer)
        ):
            # The system found a record of the same name: the same customer only if its
            # phone says so.
            result = result._replace(
                action="failed",
                error=_(
                    "the name '%s' is already used there by another customer's record: "
                    "rename one of the two"
                )
                % customer.name,
            )
        if result.action == "failed":
            if raise_on_failure:
                raise UserError(
                    _("customer %s could not be sent first: %s")
                    % (partner.display_name, result.error)
                )
            run.fail(partner.display_name, result.error, customer._asdict())
            return None
        Binding._bind(
            self.backend,
            partner,
            result.external_id,
            external_name=customer.name,
            payload_hash=values_hash,
            **({"external_version": result.version} if result.version else {}),
        )
        return "created" if result.action in ("created", "linked") else "updated"

    def _remote_name(self, partner, name):
        """The name a customer has there. Systems key customers by name
        (Tally ledgers, Zoho and QuickBooks display names): a customer whose
        name became the company's placeholder ("clientCustomer") goes as the
        placeholder and the last digits of its phone, so that two of them
        are two records there."""
        placeholder = partner._sme_company().sme_customer_placeholder_name
        if placeholder and name == placeholder and partner.sme_phone_normalized:
            return "%s %s" % (placeholder, partner.sme_phone_normalized[-4:])
        return name

    def _remote_twin(self, client, partner, customer):
        """The record there with this customer's name that may be linked to
        it: not linked to another Odoo record, and with the same phone when
        it has one."""
        found = client.find_customer(customer.name)
        if not found or self.env["sme.accounting.binding"]._find(
            self.backend, "res.partner", found.external_id
        ):
            return None
        theirs = [p for p in (found.mobile, found.phone) if p]
        if theirs and partner.sme_phone_normalized:
            try:
                numbers = {
                    partner._sme_normalize_input_phone(p, partner._sme_company())
                    for p in theirs
                }
            except UserError:
                numbers = set()
            if partner.sme_phone_normalized not in numbers:
                return None
        return found

    def _stale_customer(self, client, binding, partner, sent):
        """The customer changed there since the version Odoo last saw
        (QuickBooks' stale SyncToken): apply the conflict policy. Returns the
        write's result, or None when Odoo's change is not sent."""
        remote = client.find_customer(binding.external_id)
        if not remote:
            raise UserError(_("it was deleted in the accounting system"))
        if self.backend.conflict_policy == "platform_wins":
            return client.push_customer(
                sent._replace(version=remote.version), alter=True
            )
        values = customer_mapping.partner_values_from_customer(
            remote, self.backend.company_id
        )
        if self.backend.conflict_policy == "accounting_wins":
            partner.with_context(**IMPORT_CONTEXT).write(
                self._writable(values, partner)
            )
            self.env["sme.accounting.binding"]._bind(
                self.backend,
                partner,
                remote.external_id,
                external_name=remote.name,
                external_version=str(remote.version or ""),
                payload_hash=payload_hash(values),
            )
        else:
            self._conflict(binding, partner, values, str(remote.version or ""))
        return None

    def party(self, partner, run):
        """The binding of the customer's ledger/contact there, sending the
        customer first if needed."""
        partner = partner.commercial_partner_id
        binding = self.env["sme.accounting.binding"]._find(
            self.backend, "res.partner", record=partner
        )
        if not binding:
            self.push(partner, run, raise_on_failure=True)
            binding = self.env["sme.accounting.binding"]._find(
                self.backend, "res.partner", record=partner
            )
        return binding

    def party_name(self, partner, run):
        return self.party(partner, run).external_name
