#!/usr/bin/env bash
# Lighthouse (mobile) and the Nu HTML checker on the pages residents land on.
# Not part of the pytest suite: it needs npm's `lighthouse` and `vnu-jar`, Chromium and Java.
#
#   npm install --prefix /tmp/portal-tools lighthouse vnu-jar
#   make run PORT=8106 &                                   # demo data
#   TOOLS=/tmp/portal-tools BASE=http://127.0.0.1:8106 tests/benchmarks/lighthouse_vnu.sh
#
# Prints each page's four Lighthouse scores and the checker's error count; fails (exit 1)
# when a category is under 95, SEO under 100, or the HTML has an error.
set -u
TOOLS=${TOOLS:-/tmp/portal-tools}
BASE=${BASE:-http://127.0.0.1:8000}
OUT=${OUT:-artifacts/lighthouse}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
LIGHTHOUSE="$TOOLS/node_modules/.bin/lighthouse"
VNU_JAR="$TOOLS/node_modules/vnu-jar/build/dist/vnu.jar"
for tool in "$LIGHTHOUSE" "$VNU_JAR" "$CHROME_PATH"; do
  [ -e "$tool" ] || { echo "missing: $tool (see the header of $0)"; exit 2; }
done
command -v java >/dev/null || { echo "missing: java"; exit 2; }
mkdir -p "$OUT"
# A notice and a service: the first of each listing.
notice=$(curl -s "$BASE/notices/" | grep -o 'href="/notices/[a-z0-9-]*/"' | grep -v feed | head -1 | cut -d'"' -f2)
service=$(curl -s "$BASE/services/" | grep -o 'href="/services/[a-z0-9-]*/"' | head -1 | cut -d'"' -f2)
pages=("/" "/notices/" "$notice" "/services/" "$service" "/stations/" "/feedback/report/")
status=0
printf '%-28s %5s %5s %5s %5s %s\n' page perf a11y best seo html-errors
for path in "${pages[@]}"; do
  name=$(echo "$path" | tr '/' '_')
  report="$OUT/lh$name.json"
  for attempt in 1 2; do  # a trace Lighthouse failed to record (NO_NAVSTART…) is run again once
    "$LIGHTHOUSE" "$BASE$path" --quiet --form-factor=mobile --output=json --output-path="$report" \
      --chrome-flags="--headless=new --no-sandbox" >/dev/null 2>&1
    python3 -c 'import json,sys; sys.exit(1 if json.load(open(sys.argv[1])).get("runtimeError") else 0)' "$report" && break
  done
  scores=$(python3 - "$report" <<'PY'
import json, sys
cats = json.load(open(sys.argv[1]))["categories"]
print(" ".join(str(round((cats[k]["score"] or 0) * 100)) for k in ("performance", "accessibility", "best-practices", "seo")))
PY
)
  curl -s "$BASE$path" > "$OUT/page$name.html"
  errors=$(java -jar "$VNU_JAR" --errors-only --format gnu "$OUT/page$name.html" 2>&1 | tee "$OUT/vnu$name.txt" | grep -c . )
  read -r perf a11y best seo <<<"$scores"
  printf '%-28s %5s %5s %5s %5s %s\n' "$path" "$perf" "$a11y" "$best" "$seo" "$errors"
  if [ "$perf" -lt 95 ] || [ "$a11y" -lt 95 ] || [ "$best" -lt 95 ] || [ "$seo" -lt 100 ] || [ "$errors" -gt 0 ]; then
    status=1
  fi
done
# Forms residents fill in that Lighthouse is not asked about: the HTML checker only.
for path in /feedback/track/ /feedback/evaluate/ /feedback/public/ /feedback/ranking/; do
  name=$(echo "$path" | tr '/' '_')
  curl -s "$BASE$path" > "$OUT/page$name.html"
  errors=$(java -jar "$VNU_JAR" --errors-only --format gnu "$OUT/page$name.html" 2>&1 | tee "$OUT/vnu$name.txt" | grep -c . )
  printf '%-28s %5s %5s %5s %5s %s\n' "$path" - - - - "$errors"
  [ "$errors" -gt 0 ] && status=1
done
exit $status
