# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Generated inputs to the public customer and marketing methods over
XML-RPC (issue 14, point 4): every answer is a result or a clear fault,
never a traceback or an HTTP error, and nothing invalid is stored.

The inputs come from a fixed seed, so a failure is reproducible; they are
sent as a careless client would, whole numbers beyond XML-RPC's 32 bits
included.
"""
import math
import random
import unicodedata
import urllib.request
import uuid
import xmlrpc.client

import pytest

SEED = 14
CALLS = 400
# Characters Unicode files as letters or symbols that print nothing.
FILLERS = set("\u115f\u1160\u3164\uffa0\u2800")

NAMES = [
    "Asha Rao",
    "Ravi Kumar",
    "R",
    "  Meera   Iyer ",
    "\u0915\u094d\u200d\u0937 Traders",
    "Zoë & Sons",
    "O'Brien; DROP TABLE res_partner;--",
    "%",
    "_",
    "\U0001f600 Emoji Mart",
]
BLANKS = ["", " ", "\t", "\u00a0", "\u3000", "\u2007\u2007", "\n"]
INVISIBLES = [
    "\u200b",
    "\u200b\u200c\u200d",
    "\ufeff",
    "\u3164",
    "\u2800",
    "\u202e",
    "\u2060\u034f",
    "\u00ad",
]
CONTROLS = ["\x00", "\x0b", "\x1b", "\x7f", "\x85"]
BAD_PHONES = [
    "98765ABCDE",
    "1-800-FLOWERS",
    "12345",
    "+91 98765",
    "98765432101234567",
    "++91",
    "9876543210 ext 12",
    "\u096f\u096e\u096d",
    "phone",
    "0",
]
CODES = [
    "IN",
    "in",
    "US",
    "XX",
    "%",
    "MH",
    "mh",
    "KA",
    "ZZ",
    "27",
    "business_gst",
    "consumer",
    "registered",
    "en_US",
    "xx_XX",
    "K7QX-M2PA",
    "k7qx m2pa",
]
NUMBERS = [
    0,
    1,
    -1,
    7,
    2**31 - 1,
    2**31,
    2**40,
    -(2**63),
    10**30,
    0.5,
    1e300,
    -0.0,
    float("nan"),
    float("inf"),
    float("-inf"),
    5000,
    5000.75,
]
STRUCTURES = [
    [],
    [1, "a"],
    {},
    {"a": 1},
    None,
    True,
    False,
    xmlrpc.client.DateTime("20260101T00:00:00"),
    xmlrpc.client.Binary(b"\x00\x01"),
]
UPSERT_KEYS = [
    "name",
    "phone",
    "mobile",
    "email",
    "website",
    "street",
    "street2",
    "city",
    "zip",
    "state_id",
    "country_id",
    "state_code",
    "country_code",
    "gstin",
    "vat",
    "ref",
    "comment",
    "lang",
    "credit_limit",
    "sme_credit_hold",
    "sme_credit_hold_reason",
    "user_id",
    "gst_treatment",
    "place_of_supply",
    "referral_code",
    "password",
    "is_company",
]


class FuzzMarshaller(xmlrpc.client.Marshaller):
    """Sends whole numbers of any size, as some clients do."""

    dispatch = dict(xmlrpc.client.Marshaller.dispatch)

    def dump_any_int(self, value, write):
        write("<value><int>%d</int></value>\n" % value)

    dispatch[int] = dump_any_int


def _post(url, method, params):
    """One raw XML-RPC call: ``('result', value)`` or ``('fault', string)``."""
    body = (
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>%s</methodName>\n%s</methodCall>\n"
        % (method, FuzzMarshaller("utf-8", allow_none=True).dumps(params))
    ).encode("utf-8")
    request = urllib.request.Request(url, body, {"Content-Type": "text/xml"})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
        answer = response.read()
    try:
        return "result", xmlrpc.client.loads(answer, use_builtin_types=True)[0][0]
    except xmlrpc.client.Fault as fault:
        return "fault", fault.faultString


class Generator(object):
    """Values of every kind XML-RPC can carry, biased towards the edges."""

    def __init__(self, rnd, context):
        self.rnd, self.context = rnd, context

    def phone(self):
        roll = self.rnd.random()
        if roll < 0.45:
            return "98%08d" % self.rnd.randrange(10**8)
        if roll < 0.6:
            return self.rnd.choice(self.context["existing_phones"])
        if roll < 0.7:
            return self.rnd.choice(BLANKS)
        if roll < 0.9:
            return self.rnd.choice(BAD_PHONES)
        return self.anything()

    def text(self):
        roll = self.rnd.random()
        if roll < 0.4:
            return self.rnd.choice(NAMES)
        if roll < 0.55:
            return self.rnd.choice(BLANKS)
        if roll < 0.7:
            return "".join(
                self.rnd.choice(INVISIBLES) for _char in range(self.rnd.randint(1, 4))
            )
        if roll < 0.75:
            return "Asha%sRao" % self.rnd.choice(CONTROLS)
        if roll < 0.82:
            return self.rnd.choice(NAMES[:3]) * self.rnd.choice([30, 120, 800])
        if roll < 0.9:
            return self.rnd.choice(CODES)
        return self.anything()

    def record_id(self):
        roll = self.rnd.random()
        if roll < 0.4:
            return self.rnd.choice(self.context["ids"])
        if roll < 0.7:
            return self.rnd.choice(NUMBERS)
        return self.anything()

    def anything(self):
        return self.rnd.choice(
            [
                self.rnd.choice(NUMBERS),
                self.rnd.choice(STRUCTURES),
                self.rnd.choice(CODES),
                self.rnd.choice(BLANKS),
            ]
        )

    def value_for(self, key):
        if key in ("phone", "mobile"):
            return self.phone()
        if key in ("state_id", "country_id", "user_id"):
            return self.record_id()
        if key in ("credit_limit",):
            return self.rnd.choice(NUMBERS + [self.anything()])
        if key in ("sme_credit_hold",):
            return self.rnd.choice([True, False, None, 1, "yes"])
        if key.endswith("_code") or key in ("lang", "gst_treatment", "place_of_supply"):
            return self.rnd.choice(CODES + [self.anything()])
        return self.text()

    def upsert_values(self):
        values = {"name": self.text(), "phone": self.phone()}
        for key in self.rnd.sample(UPSERT_KEYS, self.rnd.randint(0, 5)):
            values[key] = self.value_for(key)
        if self.rnd.random() < 0.05:
            return self.anything()
        return values

    def company_id(self):
        roll = self.rnd.random()
        if roll < 0.6:
            return self.context["company_id"]
        if roll < 0.7:
            return None
        return self.record_id()

    def call(self):
        """``(model, method, args, kwargs)`` of one public method call."""
        roll = self.rnd.random()
        kwargs = {"company_id": self.company_id()} if self.rnd.random() < 0.8 else {}
        if roll < 0.5:
            if self.rnd.random() < 0.2:
                kwargs["referral_code"] = self.text()
            return "res.partner", "sme_upsert_customer", [self.upsert_values()], kwargs
        if roll < 0.7:
            return "res.partner", "sme_find_customer_by_phone", [self.phone()], kwargs
        partner_id = (
            self.record_id()
            if self.rnd.random() < 0.6
            else self.rnd.choice(self.context["customers"])
        )
        if roll < 0.8:
            return "sme.customer.health", "sme_get_referral_code", [partner_id], kwargs
        if roll < 0.9:
            scores = self.rnd.choice(
                [
                    {"support": self.rnd.choice(NUMBERS)},
                    {"usage": 55},
                    {"support": self.anything()},
                    self.anything(),
                    {"loyalty": 1},
                ]
            )
            return (
                "sme.customer.health",
                "sme_post_scores",
                [partner_id, scores, self.text()],
                kwargs,
            )
        return (
            "sme.customer.health",
            "sme_record_campaign_response",
            [partner_id, self.text()],
            kwargs,
        )


@pytest.fixture(scope="module")
def fuzz_company(admin_rpc):
    tag = uuid.uuid4().hex[:8]
    india = admin_rpc("res.country", "search", [["code", "=", "IN"]])[0]
    company_id = admin_rpc(
        "res.company", "create", {"name": "Fuzz Traders %s" % tag, "country_id": india}
    )
    phones = ["98%08d" % (uuid.uuid4().int % 10**8) for _phone in range(5)]
    customers = [
        admin_rpc(
            "res.partner",
            "sme_upsert_customer",
            {"name": "Fuzz Customer %d" % n, "phone": phone},
            company_id=company_id,
        )["id"]
        for n, phone in enumerate(phones)
    ]
    return {"company_id": company_id, "existing_phones": phones, "customers": customers}


def test_generated_inputs_get_results_or_clear_faults(
    odoo_server, admin_rpc, fuzz_company
):
    url = odoo_server["url"] + "/xmlrpc/2/object"
    main_company = admin_rpc("res.company", "search", [], limit=1, order="id")[0]
    watched = admin_rpc(
        "res.company",
        "read",
        [main_company, fuzz_company["company_id"]],
        fields=["name", "partner_id"],
    )
    watched_partners = [company["partner_id"][0] for company in watched] + admin_rpc(
        "res.users", "read", [admin_rpc.uid], fields=["partner_id"]
    )[0]["partner_id"][:1]
    before = admin_rpc(
        "res.partner", "read", watched_partners, fields=["name", "phone", "customer"]
    )
    start = admin_rpc(
        "res.partner", "read", fuzz_company["customers"][:1], fields=["write_date"]
    )[0]["write_date"]
    context = dict(
        fuzz_company,
        ids=fuzz_company["customers"] + [main_company, watched_partners[0], 1, 2],
    )
    generator = Generator(random.Random(SEED), context)
    outcomes, tracebacks = {"result": 0, "fault": 0}, []
    for number in range(CALLS):
        model, method, args, kwargs = generator.call()
        params = (
            odoo_server["db"],
            admin_rpc.uid,
            admin_rpc.password,
            model,
            method,
            args,
            kwargs,
        )
        kind, answer = _post(url, "execute_kw", params)
        outcomes[kind] += 1
        if kind == "fault" and ("Traceback" in answer or not answer.strip()):
            tracebacks.append(
                (number, method, repr(args)[:200], repr(kwargs)[:80], answer[-300:])
            )
    assert tracebacks == [], "\n\n".join(map(str, tracebacks[:10]))
    assert (
        outcomes["result"] > CALLS // 10 and outcomes["fault"] > CALLS // 10
    ), outcomes

    assert (
        admin_rpc(
            "res.partner",
            "read",
            watched_partners,
            fields=["name", "phone", "customer"],
        )
        == before
    )
    assert (
        admin_rpc(
            "res.company",
            "read",
            [main_company, fuzz_company["company_id"]],
            fields=["name", "partner_id"],
        )
        == watched
    )
    # What this run created or changed (the database may hold older runs' data).
    customers = admin_rpc(
        "res.partner",
        "search_read",
        [
            ["customer", "=", True],
            ["parent_id", "=", False],
            ["write_date", ">=", start],
            ["company_id", "in", [main_company, fuzz_company["company_id"]]],
        ],
        fields=["name", "phone", "mobile", "credit_limit", "sme_phone_normalized"],
        context={"active_test": False},
    )
    assert len(customers) > 10, "the generated calls created or updated few customers"
    for customer in customers:
        assert any(
            unicodedata.category(char)[0] in "LNPS" and char not in FILLERS
            for char in customer["name"]
        ), customer
        assert not any(
            unicodedata.category(char) == "Cc" for char in customer["name"]
        ), customer
        assert (
            math.isfinite(customer["credit_limit"]) and customer["credit_limit"] >= 0
        ), customer
        for phone in (customer["phone"], customer["mobile"]):
            assert not phone or not any(char.isalpha() for char in phone), customer
        if customer["phone"]:
            assert (customer["sme_phone_normalized"] or "").startswith("+"), customer
