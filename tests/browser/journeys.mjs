// The main SME Hub journeys in a real headless browser: Debian's chromium
// driven by playwright-core (both installed by scripts/setup.sh; Playwright's
// own browser download is never used).
//
// Run by tests/test_browser_journeys.py, which starts Odoo, prepares the
// data over XML-RPC and passes everything in the environment:
//   SME_WEB_URL, SME_WEB_DB          the server and its database
//   SME_JOURNEY_DATA                 JSON: logins, names, phones, ids (see the pytest file)
//   SME_SCREENSHOT_DIR               where the screenshots go (created)
//   SME_JOURNEYS                     optional: comma-separated journey names to run
//   SME_CHROMIUM                     optional: the browser (default /usr/bin/chromium)
//
// Odoo keeps a long-polling request open all the time: the journeys wait for
// what the user would look at (selectors), never for the network to idle.
// Any page error or console error fails the journey it happened in.
// Prints one line per journey (PASS/FAIL) and a last JSON line; exits 1 when
// any journey failed.
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(ROOT, '.tools', 'package.json'));
const { chromium } = require('playwright-core');

const URL = (process.env.SME_WEB_URL || 'http://127.0.0.1:8069').replace(/\/$/, '');
const DB = process.env.SME_WEB_DB;
const DATA = JSON.parse(process.env.SME_JOURNEY_DATA || '{}');
const SHOTS = process.env.SME_SCREENSHOT_DIR || path.join(ROOT, '.data', 'browser-screenshots');
const ONLY = (process.env.SME_JOURNEYS || '').split(',').map((s) => s.trim()).filter(Boolean);
const STEP_TIMEOUT = 20000;

mkdirSync(SHOTS, { recursive: true });

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------
class Problems {
    constructor() { this.list = []; this.allowed = []; }
    // A refusal the journey provokes on purpose (a UserError): Odoo 11 also
    // logs it on the console as "Server application error".
    allow(pattern) { this.allowed.push(pattern); }
    watch(page, who) {
        page.on('pageerror', (error) => this.list.push(`[${who}] page error: ${error.message}`));
        page.on('console', (message) => {
            if (message.type() === 'error' && !this.allowed.some((pattern) => pattern.test(message.text()))) {
                this.list.push(`[${who}] console error: ${message.text()}`);
            }
        });
        // The console says "404" without the address: say which resource.
        page.on('response', (response) => {
            if (response.status() >= 400 && !this.allowed.some((pattern) => pattern.test(response.url()))) {
                this.list.push(`[${who}] HTTP ${response.status()} for ${response.url()}`);
            }
        });
        page.on('dialog', (dialog) => {  // window.alert/confirm: never expected
            this.list.push(`[${who}] unexpected browser dialog: ${dialog.message()}`);
            dialog.dismiss().catch(() => {});
        });
    }
    take() { const list = this.list; this.list = []; this.allowed = []; return list; }
}

