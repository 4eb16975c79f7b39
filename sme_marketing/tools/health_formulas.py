# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The health score formulas: deterministic, documented in readme/USAGE.rst.

Every score is an integer from 0 to 100.
"""
from collections import namedtuple

SCORE_NAMES = ("payment", "engagement", "support", "usage")

# One settled or due customer invoice, as the payment score sees it:
# ``days_late`` is None for an invoice paid on time, the days past the due
# date for one paid late, and ``overdue`` is True for one still open past it.
InvoiceOutcome = namedtuple("InvoiceOutcome", "days_late overdue")


def payment_score(outcomes):
    """100 × (on-time + ½ × late) / (on-time + late + overdue now).
    100 when nothing is paid or due yet: no sign of trouble."""
    on_time = sum(1 for o in outcomes if not o.overdue and not o.days_late)
    late = sum(1 for o in outcomes if not o.overdue and o.days_late)
    overdue = sum(1 for o in outcomes if o.overdue)
    counted = on_time + late + overdue
    if not counted:
        return 100
    return int(round(100.0 * (on_time + 0.5 * late) / counted))


def recency_points(days_since_last_purchase):
    """Up to 60 points for a recent purchase."""
    if days_since_last_purchase is None:
        return 0
    for limit, points in ((30, 60), (90, 40), (180, 20)):
        if days_since_last_purchase <= limit:
            return points
    return 0


def engagement_score(
    days_since_last_purchase, purchases_last_365_days, campaign_responses_last_90_days
):
    """Recency (≤ 60) + 10 per purchase in the last year (≤ 30) + 5 per
    campaign response in the last 90 days (≤ 10)."""
    return min(
        100,
        recency_points(days_since_last_purchase)
        + min(30, 10 * purchases_last_365_days)
        + min(10, 5 * campaign_responses_last_90_days),
    )


def overall_score(scores, weights, credit_hold=False):
    """Weighted mean of the scores that are known (None = not known yet),
    with the company's weights; 0 when nothing is known or all weights are 0.
    On credit hold the payment score counts as 0: the company itself has
    stopped trusting the customer to pay, whatever the invoices say."""
    if credit_hold:
        scores = dict(scores, payment=0)
    known = [
        (scores[name], weights.get(name, 0))
        for name in SCORE_NAMES
        if scores.get(name) is not None
    ]
    total_weight = sum(weight for _score, weight in known)
    if not total_weight:
        return 0
    return int(
        round(sum(score * weight for score, weight in known) / float(total_weight))
    )


def segment(overall, healthy_from, critical_below, has_history=True):
    """'new' for a customer without history (no validated invoice, no posted
    score) and not on hold: nothing says it is at risk yet; else 'healthy'
    from ``healthy_from`` up, 'critical' below ``critical_below``, 'at_risk'
    between."""
    if not has_history:
        return "new"
    if overall >= healthy_from:
        return "healthy"
    if overall < critical_below:
        return "critical"
    return "at_risk"
