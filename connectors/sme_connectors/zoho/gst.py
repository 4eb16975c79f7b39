# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""GST facts Zoho Books wants on an Indian contact, and which tax an Indian
sale takes: CGST + SGST when the place of supply is the seller's own state,
IGST when it is another state."""

# The first two digits of a GSTIN → Zoho's place_of_contact (state code).
GST_STATES = {
    "01": "JK",
    "02": "HP",
    "03": "PB",
    "04": "CH",
    "05": "UT",
    "06": "HR",
    "07": "DL",
    "08": "RJ",
    "09": "UP",
    "10": "BR",
    "11": "SK",
    "12": "AR",
    "13": "NL",
    "14": "MN",
    "15": "MZ",
    "16": "TR",
    "17": "ML",
    "18": "AS",
    "19": "WB",
    "20": "JH",
    "21": "OR",
    "22": "CG",
    "23": "MP",
    "24": "GJ",
    "26": "DN",
    "27": "MH",
    "29": "KA",
    "30": "GA",
    "31": "LD",
    "32": "KL",
    "33": "TN",
    "34": "PY",
    "35": "AN",
    "36": "TG",
    "37": "AD",
    "38": "LA",
}

# Other spellings of the same states (the GST portal's, Odoo's, older ones):
# two systems may write one state differently, the GST state number is the
# same. Used only to compare places, never sent.
_ALIASES = {
    "TS": "36",
    "CT": "22",
    "UK": "05",
    "OD": "21",
    "AP": "37",
    "DD": "26",
    "DH": "26",
    "OT": "97",
}
_NAMES = {
    "jammu and kashmir": "01",
    "himachal pradesh": "02",
    "punjab": "03",
    "chandigarh": "04",
    "uttarakhand": "05",
    "uttaranchal": "05",
    "haryana": "06",
    "delhi": "07",
    "rajasthan": "08",
    "uttar pradesh": "09",
    "bihar": "10",
    "sikkim": "11",
    "arunachal pradesh": "12",
    "nagaland": "13",
    "manipur": "14",
    "mizoram": "15",
    "tripura": "16",
    "meghalaya": "17",
    "assam": "18",
    "west bengal": "19",
    "jharkhand": "20",
    "odisha": "21",
    "orissa": "21",
    "chhattisgarh": "22",
    "chattisgarh": "22",
    "madhya pradesh": "23",
    "gujarat": "24",
    "daman and diu": "26",
    "dadra and nagar haveli": "26",
    "dadra and nagar haveli and daman and diu": "26",
    "maharashtra": "27",
    "karnataka": "29",
    "goa": "30",
    "lakshadweep": "31",
    "kerala": "32",
    "tamil nadu": "33",
    "puducherry": "34",
    "pondicherry": "34",
    "andaman and nicobar": "35",
    "andaman and nicobar islands": "35",
    "telangana": "36",
    "andhra pradesh": "37",
    "ladakh": "38",
}
_NUMBERS = dict({code: number for number, code in GST_STATES.items()}, **_ALIASES)


def state_number(value):
    """The GST state number ("27") of a state given as a Zoho/GST/Odoo
    two-letter code ("MH"), a state name ("Maharashtra"), a GST state
    number, or a GSTIN ("27AAB..."); None when it names no Indian state."""
    text = str(value or "").strip()
    if not text:
        return None
    if text[:2].isdigit() and (len(text) == 2 or len(text) == 15):
        return text[:2]
    return _NUMBERS.get(text.upper()) or _NAMES.get(
        " ".join(text.lower().replace("&", "and").split())
    )


def state_code(value):
    """Zoho's two-letter code for a state given in any of the forms
    :func:`state_number` reads (an unknown two-letter code is kept)."""
    number = state_number(value)
    if number in GST_STATES:
        return GST_STATES[number]
    text = str(value or "").strip().upper()
    return text if len(text) == 2 and text.isalpha() else None


def same_state(a, b):
    """True when both name the same state, None when either is unknown."""
    a, b = state_number(a), state_number(b)
    if not a or not b:
        return None
    return a == b


def contact_gst(gstin, treatment=None, place=None):
    """``{gst_treatment, gst_no, place_of_contact}`` for a customer with or
    without a GSTIN (its own GST treatment and place of supply win when the
    hub knows them)."""
    if not gstin:
        values = {
            "gst_treatment": treatment
            if treatment and treatment != "business_gst"
            else "consumer"
        }
    else:
        values = {"gst_treatment": treatment or "business_gst", "gst_no": gstin}
    code = state_code(place) or (state_code(gstin) if gstin else None)
    if code:
        values["place_of_contact"] = code
    return values


def tax_kind(tax):
    """``igst`` (one tax, charged across states), ``intra`` (the CGST + SGST
    pair, charged within the seller's state: Zoho keeps it as a tax group),
    or None for anything else (a lone CGST or SGST, cess...)."""
    specific = str(tax.get("tax_specific_type") or "").lower()
    name = str(tax.get("tax_name") or "").upper()
    if specific == "igst" or "IGST" in name:
        return "igst"
    if specific in ("cgst", "sgst", "utgst", "cess") or (
        ("CGST" in name) != ("SGST" in name)
    ):
        return None
    if tax.get("tax_type") == "tax_group" or ("CGST" in name and "SGST" in name):
        return "intra"
    return None
