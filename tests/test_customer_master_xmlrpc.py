# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer master's public methods over XML-RPC, against a running
server: upsert, lookup, the event outbox, company isolation for a
non-admin user, and clear refusals of bad input (issue 14)."""
import json
import threading
import urllib.request
import uuid
import xmlrpc.client

import pytest

from conftest import OdooRpc


@pytest.fixture(scope="module")
def two_companies(odoo_server, admin_rpc):
    """Companies A and B, each with a user who may work with customers."""
    tag = uuid.uuid4().hex[:8]
    india = admin_rpc("res.country", "search", [["code", "=", "IN"]])[0]
    group_ids = [
        admin_rpc("ir.model.data", "xmlid_to_res_id", xmlid)
        for xmlid in ("base.group_user", "base.group_partner_manager")
    ]
    companies, users = {}, {}
    for key in ("a", "b"):
        companies[key] = admin_rpc(
            "res.company",
            "create",
            {"name": "RPC Traders %s %s" % (key.upper(), tag), "country_id": india},
        )
        login = "rpc_%s_%s" % (key, tag)
        admin_rpc(
            "res.users",
            "create",
            {
                "name": "RPC user %s" % key.upper(),
                "login": login,
                "password": login,
                "email": "%s@example.in" % login,
                "company_id": companies[key],
                "company_ids": [[6, 0, [companies[key]]]],
                "groups_id": [[6, 0, group_ids]],
            },
        )
        users[key] = OdooRpc(odoo_server["url"], odoo_server["db"], login, login)
    return companies, users


def test_upsert_and_lookup_over_xmlrpc(two_companies):
    companies, users = two_companies
    rpc = users["a"]
    created = rpc(
        "res.partner",
        "sme_upsert_customer",
        {"name": "Asha  Rao", "phone": "098765-43210", "email": "asha@example.in"},
    )
    assert created["is_new"] is True
    again = rpc(
        "res.partner",
        "sme_upsert_customer",
        {"name": "Asha Rao", "phone": "+91 98765 43210", "city": "Pune"},
        company_id=companies["a"],
    )
    assert again == {"id": created["id"], "is_new": False}
    found = rpc("res.partner", "sme_find_customer_by_phone", "9876543210")
    assert found["id"] == created["id"] and found["name"] == "Asha Rao"
    assert rpc("res.partner", "sme_find_customer_by_phone", "9822000000") is False


def test_bad_input_is_a_clear_fault_not_a_traceback(two_companies):
    _companies, users = two_companies
    with pytest.raises(xmlrpc.client.Fault) as caught:
        users["a"](
            "res.partner", "sme_upsert_customer", {"name": "Bad", "phone": "12345"}
        )
    assert "not a valid phone number" in caught.value.faultString
    assert "Traceback" not in caught.value.faultString


def test_user_cannot_touch_another_companys_customers(two_companies, admin_rpc):
    companies, users = two_companies
    in_b = admin_rpc(
        "res.partner",
        "sme_upsert_customer",
        {"name": "Ravi Kumar", "phone": "9822012345"},
        company_id=companies["b"],
    )
    with pytest.raises(xmlrpc.client.Fault) as caught:
        users["a"](
            "res.partner",
            "sme_upsert_customer",
            {"name": "Ravi Kumar", "phone": "9822012345"},
            company_id=companies["b"],
        )
    assert "not allowed" in caught.value.faultString
    with pytest.raises(xmlrpc.client.Fault):
        users["a"]("res.partner", "read", [in_b["id"]], fields=["name"])
    visible = users["a"]("res.partner", "search", [["customer", "=", True]])
    assert in_b["id"] not in visible
    assert (
        users["b"]("res.partner", "read", [in_b["id"]], fields=["name"])[0]["name"]
        == "Ravi Kumar"
    )


def test_outbox_paging_over_xmlrpc(two_companies, admin_rpc):
    companies, users = two_companies
    rpc = users["b"]
    start = rpc("sme.customer.event", "sme_events_since", 0, 1000)["last_sequence"]
    for number in range(5):
        rpc(
            "res.partner",
            "sme_upsert_customer",
            {"name": "Paged Customer %d" % number, "phone": "98450000%02d" % number},
        )
    admin_rpc(
        "res.partner",
        "sme_upsert_customer",
        {"name": "Not in B", "phone": "9845000099"},
        company_id=companies["a"],
    )
    sequences, names, after = [], [], start
    while True:
        page = rpc("sme.customer.event", "sme_events_since", after, 2)
        sequences += [event["sequence"] for event in page["events"]]
        names += [event["payload"]["name"] for event in page["events"]]
        after = page["last_sequence"]
        if not page["has_more"]:
            break
    assert (
        len(sequences) == 5
        and sequences == sorted(set(sequences))
        and sequences[0] > start
    )
    assert names == ["Paged Customer %d" % number for number in range(5)]
    assert rpc("sme.customer.event", "sme_events_since", after, 2)["events"] == []


@pytest.mark.parametrize("race", range(3))
def test_concurrent_upserts_of_one_new_phone_make_one_customer(two_companies, race):
    """Odoo's RPC layer retries the losers' serialization failures."""
    _companies, users = two_companies
    phone = "+9199%08d" % (uuid.uuid4().int % 10**8)
    results, errors = [], []
    barrier = threading.Barrier(4)

    def upsert(number):
        barrier.wait()
        try:
            results.append(
                users["a"](
                    "res.partner",
                    "sme_upsert_customer",
                    {"name": "Racer %d" % number, "phone": phone},
                )
            )
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=upsert, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == [], [getattr(e, "faultString", str(e)) for e in errors]
    assert len({result["id"] for result in results}) == 1
    assert sorted(result["is_new"] for result in results) == [False, False, False, True]
    assert (
        len(
            users["a"](
                "res.partner",
                "search",
                [["sme_phone_normalized", "=", phone]],
                context={"active_test": False},
            )
        )
        == 1
    )


# ---------------------------------------------------------------------------
# Issue 14: hardened public methods, over the real XML-RPC path
# ---------------------------------------------------------------------------
def _fault(call, *args, **kwargs):
    """The fault a call answers with; it must be a clear one."""
    with pytest.raises(xmlrpc.client.Fault) as caught:
        call(*args, **kwargs)
    assert "Traceback" not in caught.value.faultString, caught.value.faultString
    return caught.value.faultString


def _json_rpc(odoo_server, rpc, model, method, *args):
    """The same call over JSON-RPC (/jsonrpc), as a JSON answer."""
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [rpc.db, rpc.uid, rpc.password, model, method, list(args), {}],
            },
        }
    ).encode()
    request = urllib.request.Request(
        odoo_server["url"] + "/jsonrpc", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read().decode())


def test_blank_phone_never_touches_the_company_or_a_user(two_companies, admin_rpc):
    companies, users = two_companies
    company = admin_rpc(
        "res.company", "read", [companies["a"]], fields=["name", "partner_id"]
    )[0]
    intruder = "Renamed %s" % uuid.uuid4().hex[:8]
    for phone in ["   ", "\t", "\u00a0", "\u3000"]:
        message = _fault(
            users["a"],
            "res.partner",
            "sme_upsert_customer",
            {"name": intruder, "phone": phone},
        )
        assert "phone number is required" in message
        assert users["a"]("res.partner", "sme_find_customer_by_phone", phone) is False
    after = admin_rpc("res.company", "read", [companies["a"]], fields=["name"])[0]
    assert after["name"] == company["name"]
    assert (
        admin_rpc(
            "res.partner",
            "search",
            [["name", "=", intruder]],
            context={"active_test": False},
        )
        == []
    )


def test_letters_nan_and_invisible_names_are_refused(two_companies):
    _companies, users = two_companies
    rpc = users["a"]
    twin = rpc(
        "res.partner",
        "sme_upsert_customer",
        {"name": "Keypad Twin", "phone": "9876522233"},
    )
    assert "no letters" in _fault(
        rpc,
        "res.partner",
        "sme_upsert_customer",
        {"name": "Letters", "phone": "98765ABCDE"},
    )
    assert "no letters" in _fault(
        rpc,
        "res.partner",
        "sme_upsert_customer",
        {"name": "Flowers", "phone": "1-800-FLOWERS"},
    )
    assert (
        rpc("res.partner", "read", [twin["id"]], fields=["name"])[0]["name"]
        == "Keypad Twin"
    )
    for limit in [float("nan"), float("inf")]:
        assert "credit_limit" in _fault(
            rpc,
            "res.partner",
            "sme_upsert_customer",
            {"name": "Nan Traders", "phone": "9822033001", "credit_limit": limit},
        )
    assert "needs a name" in _fault(
        rpc,
        "res.partner",
        "sme_upsert_customer",
        {"name": "\u200b\u200b\u200b", "phone": "9822033002"},
    )
    assert rpc("res.partner", "sme_find_customer_by_phone", "9822033001") is False
    assert rpc("res.partner", "sme_find_customer_by_phone", "9822033002") is False


def test_arguments_of_the_wrong_kind_are_named(two_companies):
    _companies, users = two_companies
    rpc = users["a"]
    cases = [
        (({"name": ["A"], "phone": "9822033003"},), {}, "name must be a text"),
        (
            ({"name": "Asha", "phone": "9822033003", "state_id": "MH"},),
            {},
            "state_id must be a record id",
        ),
        (
            ({"name": "Asha", "phone": "9822033003", "lang": "xx_XX"},),
            {},
            "lang must be one of",
        ),
        (
            ({"name": "Asha", "phone": "9822033003", "website": ["x"]},),
            {},
            "website must be a text",
        ),
        (
            ({"name": "Asha", "phone": "9822033003"},),
            {"company_id": "abc"},
            "company_id must be a record id",
        ),
        (
            ({"name": "Asha", "phone": "9822033003"},),
            {"company_id": [1]},
            "company_id must be a record id",
        ),
        (("9822033003",), {"company_id": {"id": 1}}, "company_id must be a record id"),
        (([1, 2],), {}, "must be a dictionary"),
    ]
    for args, kwargs, fragment in cases:
        method = (
            "sme_find_customer_by_phone"
            if isinstance(args[0], str)
            else "sme_upsert_customer"
        )
        assert fragment in _fault(rpc, "res.partner", method, *args, **kwargs)


def test_moving_a_customer_answers_the_same_whatever_the_other_company_has(
    two_companies, admin_rpc
):
    companies, users = two_companies
    admin_rpc(
        "res.partner",
        "sme_upsert_customer",
        {"name": "Oracle A", "phone": "9822044001"},
        company_id=companies["a"],
    )
    taken = users["b"](
        "res.partner",
        "sme_upsert_customer",
        {"name": "Oracle B", "phone": "9822044001"},
    )
    free = users["b"](
        "res.partner",
        "sme_upsert_customer",
        {"name": "Oracle B", "phone": "9822044002"},
    )
    answers = {
        _fault(
            users["b"],
            "res.partner",
            "write",
            [record["id"]],
            {"company_id": companies["a"]},
        )
        for record in (taken, free)
    }
    assert len(answers) == 1, answers
    # The administrator, who sees both companies, is told which customer has it.
    assert "Oracle A" in _fault(
        admin_rpc, "res.partner", "write", [taken["id"]], {"company_id": companies["a"]}
    )


@pytest.mark.parametrize("char", ["\x00", "\x0b", "\x1b"])
def test_control_characters_get_a_fault_not_an_http_error(
    odoo_server, two_companies, char
):
    _companies, users = two_companies
    rpc = users["a"]
    code = "U+%04X" % ord(char)
    message = _fault(
        rpc,
        "res.partner",
        "sme_upsert_customer",
        {"name": "Asha%sRao" % char, "phone": "9822055001"},
    )
    assert code in message and "control character" in message
    legacy = xmlrpc.client.ServerProxy(
        odoo_server["url"] + "/xmlrpc/object", allow_none=True
    )
    with pytest.raises(xmlrpc.client.Fault) as caught:
        legacy.execute_kw(
            rpc.db,
            rpc.uid,
            rpc.password,
            "res.partner",
            "sme_find_customer_by_phone",
            ["98220%s55001" % char],
            {},
        )
    assert (
        caught.value.faultCode.startswith("warning -- ")
        and code in caught.value.faultCode
    )
    answer = _json_rpc(
        odoo_server,
        rpc,
        "res.partner",
        "sme_upsert_customer",
        {"name": "Asha%sRao" % char, "phone": "9822055001"},
    )
    assert answer["error"]["data"]["name"] == "odoo.exceptions.UserError", answer[
        "error"
    ]["data"]["name"]
    assert code in answer["error"]["data"]["message"]
    assert rpc("res.partner", "sme_find_customer_by_phone", "9822055001") is False


def test_an_answer_holding_a_control_character_stays_readable(
    odoo_server, two_companies
):
    """A value stored by another route (JSON-RPC, the web client) with a
    character XML cannot carry is sent with U+FFFD in its place."""
    _companies, users = two_companies
    rpc = users["a"]
    created = _json_rpc(
        odoo_server,
        rpc,
        "res.partner",
        "create",
        {"name": "Vendor\x0bName", "customer": False, "supplier": True},
    )
    assert "result" in created, created
    assert (
        rpc("res.partner", "read", [created["result"]], fields=["name"])[0]["name"]
        == "Vendor\ufffdName"
    )


def test_an_unreadable_request_is_a_fault(odoo_server):
    body = (
        b"<?xml version='1.0'?><methodCall><methodName>version</methodName><params>"
        b"<param><value><int>twelve</int></value></param></params></methodCall>"
    )
    request = urllib.request.Request(
        odoo_server["url"] + "/xmlrpc/2/common", body, {"Content-Type": "text/xml"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        with pytest.raises(xmlrpc.client.Fault) as caught:
            xmlrpc.client.loads(response.read())
    assert "not valid XML-RPC" in caught.value.faultString


def test_concurrent_clients_never_see_a_serialization_failure(two_companies):
    """48 clients at once: 24 on one new phone, the others three by three
    on eight phones (one already a customer). Every call answers; one
    customer per phone."""
    _companies, users = two_companies
    phones = ["+9196%08d" % (uuid.uuid4().int % 10**8) for _phone in range(9)]
    users["a"](
        "res.partner", "sme_upsert_customer", {"name": "Existing", "phone": phones[1]}
    )
    clients = [phones[0]] * 24 + [phones[1 + n % 8] for n in range(24)]
    results, errors = [], []
    barrier = threading.Barrier(len(clients))

    def upsert(number, phone):
        barrier.wait()
        try:
            results.append(
                users["a"](
                    "res.partner",
                    "sme_upsert_customer",
                    {
                        "name": "Client %d" % number,
                        "phone": phone,
                        "city": "City %d" % number,
                    },
                )
            )
        except Exception as error:  # reported below
            errors.append(getattr(error, "faultString", repr(error))[-300:])

    threads = [
        threading.Thread(target=upsert, args=(n, phone))
        for n, phone in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert len({result["id"] for result in results}) == 9
    assert sum(result["is_new"] for result in results) == 8


def test_two_forms_saving_one_new_phone_get_words_not_a_database_error(two_companies):
    """Forms call plain create(): eight at once with one new phone. One
    customer is made; the others are told in words (the friendly check, or
    the unique index's registered message when they passed the check
    together), never the database's "duplicate key" text."""
    _companies, users = two_companies
    for _round in range(3):
        phone = "+9197%08d" % (uuid.uuid4().int % 10**8)
        made, refusals = [], []
        barrier = threading.Barrier(8)

        def save(number):
            barrier.wait()
            try:
                made.append(
                    users["a"](
                        "res.partner",
                        "create",
                        {"name": "Form %d" % number, "phone": phone, "customer": True},
                    )
                )
            except xmlrpc.client.Fault as fault:
                refusals.append(fault.faultString)

        threads = [threading.Thread(target=save, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert len(made) == 1 and len(refusals) == 7
        for refusal in refusals:
            assert (
                "duplicate key" not in refusal and "Traceback" not in refusal
            ), refusal
            assert (
                "already belongs to customer" in refusal
                or "saved for another customer" in refusal
            ), refusal
