# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Referral codes: random, unambiguous to read aloud or type on a phone."""
import secrets

# No 0/O, 1/I/L: codes get read out over the phone and typed at a counter.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8  # 31^8 ≈ 8.5e11 codes: not guessable by trying


def new_referral_code():
    """A code like ``K7QX-M2PA``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "%s-%s" % (raw[:4], raw[4:])


def normalize_referral_code(text):
    """Codes are compared upper case, with or without the dash and spaces."""
    compact = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(compact) != CODE_LENGTH:
        return None
    return "%s-%s" % (compact[:4], compact[4:])


def reward_amount(rule_type, fixed_amount, percent, cap, invoice_total):
    """The referrer's reward: a fixed amount, or a percent of the referred
    customer's first invoice; never above ``cap`` when a cap is set (> 0)."""
    amount = fixed_amount if rule_type == "fixed" else invoice_total * percent / 100.0
    if cap and cap > 0:
        amount = min(amount, cap)
    return round(max(amount, 0.0), 2)
