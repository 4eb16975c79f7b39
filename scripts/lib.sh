# Shared settings and helpers for the scripts in this folder (sourced, not run).
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
VENV="$ROOT/.venv"
TOOLS="$ROOT/.tools"
ODOO_CONF="$ROOT/odoo.conf"
# The browser the browser tests drive (Debian's package; setup.sh installs it).
CHROMIUM="${SME_CHROMIUM:-/usr/bin/chromium}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
ODOO_DB_USER="${SME_DB_USER:-odoo}"
ODOO_DB_PASSWORD="${SME_DB_PASSWORD:-odoo}"
SME_ADDONS="sme_customer_master,sme_marketing,sme_accounting_hub"
# Test fixtures (tests/addons), installed into test databases only by test.sh.
SME_TEST_ADDONS="sme_hub_sixth_system"
# Installed beside the addons: the Indian chart of accounts and the Invoicing app menus.
SME_BASE_MODULES="l10n_in,account_invoicing"
export PGHOST PGPORT

say()  { printf '\033[1m[sme]\033[0m %s\n' "$*"; }
warn() { printf '\033[33m[sme] warning:\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[31m[sme] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Runs the Odoo server command line (the wheels ship no odoo-bin).
odoo_cli() {
    PATH="$TOOLS/node_modules/.bin:$PATH" "$VENV/bin/python" "$ROOT/scripts/odoo-bin" -c "$ODOO_CONF" "$@"
}

# Odoo's server for real use, as scripts/run.sh starts it: odoo_serve
# [ARGS...] runs scripts/odoo-bin (which fixes Odoo 11's longpolling start
# and listen queue) with the settings odoo_server_args prints.
odoo_serve() {
    local settings
    settings="$(odoo_server_args)" || return 1
    local -a args
    mapfile -t args <<< "$settings"
    PATH="$TOOLS/node_modules/.bin:$PATH" "$VENV/bin/python" \
        "$ROOT/scripts/odoo-bin" -c "$ODOO_CONF" "${args[@]}" "$@"
}

# The settings for real use, one argument a line (README "Running for real
# use"). Worker processes instead of one process with a thread per request:
# a burst of clients waits in the listen queue for a free worker, instead
# of every request holding a database connection at once (PoolError) and
# colliding in PostgreSQL. Each process has its own connection pool of
# db_maxconn: the HTTP workers, the cron workers, the longpolling process
# and the main one (queue_job's runner), all within PostgreSQL's
# max_connections. queue_job runs jobs inside HTTP workers, so a sync job
# must finish within the time limits: a pull of some 20,000 records (13/s);
# a larger first import needs SME_LIMIT_TIME_CPU / SME_LIMIT_TIME_REAL raised.
odoo_server_args() {
    local workers cron processes maxconn
    workers="${SME_WORKERS:-$((2 * $(nproc 2>/dev/null || echo 1)))}"
    cron="${SME_MAX_CRON_THREADS:-1}"
    processes=$((workers + cron + 2))
    if [ -n "${SME_DB_MAXCONN:-}" ]; then
        maxconn="$SME_DB_MAXCONN"
    else
        # A worker serves one request at a time (1-3 cursors); 16 is ample.
        # Ten connections stay free for psql, backups and scripts.
        maxconn=$(( ($(pg_max_connections) - 10) / processes ))
        [ "$maxconn" -le 16 ] || maxconn=16
    fi
    [ "$maxconn" -ge 2 ] || die "PostgreSQL's max_connections is too low for $workers workers: raise it, or set SME_WORKERS lower"
    printf -- '%s\n' "--workers=$workers" "--max-cron-threads=$cron" "--db_maxconn=$maxconn" \
        "--limit-time-cpu=${SME_LIMIT_TIME_CPU:-1800}" "--limit-time-real=${SME_LIMIT_TIME_REAL:-3600}" \
        "--limit-memory-soft=$((2048 * 1024 * 1024))" "--limit-memory-hard=$((2560 * 1024 * 1024))" \
        "--limit-request=8192"
}

pg_max_connections() {
    PGPASSWORD="$ODOO_DB_PASSWORD" psql -h "$PGHOST" -p "$PGPORT" -U "$ODOO_DB_USER" -d postgres -tAc \
        "SHOW max_connections" 2>/dev/null || echo 100
}

# True when the database exists and has the SME Hub addons installed.
db_has_addons() {
    PGPASSWORD="$ODOO_DB_PASSWORD" psql -h "$PGHOST" -p "$PGPORT" -U "$ODOO_DB_USER" -d "$1" -tAc \
        "SELECT count(*) FROM ir_module_module WHERE state = 'installed'
           AND name IN ('sme_customer_master', 'sme_marketing', 'sme_accounting_hub')" 2>/dev/null | grep -qx 3
}

drop_db() {
    PGPASSWORD="$ODOO_DB_PASSWORD" dropdb --if-exists -h "$PGHOST" -p "$PGPORT" -U "$ODOO_DB_USER" "$1"
    rm -rf "$ROOT/.data/filestore/$1"
}
