#!/usr/bin/env bash
# Re-encrypts every stored accounting credential with a new key, then makes
# that key the one in use, where the hub finds it (sme_customer_master/tools/secrets.py):
#   - the key in odoo.conf (scripts/setup.sh writes it): .data/sme_hub_secret.key and odoo.conf;
#   - no key in the config: the file the hub made in Odoo's data directory,
#     <data_dir>/sme_hub_secret.key.
#   bash scripts/rotate-secret-key.sh [DATABASE...]   (default: sme_demo)
# SME_ODOO_CONF names another Odoo config (default: odoo.conf). Run it as
# the Odoo server's user. Stop Odoo first: a running server keeps the old
# key until restarted.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"
conf="${SME_ODOO_CONF:-$ODOO_CONF}"
[ -f "$conf" ] || die "no $conf: run scripts/setup.sh first"

# Three lines: where the key comes from (config | data_dir | environment),
# the key file, and the key in use.
mapfile -t current < <("$VENV/bin/python" -W ignore - "$conf" <<'PY'
import sys
import odoo
odoo.tools.config.parse_config(["-c", sys.argv[1], "--log-level=warn"])
from odoo.addons.sme_customer_master.tools import secrets
source, path = secrets.key_source(odoo.tools.config)
print(source)
print(path or "")
print(secrets.load_key(odoo.tools.config) if source != "environment" else "")
PY
)
[ "${#current[@]}" = 3 ] && [ -n "${current[0]}" ] || die "could not read the key in use (see above)"
key_source="${current[0]}" old_key="${current[2]}"
case "$key_source" in
    environment)
        die "the key comes from the SME_HUB_SECRET_KEY environment variable: rotate it where that is set" ;;
    config)
        [ "$conf" = "$ODOO_CONF" ] || die "the key is written in $conf, which scripts/setup.sh does not manage: change it there"
        [ -s "$ROOT/.data/sme_hub_secret.key" ] || die "no .data/sme_hub_secret.key: run scripts/setup.sh first"
        [ "$(cat "$ROOT/.data/sme_hub_secret.key")" = "$old_key" ] \
            || die "odoo.conf does not hold the key in .data/sme_hub_secret.key: run scripts/setup.sh first"
        key_file="$ROOT/.data/sme_hub_secret.key" ;;
    data_dir)
        key_file="${current[1]}" ;;
esac

new_key="$("$VENV/bin/python" -W ignore -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
# Kept beside the old key until every database is done: a database re-encrypted
# before a later one failed is readable with this key, never lost.
pending="$key_file.rotating"
(umask 077 && echo "$new_key" > "$pending")
chown --reference="$key_file" "$pending" 2>/dev/null || true  # the server's user must read it
for db in "${@:-${SME_DEMO_DB:-sme_demo}}"; do
    count="$(SME_OLD_KEY="$old_key" SME_NEW_KEY="$new_key" "$VENV/bin/python" -W ignore - "$conf" "$db" <<'PY'
import os, sys
import odoo
odoo.tools.config.parse_config(["-c", sys.argv[1], "-d", sys.argv[2], "--log-level=warn"])
with odoo.api.Environment.manage(), odoo.registry(sys.argv[2]).cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    old, new = os.environ["SME_OLD_KEY"], os.environ["SME_NEW_KEY"]
    # Both in this cursor: a database is re-encrypted whole or not at all.
    count = env["sme.accounting.credential"]._sme_rotate_key(old, new)
    if "sme.marketing.sms.gateway" in env:
        count += env["sme.marketing.sms.gateway"]._sme_rotate_key(old, new)
    print(count)
PY
)" || die "$db: re-encryption failed (nothing changed there). Databases done before it use the new key in $pending"
    say "$db: $count credentials and SMS gateway keys re-encrypted"
done
mv -f "$pending" "$key_file"
if [ "$key_source" = config ]; then
    bash "$ROOT/scripts/setup.sh" >/dev/null
    say "New key in use (.data/sme_hub_secret.key, odoo.conf). Restart Odoo."
else
    say "New key in use ($key_file). Restart Odoo."
fi
