#!/usr/bin/env bash
# Re-encrypts every stored accounting credential with a new key, then makes
# that key the one in use (.data/sme_hub_secret.key and odoo.conf).
#   bash scripts/rotate-secret-key.sh [DATABASE...]   (default: sme_demo)
# Stop Odoo first: a running server keeps the old key until restarted.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"
[ -s "$ROOT/.data/sme_hub_secret.key" ] || die "no key yet: run scripts/setup.sh first"
old_key="$(cat "$ROOT/.data/sme_hub_secret.key")"
new_key="$("$VENV/bin/python" -W ignore -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
for db in "${@:-${SME_DEMO_DB:-sme_demo}}"; do
    count="$(SME_OLD_KEY="$old_key" SME_NEW_KEY="$new_key" "$VENV/bin/python" -W ignore - "$ODOO_CONF" "$db" <<'PY'
import os, sys
import odoo
odoo.tools.config.parse_config(["-c", sys.argv[1], "-d", sys.argv[2], "--log-level=warn"])
with odoo.api.Environment.manage(), odoo.registry(sys.argv[2]).cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    print(env["sme.accounting.credential"]._sme_rotate_key(os.environ["SME_OLD_KEY"], os.environ["SME_NEW_KEY"]))
PY
)"
    say "$db: $count credentials re-encrypted"
done
(umask 077 && echo "$new_key" > "$ROOT/.data/sme_hub_secret.key")
bash "$ROOT/scripts/setup.sh" >/dev/null
say "New key in use (.data/sme_hub_secret.key, odoo.conf). Restart Odoo."
