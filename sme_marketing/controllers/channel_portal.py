# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The channel partner's pages in Odoo's portal (/my/channel): its
customers, their invoices' payment state, its commissions and settlements.
Portal users have no access to these models: each page first finds the
user's channel partner, checks that what is asked belongs to it, and only
then reads with sudo, limited to that partner; anything else is a 404."""
from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


def _payment_state(invoice):
    if invoice.state == "paid":
        return "paid"
    if invoice.state == "open" and invoice.residual < invoice.amount_total:
        return "partial"
    return invoice.state  # open, draft, cancel


class ChannelPortal(CustomerPortal):
    def _sme_channel_partner(self):
        partner = request.env.user.partner_id.commercial_partner_id
        # sudo: a portal user may not read the agent flag of its company.
        partner = partner.sudo()
        return partner if partner.agent else None

    @http.route(["/my/channel"], type="http", auth="user", website=True)
    def sme_channel_home(self, **kw):
        agent = self._sme_channel_partner()
        if not agent:
            raise request.not_found()
        customers = agent.sme_channel_customer_ids
        invoices = (
            request.env["account.invoice"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", customers.ids),
                    ("type", "in", ("out_invoice", "out_refund")),
                    ("state", "in", ("open", "paid")),
                ],
                order="date_invoice desc, id desc",
                limit=200,
            )
        )
        commissions = (
            request.env["account.invoice.line.agent"]
            .sudo()
            .search(
                [("agent", "=", agent.id)],
                order="invoice_date desc, id desc",
                limit=200,
            )
        )
        settlements = (
            request.env["sale.commission.settlement"]
            .sudo()
            .search([("agent", "=", agent.id)], order="date_from desc")
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "agent": agent,
                "customers": customers,
                "invoices": invoices,
                "payment_state": _payment_state,
                "commissions": commissions,
                "settlements": settlements,
                "page_name": "sme_channel",
            }
        )
        return request.render("sme_marketing.portal_my_channel", values)

    @http.route(
        ["/my/channel/customer/<int:customer_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def sme_channel_customer(self, customer_id, **kw):
        agent = self._sme_channel_partner()
        if not agent:
            raise request.not_found()
        customer = request.env["res.partner"].sudo().browse(customer_id).exists()
        # The check before anything is read: another partner's customer is
        # answered exactly as one that does not exist.
        if not customer or customer.sme_channel_partner_id != agent:
            raise request.not_found()
        invoices = (
            request.env["account.invoice"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", customer.id),
                    ("type", "in", ("out_invoice", "out_refund")),
                    ("state", "in", ("open", "paid")),
                ],
                order="date_invoice desc, id desc",
            )
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "agent": agent,
                "customer": customer,
                "invoices": invoices,
                "payment_state": _payment_state,
                "page_name": "sme_channel",
            }
        )
        return request.render("sme_marketing.portal_my_channel_customer", values)

    @http.route(
        ["/my/channel/settlement/<int:settlement_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def sme_channel_settlement(self, settlement_id, **kw):
        agent = self._sme_channel_partner()
        if not agent:
            raise request.not_found()
        settlement = (
            request.env["sale.commission.settlement"]
            .sudo()
            .browse(settlement_id)
            .exists()
        )
        if not settlement or settlement.agent != agent:
            raise request.not_found()
        values = self._prepare_portal_layout_values()
        values.update(
            {"agent": agent, "settlement": settlement, "page_name": "sme_channel"}
        )
        return request.render("sme_marketing.portal_my_channel_settlement", values)
