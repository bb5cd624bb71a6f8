#!/bin/sh
# Run a management command with the production environment, for cron and systemd:
#   /srv/portal/deploy/manage.sh publish_scheduled
# Reads /etc/portal/env (KEY=value lines: SECRET_KEY, DATABASE_URL, REDIS_URL, …).
set -eu
cd "$(dirname "$0")/.."
set -a
. "${PORTAL_ENV_FILE:-/etc/portal/env}"
set +a
exec .venv/bin/python manage.py "$@"
