#!/usr/bin/env bash
# The README's run command: sets up what is missing, creates (or reuses) the
# demo database with l10n_in, the SME Hub addons and demo data, and starts
# Odoo in the foreground with queue_job's job runner on http://localhost:8069,
# set up for real use (worker processes, connection pools and limits from
# odoo_server_args in scripts/lib.sh; README "Running for real use").
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"

bash "$ROOT/scripts/setup.sh"

DEMO_DB="${SME_DEMO_DB:-sme_demo}"
PORT="${SME_HTTP_PORT:-8069}"
LONGPOLLING_PORT="${SME_LONGPOLLING_PORT:-$((PORT + 3))}"
mkdir -p "$ROOT/.data"
addons_hash="$(cd "$ROOT" && find sme_* -type f ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
hash_file="$ROOT/.data/$DEMO_DB.addons.sha256"

if ! db_has_addons "$DEMO_DB"; then
    say "Creating the demo database '$DEMO_DB' (about a minute)"
    drop_db "$DEMO_DB"
    # The Indian chart goes in first so that the demo's second company can copy it.
    odoo_cli -d "$DEMO_DB" -i "$SME_BASE_MODULES" --stop-after-init --log-level=warn
    odoo_cli -d "$DEMO_DB" -i "$SME_ADDONS" --stop-after-init --log-level=warn
    db_has_addons "$DEMO_DB" || die "installing the addons into '$DEMO_DB' failed (see the log above)"
    echo "$addons_hash" > "$hash_file"
elif [ "$(cat "$hash_file" 2>/dev/null)" != "$addons_hash" ]; then
    say "The addons changed since the last run: updating them in '$DEMO_DB'"
    odoo_cli -d "$DEMO_DB" -u "$SME_ADDONS" --stop-after-init --log-level=warn
    echo "$addons_hash" > "$hash_file"
else
    say "Reusing the demo database '$DEMO_DB'"
fi

# The sandboxes (Tally :9000, Busy agent :9010, Marg :9020, Zoho Books :9030, QuickBooks :9040,
# the SMS gateway :9050) for the demo connections and SMS gateways.
TALLY_PORT="${SME_TALLY_PORT:-9000}"
"$VENV/bin/python" -m sme_connectors.sandbox.run --tally-port "$TALLY_PORT" --busy-port 9010 --marg-port 9020 --zoho-port 9030 --quickbooks-port 9040 \
    > "$ROOT/.data/sandbox.log" 2>&1 &
SANDBOX_PID=$!
# Once Odoo answers: connect the demo's Zoho Books and QuickBooks connections (OAuth) to their sandboxes.
"$VENV/bin/python" "$ROOT/scripts/connect-demo.py" "http://localhost:$PORT" "$DEMO_DB" \
    > "$ROOT/.data/connect-demo.log" 2>&1 &
CONNECT_PID=$!
trap 'kill $SANDBOX_PID $CONNECT_PID 2>/dev/null' EXIT INT TERM

cat <<MSG

  SME Hub is starting at  http://localhost:$PORT
  database:               $DEMO_DB
  login:                  sharma / sharma (Sharma Traders), kiran / kiran (Kiran Electricals); admin / admin = administrator
  Tally sandbox:          http://127.0.0.1:$TALLY_PORT/  (SME Hub > Accounting Hub > Connections)
  Busy agent sandbox:     http://127.0.0.1:9010/
  Marg sandbox:           http://127.0.0.1:9020/
  Zoho Books sandbox:     http://127.0.0.1:9030/  (the demo connection is connected by OAuth at start)
  QuickBooks sandbox:     http://127.0.0.1:9040/  (likewise; "Reconnect" on the form shows the consent round trip)
  SMS gateway sandbox:    http://127.0.0.1:9050/  (SME Hub > Marketing > Configuration > SMS gateways)
  server settings:        $(odoo_server_args | tr '\n' ' ')
  (Ctrl-C stops the server)

MSG
# queue_job's runner starts in the main process (server_wide_modules) and
# hands jobs to the HTTP workers, within the channels of odoo.conf.
odoo_serve -d "$DEMO_DB" --db-filter "^$DEMO_DB\$" \
    --http-port "$PORT" --longpolling-port "$LONGPOLLING_PORT" --load web,queue_job
