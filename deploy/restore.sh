#!/bin/sh
# Restore a deploy/backup.sh archive into the database and media folders of this environment.
#
#   deploy/restore.sh ARCHIVE.tar [--force]
#
# Uses DATABASE_URL, MEDIA_ROOT and PRIVATE_MEDIA_ROOT (after loading $PORTAL_ENV_FILE, default
# /etc/portal/env if it exists). Checks the checksums first. Stop the web and worker
# processes before restoring. Without --force it refuses to overwrite an existing SQLite
# file or non-empty media folders; PostgreSQL objects are replaced (pg_restore --clean).
# After restoring: python manage.py migrate (if the code is newer than the backup).
set -eu
umask 077

ARCHIVE="${1:?usage: restore.sh ARCHIVE.tar [--force]}"
FORCE="${2:-}"
ENV_FILE="${PORTAL_ENV_FILE:-/etc/portal/env}"
if [ -f "$ENV_FILE" ]; then
    set -a
    . "$ENV_FILE"
    set +a
fi
: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${MEDIA_ROOT:?MEDIA_ROOT is not set}"
: "${PRIVATE_MEDIA_ROOT:?PRIVATE_MEDIA_ROOT is not set}"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
tar -xf "$ARCHIVE" -C "$WORK"
(cd "$WORK" && sha256sum --check --quiet SHA256SUMS) || { echo "restore.sh: checksum mismatch" >&2; exit 3; }

not_empty() { [ -d "$1" ] && [ -n "$(ls -A "$1")" ]; }
if [ "$FORCE" != "--force" ]; then
    for folder in "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"; do
        if not_empty "$folder"; then echo "restore.sh: $folder is not empty (use --force)" >&2; exit 4; fi
    done
fi

KIND="$(cat "$WORK/DATABASE")"
case "$KIND:$DATABASE_URL" in
    sqlite:sqlite://*)
        DB_PATH="${DATABASE_URL#sqlite://}"
        if [ -e "$DB_PATH" ] && [ "$FORCE" != "--force" ]; then
            echo "restore.sh: $DB_PATH exists (use --force)" >&2
            exit 4
        fi
        mkdir -p "$(dirname "$DB_PATH")"
        sqlite3 "$DB_PATH" ".restore '$WORK/db.sqlite3'"
        ;;
    postgresql:postgres://*|postgresql:postgresql://*|postgresql:pgsql://*|postgresql:postgis://*)
        PG_URL="postgresql://${DATABASE_URL#*://}"
        pg_restore --clean --if-exists --no-owner --exit-on-error --dbname="${PG_URL%%\?*}" "$WORK/db.dump"
        ;;
    *)
        echo "restore.sh: a $KIND backup cannot be restored into this DATABASE_URL" >&2
        exit 2
        ;;
esac

for pair in "media:$MEDIA_ROOT" "private_media:$PRIVATE_MEDIA_ROOT"; do
    label="${pair%%:*}"
    folder="${pair#*:}"
    mkdir -p "$folder"
    tar -xzf "$WORK/$label.tar.gz" -C "$folder"
done
echo "restored $ARCHIVE"
