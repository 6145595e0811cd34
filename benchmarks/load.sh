#!/usr/bin/env bash
# Load benchmark of the server: the scorecard JSON and a dashboard page under 64 connections for 30 s,
# and event ingestion through the API in batches (BATCH, default 1000), against `saleskpi serve` (release build).
#
#   benchmarks/load.sh [STORE] [SECONDS]
#
# STORE: an imported store (default: a 10-million-event one made by `saleskpi bench --dir`, at
# /tmp/bench10m/bench.sqlite), or the postgres:// URL of one (`saleskpi migrate` copies a SQLite store there).
# The script adds a user and a token to it. Needs wrk (apt-get install wrk). Ingested calls name the store's
# reps R1…R900 from SOURCE (default bench, as `saleskpi bench` imports; crm for `saleskpi import`).
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-/tmp/bench10m/bench.sqlite}
secs=${2:-30}
source=${SOURCE:-bench}
bin=.build-release/release/saleskpi
[ -x "$bin" ] || swift build -c release --scratch-path .build-release >/dev/null
case $db in
  postgres://*|postgresql://*) ;;  # an imported (or migrated) PostgreSQL store
  *) [ -f "$db" ] || "$bin" bench --reps 1000 --days 365 --seed 1 --dir "$(dirname "$db")" --repeats 5 ;;
esac
port=18181
export SALESKPI_PASSWORD=bench-password
"$bin" user list --db "$db" | grep -q '^bench\b' || "$bin" user add --db "$db" --login bench --role admin --cost 4 >/dev/null
"$bin" user list --db "$db" | grep -q '^benchrep\b' || "$bin" user add --db "$db" --login benchrep --role rep --rep R5 --cost 4 >/dev/null
token=$("$bin" user token --db "$db" --login bench --name load)
reptoken=$("$bin" user token --db "$db" --login benchrep --name load)
# notice: no log line per request (at `info`, the default, writing them costs about a third of the JSON rate).
"$bin" serve --db "$db" --port $port --log-level "${LOG_LEVEL:-notice}" >/tmp/saleskpi-load.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.5; done
echo "store: $db ($(curl -s http://127.0.0.1:$port/health))"

run() {  # name, token, path, [extra header]
  echo; echo "== $1: GET $3 ${4:-}"
  wrk -t2 -c64 -d"${secs}s" --latency -H "Authorization: Bearer $2" ${4:+-H "${4:-}"} "http://127.0.0.1:$port$3" | grep -E "Requests/sec|Latency|99%|50%|Non-2xx|Socket errors|requests in"
}
run "one rep's scorecard, JSON" "$reptoken" "/api/v1/scorecards?rep=R5"
# Answers are kept until the next ingest; no-cache computes every one (the cost after each ingest).
run "one rep's scorecard, JSON, computed each time" "$reptoken" "/api/v1/scorecards?rep=R5" "Cache-Control: no-cache"
run "the rep's dashboard page" "$reptoken" "/"
run "the rep's dashboard page, computed each time" "$reptoken" "/" "Cache-Control: no-cache"
run "the department's scorecards, JSON (1000 people)" "$token" "/api/v1/scorecards"

batch=${BATCH:-1000}
echo; echo "== event ingestion: POST /api/v1/events, batches of $batch calls, 8 connections"
cat >/tmp/saleskpi-ingest.lua <<LUA
local batch = $batch
local source = "$source"
LUA
cat >>/tmp/saleskpi-ingest.lua <<'LUA'
local n = 0
local prefix = tostring(os.time()) .. "-" .. tostring(math.random(1e9))
request = function()
  n = n + 1
  local items = {}
  for i = 1, batch do
    items[i] = string.format('{"event":"activity","external_id":"load-%s-%d-%d","rep_id":"R%d","type":"call","at":"2026-09-15T10:00:00Z","duration_seconds":180}', prefix, n, i, (i % 900) + 1)
  end
  -- nil headers: wrk then sends its own, with the -H token (a table here would replace them).
  wrk.headers["Content-Type"] = "application/json"
  return wrk.format("POST", "/api/v1/events?source=" .. source, nil, '{"events":[' .. table.concat(items, ",") .. ']}')
end
LUA
wrk -t2 -c8 -d"${secs}s" --latency -H "Authorization: Bearer $token" -s /tmp/saleskpi-ingest.lua "http://127.0.0.1:$port" \
  | tee /tmp/saleskpi-ingest.out | grep -E "Requests/sec|Latency|99%|Non-2xx|requests in"
if grep -q "Non-2xx" /tmp/saleskpi-ingest.out; then
  echo "batches were refused (is SOURCE the store's source?): curl one to see why"; exit 1
fi
rps=$(awk '/Requests\/sec/ {print $2}' /tmp/saleskpi-ingest.out)
echo "events ingested per second: $(awk -v r="$rps" -v b="$batch" 'BEGIN {printf "%.0f", r * b}')"
