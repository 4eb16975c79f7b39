# Shared settings and helpers for the scripts in this folder (sourced, not run).
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
VENV="$ROOT/.venv"
TOOLS="$ROOT/.tools"
ODOO_CONF="$ROOT/odoo.conf"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
ODOO_DB_USER="${SME_DB_USER:-odoo}"
ODOO_DB_PASSWORD="${SME_DB_PASSWORD:-odoo}"
SME_ADDONS="sme_customer_master,sme_marketing,sme_accounting_hub"
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
