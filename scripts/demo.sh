#!/usr/bin/env bash
# The main job, end to end (run by `make demo` once .venv is set up): create a demo issuer and
# badge, bulk-award 10,000 recipients from a generated CSV with the progress bar, revoke a few,
# then print a summary and where the data lives. Starts from an empty demo store every time.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
LAUREL=.venv/bin/laurel
if [[ ! -x $LAUREL ]]; then
  echo "demo: $LAUREL is missing; run 'make demo' (it sets up .venv first)" >&2
  exit 1
fi

WORK=${LAUREL_DEMO_DIR:-build/demo}
DATA=$WORK/laurel-data
CSV=$WORK/recipients.csv
RECIPIENTS=${LAUREL_DEMO_RECIPIENTS:-10000}
export LAUREL_DATA=$DATA

field() { "$PY" -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

rm -rf "$DATA"
mkdir -p "$WORK"

step "1. A fresh store"
"$LAUREL" init

step "2. An issuer and a badge class"
ISSUER=$("$LAUREL" --json issuer create --name "Laurel Demo Academy" \
  --email badges@demo-academy.example --url https://demo-academy.example \
  --description "A made-up school for the Laurel demo" | field entityId)
BADGE=$("$LAUREL" --json badge create --issuer "$ISSUER" --name "Data Literacy" \
  --description "Completed the Data Literacy course and its final project" \
  --criteria-url https://demo-academy.example/courses/data-literacy \
  --tag data --tag demo --expires 3 years | field entityId)
"$LAUREL" badge show "$BADGE"

step "3. A CSV of $RECIPIENTS recipients"
"$PY" - "$CSV" "$RECIPIENTS" <<'PYTHON'
import csv
import sys

path, count = sys.argv[1], int(sys.argv[2])
with open(path, "w", newline="", encoding="utf-8") as handle:
    writer = csv.writer(handle)
    writer.writerow(["email", "narrative", "evidence_url", "issued_on"])
    for n in range(count):
        writer.writerow([
            f"learner{n:05d}@example.org",
            f"Final project scored {60 + n % 41}/100",
            f"https://demo-academy.example/projects/{n:05d}",
            f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}",
        ])
print(f"wrote {count} rows to {path}")
PYTHON
head -3 "$CSV"

step "4. Bulk award (one transaction)"
"$LAUREL" award --badge "$BADGE" --csv "$CSV"

step "5. Revoke a few"
mapfile -t REVOKE < <("$LAUREL" --json list --badge "$BADGE" --num 3 \
  | "$PY" -c 'import json, sys; print("\n".join(a["entityId"] for a in json.load(sys.stdin)["result"]))')
"$LAUREL" revoke --reason "Demo: awarded by mistake" "${REVOKE[@]}"

step "6. Summary"
"$PY" - "$DATA" "$BADGE" <<'PYTHON'
import sys

import laurel

data, badge_id = sys.argv[1], sys.argv[2]
with laurel.Store(data) as store:
    badge = store.get_badgeclass(badge_id)
    issuer = store.get_issuer(badge.issuer)
    everything = list(store.iter_assertions(badgeclass=badge_id, include_revoked=True))
    revoked = [a for a in everything if a.revoked]
    newest = store.list_assertions(badgeclass=badge_id, num=1)[0]
print(f"issuer       {issuer.name} ({issuer.entity_id})")
print(f"badge class  {badge.name} ({badge.entity_id})")
print(f"awarded      {len(everything)}")
print(f"revoked      {len(revoked)}")
print(f"active       {len(everything) - len(revoked)}")
print(f"newest       {newest.entity_id} to {newest.recipient.plaintext_identity}, "
      f"expires {newest.expires}")
PYTHON

DATA_ABS=$(cd "$DATA" && pwd)
echo
echo "The data lives in $DATA_ABS ($(du -sh "$DATA_ABS" | cut -f1), LMDB: data.mdb + lock.mdb)."
echo "Look around:"
echo "  $LAUREL --data $DATA list --badge $BADGE --num 5"
echo "  $LAUREL --data $DATA export -o build/demo/export.jsonl"