let shotNumber = 0;
async function shot(page, name) {
    shotNumber += 1;
    const file = path.join(SHOTS, `${String(shotNumber).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: false });
    return file;
}

function expect(condition, message) {
    if (!condition) throw new Error(message);
}

// Waits until Odoo has no RPC in flight that the user waits on (its
// "Loading" indicator is hidden) and no UI block is shown.
async function settled(page) {
    await page.locator('.o_loading:visible').first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT })
        .catch(() => {});
    await page.waitForSelector('.o_loading', { state: 'hidden', timeout: STEP_TIMEOUT });
    await page.waitForSelector('.blockUI', { state: 'hidden', timeout: STEP_TIMEOUT });
}

async function login(browser, problems, who, login, password) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT);
    problems.watch(page, who);
    await page.goto(`${URL}/web/login?db=${encodeURIComponent(DB)}`, { waitUntil: 'domcontentloaded' });
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', password);
    await Promise.all([
        page.waitForURL(/\/web(#.*|\?.*)?$/, { timeout: STEP_TIMEOUT }),
        page.click('form.oe_login_form button[type="submit"]'),
    ]);
    await page.waitForSelector('#oe_main_menu_navbar .oe_application_menu_placeholder .oe_menu_text');
    await settled(page);
    await skipTours(page);
    return page;
}

// Odoo's onboarding tours (crm's, mass_mailing's, ...) float tips over the
// screens of a user who has not seen them and may take a click meant for
// the screen: skip them all, as a user does once, and start again.
async function skipTours(page) {
    // Odoo 11 shows tours to the superuser only; others may not consume them.
    const names = await page.evaluate(() => {
        const service = odoo.__DEBUG__.services['web_tour.tour'];
        const isSuperuser = odoo.session_info && odoo.session_info.is_superuser;
        return isSuperuser && service && service.tours ? Object.keys(service.tours) : [];
    });
    if (!names.length) return;
    await callKw(page, 'web_tour.tour', 'consume', [names]);
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.waitForSelector('#oe_main_menu_navbar .oe_application_menu_placeholder .oe_menu_text');
    await settled(page);
}

// Clicks the app in the top bar, then a leaf of its left menu (under an
// optional section): the way a user gets to a screen.
async function openMenu(page, app, leaf, section) {
    const appLink = page.locator('#oe_main_menu_navbar .oe_application_menu_placeholder a')
        .filter({ has: page.locator('.oe_menu_text', { hasText: new RegExp(`^\\s*${escape(app)}\\s*$`) }) });
    if (!(await appLink.first().isVisible())) {  // apps beyond the bar's width sit under "More"
        await page.click('#oe_main_menu_navbar .oe_application_menu_placeholder a.dropdown-toggle');
    }
    await appLink.first().click();
    let menu = page.locator('.o_sub_menu .oe_secondary_menu:visible');
    if (section) {
        menu = menu.locator('.oe_secondary_menu_section')
            .filter({ hasText: new RegExp(`^\\s*${escape(section)}\\s*$`) })
            .locator('xpath=following-sibling::ul[1]');
    }
    const leafLink = menu.locator('a.oe_menu_leaf')
        .filter({ has: page.locator('.oe_menu_text', { hasText: new RegExp(`^\\s*${escape(leaf)}\\s*$`) }) });
    await leafLink.first().click();
    await page.waitForSelector(`.o_control_panel .breadcrumb li:last-child:has-text("${leaf}")`);
    await settled(page);
}

// Types into the search box as a user does (key by key: Odoo's
// autocomplete listens to the keys).
async function search(page, text) {
    const input = page.locator('.o_searchview_input');
    await input.click();
    await input.pressSequentially(text, { delay: 15 });
    await page.locator('.o_searchview_autocomplete li').first().waitFor();
}

function escape(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function dialog(page) {
    return page.locator('.modal.in .modal-dialog, .modal.show .modal-dialog').last();
}

async function closeDialog(page) {
    const modal = dialog(page);
    const footerButton = modal.locator('.modal-footer button').first();
    if (await footerButton.count()) {
        await footerButton.click();
    } else {
        await modal.locator('button.close').click();
    }
    await page.waitForSelector('.modal.in', { state: 'detached' });
}

async function field(page, name) {
    return page.locator(`.o_form_view .o_field_widget[name="${name}"]`).first();
}

// Odoo's server-side JSON-RPC with the page's session (for what a user does
// not do by hand, e.g. running the queued sync job that the queue_job
// runner would run in production).
async function callKw(page, model, method, args, kwargs = {}) {
    const response = await page.request.post(`${URL}/web/dataset/call_kw/${model}/${method}`, {
        data: { jsonrpc: '2.0', method: 'call', params: { model, method, args, kwargs } },
    });
    const body = await response.json();
    if (body.error) throw new Error(`${model}.${method}: ${JSON.stringify(body.error.data || body.error)}`);
    return body.result;
}

// ---------------------------------------------------------------------------
// Journeys
// ---------------------------------------------------------------------------
const journeys = {};

journeys.login = async ({ admin }) => {
    await shot(admin, 'home-after-login');
    const apps = await admin.locator('#oe_main_menu_navbar .oe_application_menu_placeholder .oe_menu_text').allInnerTexts();
    expect(apps.some((name) => name.trim() === 'SME Hub'), `no SME Hub app in the top bar: ${apps.join(', ')}`);
};

journeys.find_customer_by_phone = async ({ admin }) => {
    await openMenu(admin, 'SME Hub', 'Customers', 'Customers');
    await admin.waitForSelector('.o_list_view, .o_kanban_view');
    await shot(admin, 'customers-list');
    await admin.waitForSelector('.o_list_view tbody tr.o_data_row');
    await search(admin, DATA.search_phone);
    const option = admin.locator('.o_searchview_autocomplete li').filter({ hasText: /Search Phone/ });
    await option.first().waitFor();
    await option.first().click();
    await admin.waitForSelector(`.o_searchview .o_searchview_facet:has-text("${DATA.search_phone}")`);
    await settled(admin);
    const rows = admin.locator('.o_list_view tbody tr.o_data_row');
    await admin.waitForFunction(
        (name) => {
            const rows = document.querySelectorAll('.o_list_view tbody tr.o_data_row');
            return rows.length === 1 && rows[0].innerText.includes(name);
        }, DATA.customer_name, { timeout: STEP_TIMEOUT });
    await shot(admin, 'customers-found-by-phone');
    // On the name, as a user does (the row's middle may be a checkbox column).
    await rows.first().locator('td').filter({ hasText: DATA.customer_name }).first().click();
    await admin.waitForSelector(`.o_form_view .oe_title:has-text("${DATA.customer_name}")`);
    await settled(admin);
    await shot(admin, 'customer-form');
};

journeys.duplicate_phone_warning = async ({ admin }) => {
    await openMenu(admin, 'SME Hub', 'Customers', 'Customers');
    await admin.click('.o_control_panel .o_list_button_add, .o_control_panel .o-kanban-button-new');
    await admin.waitForSelector('.o_form_view.o_form_editable');
    await (await field(admin, 'name')).fill(DATA.duplicate_name);
    const phone = await field(admin, 'phone');
    await phone.fill(DATA.duplicate_phone);
    await phone.press('Tab');  // leaves the field: the onchange runs
    // Today the warning comes when saving (the phone's owner is named);
    // with a phone onchange it comes as soon as the field is left.
    const modal = dialog(admin);
    let when = 'on leaving the phone field';
    try {
        await modal.waitFor({ timeout: 3000 });
    } catch (error) {
        when = 'on saving';
        await admin.click('.o_form_button_save');
        await modal.waitFor();
    }
    const text = await modal.innerText();
    await shot(admin, 'duplicate-phone-warning');
    expect(text.includes(DATA.customer_name),
        `the duplicate-phone warning (${when}) does not name the customer who has the phone: ${text}`);
    console.log(`  duplicate-phone warning shown ${when}`);
    await closeDialog(admin);
    // Leave without creating the duplicate.
    if (await admin.locator('.o_form_view.o_form_editable').count()) {
        await admin.click('.o_form_button_cancel');
        const confirm = dialog(admin);
        if (await confirm.count()) await confirm.locator('.modal-footer .btn-primary').click();
    }
    await settled(admin);
};

// Invoicing › Customer Invoices › Create: a draft invoice for the customer
// on credit hold, one line, saved.
async function draftInvoiceForCustomerOnHold(page, who) {
    const clerk = page;
    await openMenu(clerk, 'Invoicing', 'Customer Invoices');
    await clerk.click('.o_control_panel .o_list_button_add, .o_control_panel .o-kanban-button-new');
    await clerk.waitForSelector('.o_form_view.o_form_editable');
    const customer = clerk.locator('.o_form_view .o_field_widget[name="partner_id"] input');
    await customer.fill(DATA.hold_name);
    const item = clerk.locator('.ui-autocomplete:visible li a').filter({ hasText: DATA.hold_name });
    await item.first().click();
    await clerk.waitForFunction(
        (name) => (document.querySelector('.o_field_widget[name="partner_id"] input') || {}).value === name,
        DATA.hold_name);
    // Picking a customer on hold is flagged at once, before any validation.
    const warning = dialog(clerk);
    await warning.waitFor();
    const warned = await warning.innerText();
    expect(/Credit check/.test(warned) && warned.includes(`'${DATA.hold_name}' is on credit hold`),
        `picking the customer on hold gave no credit warning: ${warned}`);
    await shot(clerk, `invoice-credit-warning-${who}`);
    await closeDialog(clerk);
    await settled(clerk);
    await clerk.click('.o_field_widget[name="invoice_line_ids"] .o_field_x2many_list_row_add a');
    const line = clerk.locator('.o_field_widget[name="invoice_line_ids"] tr.o_selected_row');
    await line.waitFor();
    await line.locator('[name="name"]').fill('Cotton sarees, 10 pieces');
    const price = line.locator('.o_field_widget[name="price_unit"]');
    await price.fill('4500');
    await settled(clerk);
    await shot(clerk, `invoice-draft-for-customer-on-hold-${who}`);
    await clerk.click('.o_form_button_save');
    await clerk.waitForSelector('.o_form_view.o_form_readonly');
    await settled(clerk);
}

journeys.invoice_on_credit_hold = async ({ clerk, problems }) => {
    problems.allow(/Server application error.*on credit hold/s);
    await draftInvoiceForCustomerOnHold(clerk, 'clerk');
    await clerk.click('.o_form_statusbar button:has-text("Validate")');
    const modal = dialog(clerk);
    await modal.waitFor();
    const text = await modal.innerText();
    await shot(clerk, 'invoice-refused-credit-hold');
    expect(/credit hold/i.test(text), `the dialog does not say the customer is on credit hold: ${text}`);
    expect(text.includes(DATA.hold_name), `the dialog does not name the customer: ${text}`);
    await closeDialog(clerk);
    await clerk.waitForSelector('.o_form_statusbar .o_statusbar_status button.btn-primary:has-text("Draft")');
};

// An accounting manager is asked to confirm, with a reason, instead.
journeys.manager_overrides_credit_hold = async ({ manager }) => {
    await draftInvoiceForCustomerOnHold(manager, 'manager');
    await manager.click('.o_form_statusbar button:has-text("Validate")');
    const modal = dialog(manager);
    await modal.locator('button:has-text("Validate anyway")').waitFor();
    const text = await modal.innerText();
    expect(/credit hold/i.test(text) && text.includes(DATA.hold_name),
        `the confirmation does not say why: ${text}`);
    await modal.locator('.o_field_widget[name="reason"]').fill('Paid by cash at the counter');
    await shot(manager, 'invoice-credit-hold-confirmation');
    await modal.locator('button:has-text("Validate anyway")').click();
    await manager.waitForSelector('.modal.in', { state: 'detached' });
    await manager.waitForSelector('.o_form_statusbar .o_statusbar_status button.btn-primary:has-text("Open")');
    await settled(manager);
    await shot(manager, 'invoice-validated-by-manager');
};

journeys.sync_now_and_log = async ({ admin }) => {
    await openMenu(admin, 'SME Hub', 'Connections', 'Accounting Hub');
    await admin.locator('.o_list_view tbody tr.o_data_row').filter({ hasText: DATA.backend_name }).first().click();
    await admin.waitForSelector(`.o_form_view .oe_title:has-text("${DATA.backend_name}")`);
    await settled(admin);
    await shot(admin, 'connection-form');
    await admin.click('.o_form_statusbar button:has-text("Sync now")');
    const modal = dialog(admin);
    await modal.waitFor();
    const text = await modal.innerText();
    await shot(admin, 'sync-now-queued');
    expect(/sync jobs? queued/i.test(text), `Sync now did not say the jobs were queued: ${text}`);
    await closeDialog(admin);

    // Production runs the job in queue_job's runner; the test server has none:
    // run it the way the runner does (enqueue it, call /queue_job/runjob).
    const jobs = await callKw(admin, 'queue.job', 'search_read',
        [[['state', '=', 'pending'], ['channel', '=like', 'root.sme_accounting%'],
          ['record_ids', '!=', false], ['name', 'ilike', DATA.backend_name]]], { fields: ['uuid', 'name'] });
    expect(jobs.length >= 1, 'Sync now queued no job');
    for (const job of jobs) {
        await callKw(admin, 'queue.job', 'write', [[job.id], { state: 'enqueued' }]);
        const run = await admin.request.get(`${URL}/queue_job/runjob?db=${encodeURIComponent(DB)}&job_uuid=${job.uuid}`);
        expect(run.ok(), `running job ${job.name} answered ${run.status()}`);
    }

    await admin.reload({ waitUntil: 'domcontentloaded' });
    await admin.waitForSelector(`.o_form_view .oe_title:has-text("${DATA.backend_name}")`);
    await settled(admin);
    const logs = admin.locator('.oe_button_box button.oe_stat_button').filter({ hasText: 'Sync logs' });
    await logs.click();
    await admin.waitForSelector('.o_control_panel .breadcrumb li:last-child:has-text("Sync logs")');
    await admin.waitForSelector('.o_list_view tbody tr.o_data_row');
    await settled(admin);
    await shot(admin, 'connection-sync-logs');
    const created = await admin.locator('.o_list_view tbody tr.o_data_row').first().innerText();
    expect(/customers/.test(created) && /Done/.test(created), `the sync log is not a finished customers pull: ${created}`);
    await admin.locator('.o_list_view tbody tr.o_data_row').first().click();
    await admin.waitForSelector('.o_form_view');
    await settled(admin);
    await shot(admin, 'sync-log-form');

    await openMenu(admin, 'SME Hub', 'Sync logs', 'Accounting Hub');
    await admin.waitForSelector('.o_list_view tbody tr.o_data_row');
    await openMenu(admin, 'SME Hub', 'Sync jobs', 'Accounting Hub');
    await admin.waitForSelector('.o_searchview_facet');
    await shot(admin, 'sync-jobs-waiting');  // none waiting: the job ran
    // Without the default filter: the finished pull is there.
    await admin.click('.o_searchview_facet .o_facet_remove');
    await admin.locator('.o_list_view tbody tr.o_data_row').filter({ hasText: DATA.backend_name }).first().waitFor();
    await settled(admin);
    await shot(admin, 'sync-jobs-all');
};

journeys.dashboard = async ({ admin }) => {
    await openMenu(admin, 'SME Hub', 'Dashboard', 'Accounting Hub');
    const card = admin.locator('.o_kanban_view .o_sme_connection').filter({ hasText: DATA.backend_name });
    await card.first().waitFor();
    await settled(admin);
    await shot(admin, 'dashboard');
    const text = await card.first().innerText();
    expect(/conflicts/.test(text) && /failures/.test(text) && /Sync now/.test(text),
        `the dashboard card lacks counts or Sync now: ${text}`);
    await card.first().locator('a[data-name="action_view_conflicts"]').click();
    await admin.waitForSelector('.o_list_view tbody tr.o_data_row');
    await settled(admin);
    await shot(admin, 'dashboard-conflicts');
};

journeys.customer_linked_systems = async ({ admin }) => {
    await openMenu(admin, 'SME Hub', 'Customers', 'Customers');
    await admin.waitForSelector('.o_list_view tbody tr.o_data_row');
    await search(admin, DATA.customer_name);
    await admin.keyboard.press('Enter');
    await admin.waitForSelector(`.o_searchview_facet:has-text("${DATA.customer_name}")`);
    await settled(admin);
    await admin.locator('.o_list_view tbody tr.o_data_row td').filter({ hasText: DATA.customer_name }).first().click();
    await admin.waitForSelector(`.o_form_view .oe_title:has-text("${DATA.customer_name}")`);
    await admin.click('.o_notebook .nav-tabs a:has-text("Accounting systems")');
    const row = admin.locator('.o_notebook .tab-pane.active .o_field_widget[name="sme_accounting_binding_ids"] tr.o_data_row');
    await row.first().waitFor();
    await settled(admin);
    await shot(admin, 'customer-accounting-systems');
    const text = await row.first().innerText();
    expect(text.includes(DATA.backend_name) && text.includes(DATA.external_name),
        `the customer's linked systems do not show the connection: ${text}`);
};

journeys.resolve_conflict = async ({ admin }) => {
    await openMenu(admin, 'SME Hub', 'Conflicts to review', 'Accounting Hub');
    await admin.locator('.o_list_view tbody tr.o_data_row').filter({ hasText: DATA.customer_name }).first().click();
    const table = admin.locator('.o_form_view table.o_sme_conflict_table');
    await table.waitFor();
    await settled(admin);
    await shot(admin, 'conflict-what-differs');
    const text = await table.innerText();
    expect(text.includes(DATA.conflict_odoo_email) && text.includes(DATA.conflict_remote_email),
        `'What differs' does not show both sides: ${text}`);
    await admin.click('.o_form_statusbar button:has-text("Keep the accounting system\'s")');
    await admin.waitForSelector(
        '.o_form_statusbar .o_statusbar_status button.btn-primary:has-text("Kept the accounting system\'s")');
    await settled(admin);
    await shot(admin, 'conflict-resolved');
};

// Marketing: a banner campaign launched from its form, the day's
// performance as graph and pivot, an XML-RPC lead in the crm pipeline with
// the seed's status, the customer's group on its form.
journeys.campaign_launch = async ({ admin }) => {
    await openMenu(admin, 'SME Hub', 'Campaigns', 'Marketing');
    await admin.waitForSelector('.o_kanban_view .o_kanban_record');
    await shot(admin, 'campaigns-kanban');
    await admin.locator('.o_kanban_record').filter({ hasText: DATA.campaign_name }).first().click();
    await admin.waitForSelector(`.o_form_view:has-text("${DATA.campaign_name}")`);
    await settled(admin);
    await shot(admin, 'campaign-form-draft');
    await admin.click('.o_form_statusbar button:has-text("Launch")');
    const confirm = dialog(admin);  // "Launch the campaign? ..."
    await confirm.waitFor();
    await shot(admin, 'campaign-launch-confirmation');
    await confirm.locator('.modal-footer button:has-text("Ok")').click();
    await admin.waitForSelector('.o_form_statusbar .o_statusbar_status .btn-primary:has-text("Active")');
    await settled(admin);
    await shot(admin, 'campaign-launched');
    const tracked = await (await field(admin, 'tracked_url')).innerText();
    expect(/\/r\/\w+/.test(tracked), `the launched campaign shows no tracked link: ${tracked}`);
};

journeys.campaign_performance = async ({ admin }) => {
    await openMenu(admin, 'SME Hub', 'Campaigns', 'Marketing');
    // Reporting is a folded sub-menu of Marketing: unfold it, then its leaf.
    await admin.click('.o_sub_menu .oe_secondary_menu:visible a:has(.oe_menu_text:text-is("Reporting"))');
    await admin.click('.o_sub_menu .oe_secondary_menu:visible a.oe_menu_leaf:has(.oe_menu_text:text-is("Campaign performance"))');
    await admin.waitForSelector('.o_control_panel .breadcrumb li:last-child:has-text("Campaign performance")');
    await admin.waitForSelector('.o_graph, .o_graph_svg_container, .o_list_view, .o_pivot');
    await settled(admin);
    await shot(admin, 'campaign-performance');
    await admin.click('.o_cp_switch_buttons button[data-view-type="pivot"]');
    await admin.waitForSelector('.o_pivot table');
    await settled(admin);
    await shot(admin, 'campaign-performance-pivot');
    const text = await admin.locator('.o_pivot table').innerText();
    expect(text.includes(DATA.performance_campaign_name),
        `the pivot does not show ${DATA.performance_campaign_name}: ${text.slice(0, 300)}`);
};

journeys.lead_in_pipeline = async ({ problems, admin }) => {
    // A lead taken in over XML-RPC waits for the sales team to assign it;
    // Odoo's kanban asks for the missing salesperson's avatar (id empty).
    problems.allow(/image_small&id=&/);
    problems.allow(/status of 404/);
    await openMenu(admin, 'CRM', 'Pipeline', 'Pipeline');
    await admin.waitForSelector('.o_kanban_view');
    await admin.locator('.o_searchview_facet .o_facet_remove').first().click().catch(() => {});
    await settled(admin);
    await search(admin, DATA.lead_name);
    await admin.keyboard.press('Enter');
    await settled(admin);
    const card = admin.locator('.o_kanban_record').filter({ hasText: DATA.lead_name }).first();
    await card.waitFor();
    await shot(admin, 'pipeline-with-intake-lead');
    await card.click();
    await admin.waitForSelector(`.o_form_view:has-text("${DATA.lead_name}")`);
    await settled(admin);
    await shot(admin, 'lead-form');
    const status = await (await field(admin, 'sme_status')).innerText();
    expect(/new/i.test(status), `the lead's status is not New: ${status}`);
};

journeys.customer_group_on_form = async ({ admin }) => {
    await openMenu(admin, 'SME Hub', 'Customers', 'Customers');
    await search(admin, DATA.customer_name);
    await admin.keyboard.press('Enter');
    await settled(admin);
    await admin.locator('.o_kanban_record, .o_data_row').filter({ hasText: DATA.customer_name }).first().click();
    await admin.waitForSelector(`.o_form_view:has-text("${DATA.customer_name}")`);
    await settled(admin);
    const group = await (await field(admin, 'sme_customer_group_id')).innerText();
    await shot(admin, 'customer-with-group');
    expect(group.includes(DATA.group_name), `the customer form does not show the group: ${group}`);
};

// ---------------------------------------------------------------------------
const ORDER = ['login', 'find_customer_by_phone', 'duplicate_phone_warning', 'invoice_on_credit_hold',
    ...(DATA.manager_login ? ['manager_overrides_credit_hold'] : []),
    'sync_now_and_log', 'dashboard', 'customer_linked_systems', 'resolve_conflict',
    'campaign_launch', 'campaign_performance', 'lead_in_pipeline', 'customer_group_on_form'];

async function main() {
    const started = Date.now();
    const browser = await chromium.launch({
        executablePath: process.env.SME_CHROMIUM || '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
            '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    });
    const problems = new Problems();
    const results = [];
    const pages = {};
    try {
        for (const name of ORDER) {
            if (ONLY.length && !ONLY.includes(name)) continue;
            const t0 = Date.now();
            let error = null;
            try {
                if (!pages.admin) pages.admin = await login(browser, problems, 'admin', DATA.admin_login, DATA.admin_password);
                if (name === 'invoice_on_credit_hold' && !pages.clerk) {
                    pages.clerk = await login(browser, problems, 'clerk', DATA.clerk_login, DATA.clerk_password);
                }
                if (name === 'manager_overrides_credit_hold' && !pages.manager) {
                    pages.manager = await login(browser, problems, 'manager', DATA.manager_login, DATA.manager_password);
                }
                await journeys[name]({ ...pages, problems });
            } catch (caught) {
                error = caught;
                for (const page of Object.values(pages)) {
                    await shot(page, `${name}-FAILED`).catch(() => {});
                    // The next journey starts from the home screen.
                    await page.goto(`${URL}/web`, { waitUntil: 'domcontentloaded' })
                        .then(() => page.waitForSelector('#oe_main_menu_navbar .oe_menu_text'))
                        .catch(() => {});
                }
            }
            const seen = problems.take();
            const ok = !error && !seen.length;
            const seconds = ((Date.now() - t0) / 1000).toFixed(1);
            results.push({ name, ok, seconds, error: error ? String(error.message || error) : null, problems: seen });
            console.log(`${ok ? 'PASS' : 'FAIL'} ${name} (${seconds}s)`);
            if (error) console.log(`  ${String(error.stack || error).split('\n').slice(0, 6).join('\n  ')}`);
            for (const problem of seen) console.log(`  ${problem}`);
        }
    } finally {
        await browser.close();
    }
    const failed = results.filter((r) => !r.ok).map((r) => r.name);
    console.log(JSON.stringify({ results, failed, seconds: (Date.now() - started) / 1000, screenshots: SHOTS }));
    process.exit(failed.length || !results.length ? 1 : 0);
}

main().catch((error) => {
    console.error(error);
    process.exit(2);
});
