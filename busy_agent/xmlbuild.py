# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Busy's master and voucher XML, built with ElementTree so that every value
is escaped."""
from xml.etree import ElementTree as ET

from .codes import CREDIT, DEBIT, VOUCHER_KINDS, busy_date


def _add(parent, tag, value):
    if value not in (None, ""):
        ET.SubElement(parent, tag).text = str(value)


def _money(value):
    return "%.2f" % float(value)


def account_xml(account):
    """``account``: name, group, print_name, phone, mobile, email, address (list), gstin."""
    root = ET.Element("Account")
    _add(root, "Name", account["name"])
    _add(root, "PrintName", account.get("print_name") or account["name"])
    _add(root, "ParentGroup", account.get("group") or "Sundry Debtors")
    _add(root, "BillByBillBalancing", "True")
    for number, line in enumerate((account.get("address") or [])[:4], 1):
        _add(root, "Address%d" % number, line)
    _add(root, "Phone", account.get("phone"))
    _add(root, "Mobile", account.get("mobile"))
    _add(root, "Email", account.get("email"))
    _add(root, "GSTNo", account.get("gstin"))
    return ET.tostring(root, encoding="unicode")


def voucher_xml(voucher):
    """``voucher``: kind, series, number, date (ISO), party, narration and either
    items + taxes + sales_account (sales, credit_note) or entries (receipt, journal):
    ``entries`` are ``{account, amount, debit}``."""
    vch_type, root_tag = VOUCHER_KINDS[voucher["kind"]]
    root = ET.Element(root_tag)
    _add(root, "VchSeriesName", voucher["series"])
    _add(root, "Date", busy_date(voucher["date"]))
    _add(root, "VchType", vch_type)
    _add(root, "VchNo", voucher["number"])
    _add(root, "Narration", voucher.get("narration"))
    if voucher["kind"] in ("sales", "credit_note"):
        _add(root, "MasterName1", voucher["party"])
        _add(root, "MasterName2", voucher.get("sales_account") or "Sales")
        entries = ET.SubElement(root, "ItemEntries")
        for item in voucher.get("items") or []:
            detail = ET.SubElement(entries, "ItemDetail")
            _add(detail, "ItemName", item["name"])
            _add(detail, "Qty", item.get("quantity") or 1)
            _add(detail, "Price", _money(item.get("price") or 0))
            _add(detail, "Amt", _money(item["amount"]))
        sundries = ET.SubElement(root, "BillSundries")
        for tax in voucher.get("taxes") or []:
            detail = ET.SubElement(sundries, "BSDetail")
            _add(detail, "BSName", tax["account"])
            _add(detail, "Amt", _money(tax["amount"]))
    else:
        entries = ET.SubElement(root, "AccEntries")
        for entry in voucher["entries"]:
            detail = ET.SubElement(entries, "AccDetail")
            _add(detail, "AccountName", entry["account"])
            _add(detail, "AmountType", DEBIT if entry["debit"] else CREDIT)
            _add(detail, "AmtMainCur", _money(entry["amount"]))
    return ET.tostring(root, encoding="unicode")
