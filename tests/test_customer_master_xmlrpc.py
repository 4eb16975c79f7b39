"""The customer master's public methods over XML-RPC, against a running
server: upsert, lookup, the event outbox, and company isolation for a
non-admin user."""
import threading
import uuid
import xmlrpc.client

import pytest

from conftest import OdooRpc


@pytest.fixture(scope="module")
def two_companies(odoo_server, admin_rpc):
    """Companies A and B, each with a user who may work with customers."""
    tag = uuid.uuid4().hex[:8]
    india = admin_rpc("res.country", "search", [["code", "=", "IN"]])[0]
    group_ids = [admin_rpc("ir.model.data", "xmlid_to_res_id", xmlid)
                 for xmlid in ("base.group_user", "base.group_partner_manager")]
    companies, users = {}, {}
    for key in ("a", "b"):
        companies[key] = admin_rpc("res.company", "create",
                                   {"name": "RPC Traders %s %s" % (key.upper(), tag),
                                    "country_id": india})
        login = "rpc_%s_%s" % (key, tag)
        admin_rpc("res.users", "create", {
            "name": "RPC user %s" % key.upper(), "login": login, "password": login,
            "email": "%s@example.in" % login,
            "company_id": companies[key], "company_ids": [[6, 0, [companies[key]]]],
            "groups_id": [[6, 0, group_ids]],
        })
        users[key] = OdooRpc(odoo_server["url"], odoo_server["db"], login, login)
    return companies, users


def test_upsert_and_lookup_over_xmlrpc(two_companies):
    companies, users = two_companies
    rpc = users["a"]
    created = rpc("res.partner", "sme_upsert_customer",
                  {"name": "Asha  Rao", "phone": "098765-43210", "email": "asha@example.in"})
    assert created["is_new"] is True
    again = rpc("res.partner", "sme_upsert_customer",
                {"name": "Asha Rao", "phone": "+91 98765 43210", "city": "Pune"},
                company_id=companies["a"])
    assert again == {"id": created["id"], "is_new": False}
    found = rpc("res.partner", "sme_find_customer_by_phone", "9876543210")
    assert found["id"] == created["id"] and found["name"] == "Asha Rao"
    assert rpc("res.partner", "sme_find_customer_by_phone", "9822000000") is False


def test_bad_input_is_a_clear_fault_not_a_traceback(two_companies):
    _companies, users = two_companies
    with pytest.raises(xmlrpc.client.Fault) as caught:
        users["a"]("res.partner", "sme_upsert_customer", {"name": "Bad", "phone": "12345"})
    assert "not a valid phone number" in caught.value.faultString
    assert "Traceback" not in caught.value.faultString


def test_user_cannot_touch_another_companys_customers(two_companies, admin_rpc):
    companies, users = two_companies
    in_b = admin_rpc("res.partner", "sme_upsert_customer",
                     {"name": "Ravi Kumar", "phone": "9822012345"}, company_id=companies["b"])
    with pytest.raises(xmlrpc.client.Fault) as caught:
        users["a"]("res.partner", "sme_upsert_customer",
                   {"name": "Ravi Kumar", "phone": "9822012345"}, company_id=companies["b"])
    assert "not allowed" in caught.value.faultString
    with pytest.raises(xmlrpc.client.Fault):
        users["a"]("res.partner", "read", [in_b["id"]], fields=["name"])
    visible = users["a"]("res.partner", "search", [["customer", "=", True]])
    assert in_b["id"] not in visible
    assert users["b"]("res.partner", "read", [in_b["id"]], fields=["name"])[0]["name"] == "Ravi Kumar"


def test_outbox_paging_over_xmlrpc(two_companies, admin_rpc):
    companies, users = two_companies
    rpc = users["b"]
    start = rpc("sme.customer.event", "sme_events_since", 0, 1000)["last_sequence"]
    for number in range(5):
        rpc("res.partner", "sme_upsert_customer",
            {"name": "Paged Customer %d" % number, "phone": "98450000%02d" % number})
    admin_rpc("res.partner", "sme_upsert_customer",
              {"name": "Not in B", "phone": "9845000099"}, company_id=companies["a"])
    sequences, names, after = [], [], start
    while True:
        page = rpc("sme.customer.event", "sme_events_since", after, 2)
        sequences += [event["sequence"] for event in page["events"]]
        names += [event["payload"]["name"] for event in page["events"]]
        after = page["last_sequence"]
        if not page["has_more"]:
            break
    assert len(sequences) == 5 and sequences == sorted(set(sequences)) and sequences[0] > start
    assert names == ["Paged Customer %d" % number for number in range(5)]
    assert rpc("sme.customer.event", "sme_events_since", after, 2)["events"] == []


@pytest.mark.parametrize("race", range(3))
def test_concurrent_upserts_of_one_new_phone_make_one_customer(two_companies, race):
    """Odoo's RPC layer retries the losers' serialization failures."""
    _companies, users = two_companies
    phone = "+9199%08d" % (uuid.uuid4().int % 10 ** 8)
    results, errors = [], []
    barrier = threading.Barrier(4)

    def upsert(number):
        barrier.wait()
        try:
            results.append(users["a"]("res.partner", "sme_upsert_customer",
                                      {"name": "Racer %d" % number, "phone": phone}))
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
    assert len(users["a"]("res.partner", "search", [["sme_phone_normalized", "=", phone]],
                          context={"active_test": False})) == 1
