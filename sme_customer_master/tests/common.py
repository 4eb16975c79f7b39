# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Shared fixtures for the customer master's tests: two Indian companies
with their own users, built once per test class in the real database."""
import contextlib
import copy

from odoo.tests import common

from odoo.addons.component.core import Component, MetaComponent, _component_databases


class CustomerMasterCase(common.SavepointCase):
    """Companies A and B (India), a billing user in each, no demo data."""

    load_charts = False

    @classmethod
    def setUpClass(cls):
        super(CustomerMasterCase, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Company = cls.env["res.company"]
        india = cls.env.ref("base.in")
        inr = cls.env.ref("base.INR")
        cls.company_a = Company.create(
            {"name": "Test Traders A", "country_id": india.id, "currency_id": inr.id}
        )
        cls.company_b = Company.create(
            {"name": "Test Traders B", "country_id": india.id, "currency_id": inr.id}
        )
        if cls.load_charts:
            template = cls.env.ref("l10n_in.indian_chart_template_standard")
            (cls.company_a | cls.company_b)._sme_load_chart_template(template)
        billing = cls.env.ref("account.group_account_invoice")
        cls.user_a = cls._make_user("user_a", cls.company_a, billing)
        cls.user_b = cls._make_user("user_b", cls.company_b, billing)
        cls.Partner = cls.env["res.partner"]

    @classmethod
    def _make_user(cls, login, company, *groups):
        return (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": login.replace("_", " ").title(),
                    "login": "sme_test_" + login,
                    "email": "%s@example.in" % login,
                    "password": "sme_test_" + login,
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                    "groups_id": [
                        (
                            6,
                            0,
                            [
                                cls.env.ref("base.group_user").id,
                                cls.env.ref("base.group_partner_manager").id,
                            ]
                            + [g.id for g in groups],
                        )
                    ],
                }
            )
        )

    def upsert(self, values, company=None, user=None):
        partner_model = self.Partner.sudo(user) if user else self.Partner
        return partner_model.sme_upsert_customer(values, (company or self.company_a).id)

    def customer(self, name, phone, company=None, **values):
        values.update(name=name, phone=phone)
        return self.Partner.browse(self.upsert(values, company)["id"])

    def outbox(self, company, event=None):
        domain = [("company_id", "=", company.id)]
        if event:
            domain.append(("event", "=", event))
        return self.env["sme.customer.event"].search(domain, order="sequence")


class InvoiceCase(CustomerMasterCase):

    load_charts = True

    @classmethod
    def setUpClass(cls):
        super(InvoiceCase, cls).setUpClass()
        cls.manager = cls._make_user(
            "acc_manager", cls.company_a, cls.env.ref("account.group_account_manager")
        )

    def _income_account(self, company):
        return self.env["account.account"].search(
            [
                ("company_id", "=", company.id),
                (
                    "user_type_id",
                    "=",
                    self.env.ref("account.data_account_type_revenue").id,
                ),
            ],
            limit=1,
        )

    def make_invoice(self, amount, user=None, date_due="2026-01-31", **vals):
        user = user or self.user_a
        company = user.company_id
        values = {
            "type": "out_invoice",
            "date_invoice": "2026-01-01",
            "date_due": date_due,
            "invoice_line_ids": [
                (
                    0,
                    0,
                    {
                        "name": "Copper wire",
                        "quantity": 1,
                        "price_unit": amount,
                        "account_id": self._income_account(company).id,
                    },
                )
            ],
        }
        values.update(vals)
        return self.env["account.invoice"].sudo(user).create(values)

    def pay(self, invoice, date="2026-01-20"):
        company = invoice.company_id
        journal = self.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
        )
        payment = self.env["account.payment"].create(
            {
                "invoice_ids": [(4, invoice.id)],
                "amount": invoice.residual,
                "payment_date": date,
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": invoice.commercial_partner_id.id,
                "journal_id": journal.id,
                "payment_method_id": self.env.ref(
                    "account.account_payment_method_manual_in"
                ).id,
            }
        )
        payment.post()
        return payment


@contextlib.contextmanager
def listening(env, *event_names):
    """Registers a component_event listener for ``event_names`` in the live
    component registry of the database while the block runs; yields the
    list of ``(event, record, kwargs)`` it receives."""
    received = []
    registry = _component_databases[env.cr.dbname]
    saved_module_components = copy.deepcopy(MetaComponent._modules_components)

    def make_handler(name):
        def handler(self, record, **kwargs):
            received.append((name, record, kwargs))

        return handler

    attrs = {"_name": "sme.test.event.recorder", "_inherit": "base.event.listener"}
    attrs.update({name: make_handler(name) for name in event_names})
    recorder = type("SmeTestEventRecorder", (Component,), attrs)
    recorder._build_component(registry)
    _clear_event_caches(registry)
    try:
        yield received
    finally:
        registry._components.pop("sme.test.event.recorder", None)
        MetaComponent._modules_components = saved_module_components
        _clear_event_caches(registry)


def _clear_event_caches(registry):
    registry._cache.clear()
    registry["base.event.collecter"]._cache.clear()
