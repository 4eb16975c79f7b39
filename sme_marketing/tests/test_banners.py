# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The public banner routes over real HTTP (an Odoo WSGI server in this
process, on a free port, answering from the test's transaction as Odoo's
HttpCase does): the list of a company's banners shown today, the image,
impressions counted (204) or refused (404, 410), a click through
link_tracker's ``/r/<code>`` counted in the day's clicks, CORS; and the
upsert of impressions in concurrent transactions (committed, then removed)."""
import base64
import os
import threading
from datetime import timedelta

import psycopg2
import requests
from werkzeug.serving import make_server

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.service import wsgi_server
from odoo.tests import common

from .test_performance import PIXEL


def _application(environ, start_response):
    # The requests of a test run in test mode, as those of the test itself
    # (no real email sent, for instance).
    threading.current_thread().testing = True
    return wsgi_server.application(environ, start_response)


class OdooHttpCase(common.BaseCase):
    """Real HTTP requests to a WSGI server of this process. As in Odoo's
    HttpCase, the registry is in test mode: the requests use the test's
    cursor (one request at a time), so they see the test's data and
    everything is rolled back at the end."""

    @classmethod
    def setUpClass(cls):
        super(OdooHttpCase, cls).setUpClass()
        cls.server = make_server("127.0.0.1", 0, _application, threaded=True)
        cls.base_url = "http://127.0.0.1:%d" % cls.server.server_port
        cls.server_thread = threading.Thread(
            target=cls.server.serve_forever, name="sme-test-http", daemon=True
        )
        cls.server_thread.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        cls.server_thread.join(10)
        super(OdooHttpCase, cls).tearDownClass()

    def setUp(self):
        # Not a TransactionCase: the test's cursor must be the test mode's
        # one, shared with the server's requests.
        super(OdooHttpCase, self).setUp()
        self.registry = odoo.registry(common.get_db_name())
        self.registry.enter_test_mode()
        self.addCleanup(self._leave_test_mode)
        self.cr = self.registry.cursor()
        # cursor() took the shared cursor's lock for this thread: give it
        # back, or the server's requests would wait for it forever.
        self.cr.release()
        self.uid = SUPERUSER_ID
        self.env = api.Environment(self.cr, self.uid, {})

    def _leave_test_mode(self):
        self.registry.clear_caches()
        api.Environment.reset()
        # Closes the shared cursor without committing: nothing stays.
        self.registry.leave_test_mode()

    def http(self, method, path, **kwargs):
        # The test cursor's "commit" is a savepoint: a request that fails
        # rolls back to it, not to before the test's data.
        self.cr.commit()  # pylint: disable=invalid-commit
        kwargs.setdefault("allow_redirects", False)
        response = requests.request(
            method, self.base_url + path, timeout=kwargs.pop("timeout", 60), **kwargs
        )
        self.env.cache.invalidate()
        return response


class TestBannerRoutes(OdooHttpCase):
    def setUp(self):
        super(TestBannerRoutes, self).setUp()
        Company = self.env["res.company"]
        india = self.env.ref("base.in")
        self.company_a = Company.create(
            {"name": "Banner Traders A", "country_id": india.id}
        )
        self.company_b = Company.create(
            {"name": "Banner Traders B", "country_id": india.id}
        )
        self.Performance = self.env["sme.marketing.performance"]
        # The requests carry no business day: today is the real one, in the
        # company's timezone (Asia/Kolkata).
        self.today = self.Performance._sme_today(self.company_a)
        self.Campaign = self.env["sme.marketing.campaign"].with_context(
            tracking_disable=True
        )
        self.second = self.banner("Second", priority="2")
        self.first = self.banner("First", priority="1", image=False)
        self.later = self.banner("Later", start=1)
        self.paused = self.banner("Paused")
        self.paused.action_pause()
        self.draft = self.banner("Draft", launch=False)
        self.email = self.banner(
            "Email",
            campaign_type="email",
            email_subject="Offer",
            email_body="<p>Offer</p>",
            email_from="shop@example.in",
        )
        self.ended = self.banner("Ended", start=-10)
        self.ended.date_end = fields.Date.to_string(self.today - timedelta(days=1))
        self.theirs = self.banner("Theirs", company=self.company_b)

    def banner(self, name, start=-1, launch=True, company=None, **values):
        defaults = {
            "name": name,
            "company_id": (company or self.company_a).id,
            "campaign_type": "banner",
            "title": name + " title",
            "description": "About " + name,
            "badge": "New",
            "cta_text": "Shop now",
            "image": PIXEL,
            "landing_url": "https://shop.example.in/" + name.lower(),
            "date_start": fields.Date.to_string(self.today + timedelta(days=start)),
            "date_end": fields.Date.to_string(self.today + timedelta(days=30)),
        }
        defaults.update(values)
        campaign = self.Campaign.create(defaults)
        if launch:
            campaign.action_launch()
        return campaign

    def path(self, url):
        """The path of an absolute URL of the answer (web.base.url's host
        is not this test server's)."""
        return "/" + url.split("/", 3)[3]

    def impressions(self, campaign):
        row = self.Performance.search(
            [("campaign_id", "=", campaign.id), ("date", "=", self.today)]
        )
        return row.impressions

    def test_lists_the_active_banners_of_the_company_by_priority(self):
        response = self.http("GET", "/sme/banners/%d" % self.company_a.id)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.headers["Content-Type"], "application/json; charset=utf-8"
        )
        self.assertEqual(response.headers["Access-Control-Allow-Origin"], "*")
        answer = response.json()
        self.assertEqual(answer["company_id"], self.company_a.id)
        self.assertEqual(answer["date"], fields.Date.to_string(self.today))
        self.assertEqual(
            [banner["id"] for banner in answer["banners"]],
            [self.first.id, self.second.id],
        )
        first, second = answer["banners"]
        self.assertIsNone(first["image_url"])
        self.assertEqual(
            {key: second[key] for key in ("title", "description", "badge", "cta_text")},
            {
                "title": "Second title",
                "description": "About Second",
                "badge": "New",
                "cta_text": "Shop now",
            },
        )
        self.assertTrue(
            second["image_url"].endswith(
                "/sme/banners/%d/%d/image" % (self.company_a.id, self.second.id)
            )
        )
        self.assertTrue(
            second["impression_url"].endswith(
                "/sme/banners/%d/%d/impression" % (self.company_a.id, self.second.id)
            )
        )
        self.assertEqual(second["landing_url"], self.second.link_tracker_id.short_url)
        self.assertIn("/r/", second["landing_url"])
        # The other company's list has its own banner only.
        answer = self.http("GET", "/sme/banners/%d" % self.company_b.id).json()
        self.assertEqual([b["id"] for b in answer["banners"]], [self.theirs.id])
        # An XML-RPC caller gets the same list.
        self.assertEqual(
            [b["id"] for b in self.Campaign.sme_active_banners(self.company_a.id)],
            [self.first.id, self.second.id],
        )

    def test_unknown_company_is_a_json_404(self):
        for company_id in (999999999, 99999999999):
            response = self.http("GET", "/sme/banners/%d" % company_id)
            self.assertEqual(response.status_code, 404)
            self.assertIn("not found", response.json()["error"])

    def test_image_of_a_shown_banner_only(self):
        response = self.http(
            "GET", "/sme/banners/%d/%d/image" % (self.company_a.id, self.second.id)
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/png")
        self.assertEqual(response.content, base64.b64decode(PIXEL))
        for campaign, company in (
            (self.paused, self.company_a),
            (self.draft, self.company_a),
            (self.theirs, self.company_a),
            (self.first, self.company_a),  # no image
        ):
            response = self.http(
                "GET", "/sme/banners/%d/%d/image" % (company.id, campaign.id)
            )
            self.assertEqual(response.status_code, 404, campaign.name)

    def test_impressions_are_counted_and_refused_with_reasons(self):
        listed = self.http("GET", "/sme/banners/%d" % self.company_a.id).json()
        url = self.path(listed["banners"][1]["impression_url"])
        self.assertEqual(self.http("GET", url).status_code, 204)
        response = self.http("POST", url)
        self.assertEqual(response.status_code, 204)
        self.assertEqual(response.headers["Access-Control-Allow-Origin"], "*")
        self.assertEqual(self.impressions(self.second), 2)

        def impression(campaign, company=None):
            return self.http(
                "POST",
                "/sme/banners/%d/%d/impression"
                % ((company or self.company_a).id, campaign.id),
            )

        paused = impression(self.paused)
        self.assertEqual(paused.status_code, 410)
        self.assertIn("is paused", paused.json()["error"])
        ended = impression(self.ended)
        self.assertEqual(ended.status_code, 410)
        self.assertIn("ended on", ended.json()["error"])
        self.assertEqual(impression(self.later).status_code, 410)
        for campaign in (self.draft, self.email, self.theirs):
            response = impression(campaign)
            self.assertEqual(response.status_code, 404, campaign.name)
            self.assertIn("not found", response.json()["error"])
        unknown = self.http(
            "POST", "/sme/banners/%d/99999999/impression" % self.company_a.id
        )
        self.assertEqual(unknown.status_code, 404)
        self.assertFalse(
            self.Performance.search(
                [("campaign_id", "in", (self.paused | self.ended | self.theirs).ids)]
            )
        )

    def test_cors_preflight(self):
        response = self.http(
            "OPTIONS",
            "/sme/banners/%d/%d/impression" % (self.company_a.id, self.second.id),
            headers={
                "Origin": "https://shop.example.in",
                "Access-Control-Request-Method": "POST",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Access-Control-Allow-Origin"], "*")
        self.assertIn("POST", response.headers["Access-Control-Allow-Methods"])
        self.assertFalse(self.impressions(self.second))

    def test_click_through_the_tracked_link_counts_in_the_days_clicks(self):
        listed = self.http("GET", "/sme/banners/%d" % self.company_a.id).json()
        landing = listed["banners"][1]["landing_url"]
        response = self.http("GET", self.path(landing))
        self.assertEqual(response.status_code, 301)
        location = response.headers["Location"]
        self.assertTrue(location.startswith("https://shop.example.in/second?"))
        self.assertIn("utm_campaign=Second", location)
        row = self.Performance.search(
            [("campaign_id", "=", self.second.id), ("date", "=", self.today)]
        )
        self.assertEqual(row.clicks, 1)
        click = self.env["link.tracker.click"].search(
            [("link_id", "=", self.second.link_tracker_id.id)]
        )
        self.assertEqual(click.click_date, fields.Date.to_string(self.today))
        # link_tracker counts one click per address and link.
        self.http("GET", self.path(landing))
        self.assertEqual(row.clicks, 1)

    def test_storefront_calls_leave_no_session_files(self):
        store = odoo.http.root.session_store

        def files():
            return set(os.listdir(store.path))

        before = files()
        self.http("GET", "/sme/banners/%d" % self.company_a.id)
        self.http(
            "POST",
            "/sme/banners/%d/%d/impression" % (self.company_a.id, self.second.id),
        )
        self.http(
            "GET", "/sme/banners/%d/%d/image" % (self.company_a.id, self.second.id)
        )
        self.assertEqual(files() - before, set())
        # Odoo's own public routes keep a session file per call without a
        # cookie (link_tracker's, for instance): what ours spare.
        self.http("GET", "/r/%s" % self.second.link_tracker_id.code)
        made = files() - before
        for name in made:
            os.unlink(os.path.join(store.path, name))
        self.assertEqual(len(made), 1)

    def test_impressions_cap_reached_over_http_pauses_with_a_note(self):
        capped = self.banner("Capped", max_impressions=2)
        url = "/sme/banners/%d/%d/impression" % (self.company_a.id, capped.id)
        self.assertEqual(self.http("POST", url).status_code, 204)
        self.assertEqual(capped.state, "active")
        self.assertEqual(self.http("POST", url).status_code, 204)
        self.assertEqual(capped.state, "paused")
        notes = capped.message_ids.mapped("body")
        self.assertTrue(
            [n for n in notes if "impressions cap is reached (2 impressions" in n],
            notes,
        )
        refused = self.http("POST", url)
        self.assertEqual(refused.status_code, 410)
        self.assertEqual(self.impressions(capped), 2)
        listed = self.http("GET", "/sme/banners/%d" % self.company_a.id).json()
        self.assertNotIn(capped.id, [b["id"] for b in listed["banners"]])


class TestConcurrentImpressions(common.TransactionCase):
    """The upsert of impressions in real concurrent transactions (the rows
    are committed, then deleted)."""

    def setUp(self):
        super(TestConcurrentImpressions, self).setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            self.campaign_id = (
                env["sme.marketing.campaign"]
                .create(
                    {
                        "name": "Concurrent banner %s" % id(self),
                        "campaign_type": "banner",
                        "company_id": env.ref("base.main_company").id,
                    }
                )
                .id
            )
        self.addCleanup(self._remove)

    def _remove(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["sme.marketing.campaign"].browse(self.campaign_id).unlink()

    def _count(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*), sum(impressions) FROM sme_marketing_performance"
                " WHERE campaign_id = %s",
                (self.campaign_id,),
            )
            return cr.fetchone()

    def _bump_in(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        campaign = env["sme.marketing.campaign"].browse(self.campaign_id)
        return env["sme.marketing.performance"]._sme_bump(campaign, "impressions")

    def test_repeatable_read_fails_where_the_route_waits(self):
        """Why the public route counts at READ COMMITTED: under Odoo's
        REPEATABLE READ, a bump of a row another transaction bumped since
        the snapshot fails (callers retry); the route's transaction of its
        own waits for the row and adds."""
        with api.Environment.manage():
            first = self.registry.cursor()
            second = self.registry.cursor()
            try:
                second.execute("SELECT 1")  # its snapshot: no row yet
                self._bump_in(first)  # makes the row
                first.commit()
                with self.assertRaises(psycopg2.extensions.TransactionRollbackError):
                    self._bump_in(second)
                second.rollback()
            finally:
                first.close()
                second.close()
        self.assertEqual(self._count(), (1, 1))

        # The route's way: one holds the row, the other waits, then adds.
        holder = self.registry.cursor()
        results = []
        try:
            with api.Environment.manage():
                self._bump_in(holder)  # uncommitted: the row is locked
                waiter = threading.Thread(target=self._count_apart, args=(results,))
                waiter.start()
                waiter.join(1.0)
                self.assertTrue(waiter.is_alive(), "the upsert waits for the row")
                holder.commit()
                waiter.join(30)
        finally:
            holder.close()
        self.assertEqual(results, [("draft", None, 3)])
        self.assertEqual(self._count(), (1, 3))

    def _count_apart(self, results):
        with api.Environment.manage():
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                state, refusal, value = env[
                    "sme.marketing.performance"
                ]._sme_count_apart(self.campaign_id)
                results.append((state, refusal, value))

    def test_many_impressions_at_once_all_count(self):
        threads, results = [], []
        barrier = threading.Barrier(8)

        def storefront():
            barrier.wait(30)
            for _n in range(10):
                self._count_apart(results)

        for _n in range(8):
            threads.append(threading.Thread(target=storefront))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        self.assertEqual(len(results), 80)
        self.assertEqual(self._count(), (1, 80))
        self.assertEqual(sorted(value for _s, _r, value in results), list(range(1, 81)))
