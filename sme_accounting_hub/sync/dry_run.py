# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A dry run of a customer pull: what the first pull would do, read from
the system and compared with Odoo, with nothing written."""
from collections import OrderedDict

from odoo import _
from odoo.exceptions import UserError, ValidationError

from ..mappers import customers as customer_mapping
from .customers import CustomerSync

# What a first pull would do with each customer there, in the order shown.
OUTCOMES = OrderedDict(
    [
        ("created", "would be created"),
        ("phone", "would be linked to an Odoo customer with the same phone"),
        ("gstin", "would be linked to an Odoo customer with the same GSTIN"),
        ("linked", "are linked already"),
        (
            "conflict",
            "are the same Odoo customer as another record there (merge them there first)",
        ),
        ("failing", "would fail"),
    ]
)
EXAMPLES = 5


class DryRun(object):
    def __init__(self, backend):
        self.backend = backend
        self.env = backend.env

    def customers(self):
        """``{outcome: [(name, detail)]}`` for every customer there; only
        look-ups and checks, no write (the values are checked as the
        customer master would check them)."""
        report = OrderedDict((outcome, []) for outcome in OUTCOMES)
        Binding = self.env["sme.accounting.binding"]
        Partner = self.env["res.partner"]
        customers = CustomerSync(self.backend)
        taken = {}
        for customer in self.backend._connector().iter_customers():
            name = customer.name or customer.external_id or _("(no name)")
            try:
                values = customer_mapping.partner_values_from_customer(
                    customer, self.backend.company_id
                )
                customers._writable(values, Partner)
                if Binding._find(self.backend, "res.partner", customer.external_id):
                    report["linked"].append((name, ""))
                    continue
                match, outcome = self._match(values)
                if not match and not values.get("name"):
                    raise UserError(_("it has no name"))
            except (UserError, ValidationError) as error:
                report["failing"].append((name, error.name))
                continue
            bound = match and Binding._find(self.backend, "res.partner", record=match)
            if match and (bound or match.id in taken):
                other = bound.external_name if bound else taken[match.id]
                report["conflict"].append((name, _("same customer as '%s'") % other))
                continue
            if match:
                taken[match.id] = name
            report[outcome].append((name, match.display_name if match else ""))
        return report

    def _match(self, values):
        """The Odoo customer a record there would become, and how it was found."""
        Partner = self.env["res.partner"]
        if values.get("phone"):
            found = Partner.sme_find_customer_by_phone(
                values["phone"], self.backend.company_id.id
            )
            if found:
                return Partner.browse(found["id"]), "phone"
            Partner._sme_normalize_input_phone(
                values["phone"], self.backend.company_id
            )  # refuses a bad number
            return Partner.browse(), "created"
        if values.get("gstin"):
            match = CustomerSync(self.backend)._customer_with_gstin(values["gstin"])
            if match:
                return match, "gstin"
        return Partner.browse(), "created"

    def text(self, report):
        total = sum(len(rows) for rows in report.values())
        lines = [
            _("Dry run of a customer pull: %d customers there. Nothing was written.")
            % total,
            "",
        ]
        for outcome, label in OUTCOMES.items():
            rows = report[outcome]
            if not rows:
                continue
            lines.append("%d %s, e.g.:" % (len(rows), _(label)))
            for name, detail in rows[:EXAMPLES]:
                lines.append("  - %s%s" % (name, " (%s)" % detail if detail else ""))
            lines.append("")
        return "\n".join(lines).strip()
