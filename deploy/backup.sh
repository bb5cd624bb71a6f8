#!/bin/sh
# Back up the portal: database + MEDIA_ROOT + PRIVATE_MEDIA_ROOT (residents' photos) into one
# archive with checksums. Restore with deploy/restore.sh.
#
#   deploy/backup.sh [DEST_DIR]          # default DEST_DIR: /var/backups/portal
#
# Reads DATABASE_URL, MEDIA_ROOT and PRIVATE_MEDIA_ROOT from the environment, after loading
# $PORTAL_ENV_FILE (default /etc/portal/env, if it exists) like deploy/manage.sh.
# PostgreSQL: pg_dump --format=custom (consistent snapshot while the site runs).
# SQLite: sqlite3 .backup (safe while the site writes). The archive holds personal data:
# it is created mode 600; keep it encrypted and off the web server.
set -eu
umask 077

ENV_FILE="${PORTAL_ENV_FILE:-/etc/portal/env}"
if [ -f "$ENV_FILE" ]; then
    set -a
    . "$ENV_FILE"
    set +a
fi
: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${MEDIA_ROOT:?MEDIA_ROOT is not set}"
: "${PRIVATE_MEDIA_ROOT:?PRIVATE_MEDIA_ROOT is not set}"

DEST="${1:-/var/backups/portal}"
STAMP="$(date +%Y%m%d-%H%M%S)"
NAME="portal-backup-$STAMP"
mkdir -p "$DEST"
WORK="$(mktemp -d "$DEST/.$NAME.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

case "$DATABASE_URL" in
    sqlite://*)
        DB_PATH="${DATABASE_URL#sqlite://}"
        sqlite3 "$DB_PATH" ".backup '$WORK/db.sqlite3'"
        echo sqlite > "$WORK/DATABASE"
        ;;
    postgres://*|postgresql://*|pgsql://*|postgis://*)
        PG_URL="postgresql://${DATABASE_URL#*://}"
        pg_dump --format=custom --no-owner --file="$WORK/db.dump" --dbname="${PG_URL%%\?*}"
        echo postgresql > "$WORK/DATABASE"
        ;;
    *)
        echo "backup.sh: unsupported DATABASE_URL scheme" >&2
        exit 2
        ;;
esac

# Contents relative to each folder, so they can be restored into a different path.
for pair in "media:$MEDIA_ROOT" "private_media:$PRIVATE_MEDIA_ROOT"; do
    label="${pair%%:*}"
    folder="${pair#*:}"
    mkdir -p "$folder"
    tar -czf "$WORK/$label.tar.gz" -C "$folder" .
done

(cd "$WORK" && sha256sum DATABASE db.* media.tar.gz private_media.tar.gz > SHA256SUMS)
tar -cf "$DEST/$NAME.tar" -C "$WORK" .
echo "$DEST/$NAME.tar"
