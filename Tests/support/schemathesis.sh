#!/usr/bin/env bash
# Checks a running SalesKPI server against its OpenAPI document with Schemathesis (PyPI: schemathesis, v4):
# no answer is a server error, and every answer matches the document's schema for its status and type.
#
#   Tests/support/schemathesis.sh [path/to/saleskpi]        # default: .build/debug/saleskpi (swift build)
#
# It generates a small company into a temporary store (`saleskpi generate` + `import`), adds transcripts
# of a few calls (so that /api/v1/calls/{id} has something to show), an admin and a rep with API tokens,
# starts `saleskpi serve` on a free loopback port, downloads /api/v1/openapi.yaml from it, and runs every
# operation of the document first with the admin's token, then with the rep's. The server is stopped and
# the store removed at the end. Prints per token the operations, requests and failures; exits non-zero
# if any run failed (or the server could not be started).
#
# Bounded: SCHEMATHESIS_MAX_EXAMPLES (default 20) generated cases per operation and phase, a request
# timeout of 30 s, and SCHEMATHESIS_SEED (default 1) for a repeatable run. Reports (the console output,
# JUnit XML, NDJSON, and the server's log) go to SCHEMATHESIS_REPORTS (default: artifacts/schemathesis).
set -euo pipefail
# A binary given relative to where the script was started from; the default relative to the repository.
if [ $# -gt 0 ]; then
  dir=$(cd "$(dirname "$1")" 2>/dev/null && pwd) && binary=${dir%/}/$(basename "$1") || binary=$1
fi
cd "$(dirname "$0")/../.."
binary=${binary:-$PWD/.build/debug/saleskpi}
max_examples=${SCHEMATHESIS_MAX_EXAMPLES:-20}
seed=${SCHEMATHESIS_SEED:-1}
reports=${SCHEMATHESIS_REPORTS:-artifacts/schemathesis}

fail() { echo "schemathesis.sh: $*" >&2; exit 2; }
[ -x "$binary" ] || fail "no saleskpi binary at $binary: run swift build first, or pass its path"
command -v schemathesis >/dev/null || fail "schemathesis is not installed: python3 -m pip install schemathesis"
command -v python3 >/dev/null || fail "python3 is not installed"
case "$(schemathesis --version 2>/dev/null)" in
  *"version 4."*) ;;
  *) fail "schemathesis 4 is needed (found: $(schemathesis --version 2>&1 | head -1)): python3 -m pip install 'schemathesis>=4,<5'" ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/saleskpi-schemathesis.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  [ -f "$work/server.log" ] && mkdir -p "$reports" && cp "$work/server.log" "$reports/server.log"
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$reports"
reports=$(cd "$reports" && pwd)

# A company of 12 people and 200 days of history ending today, imported from source `crm` (the default of
# POST /api/v1/calls).
db=$work/store.sqlite
"$binary" generate --reps 12 --days 200 --seed 3 --out "$work/bundle" --lang en >/dev/null
"$binary" import --db "$db" "$work/bundle" --lang en >/dev/null

# The rep: the first sales manager (ae). Transcripts of three of their calls, stored as analysed calls.
rep=$(awk -F, 'NR > 1 && $3 == "ae" { print $1; exit }' "$work/bundle/reps.csv")
[ -n "$rep" ] || fail "the generated company has no sales manager"
mkdir -p "$work/transcripts"
awk -F, -v rep="$rep" 'NR > 1 && $2 == rep && $3 == "call" { print $1 }' "$work/bundle/activities.csv" | tail -3 |
while read -r call; do
  cat >"$work/transcripts/$call.json" <<EOF
{"call": "$call", "utterances": [
  {"speaker": "rep", "start": 0, "end": 5, "text": "Good morning! This is Anna from SalesKPI. What do you use to plan your sales today?"},
  {"speaker": "client", "start": 5.5, "end": 9, "text": "Spreadsheets mostly. Your product is too expensive for us, I think."},
  {"speaker": "rep", "start": 9.5, "end": 20, "text": "I understand. Because it saves each manager two hours a week, it pays for itself in a month, for example at a team of ten."},
  {"speaker": "client", "start": 20.5, "end": 23, "text": "Interesting. Send me a proposal."},
  {"speaker": "rep", "start": 23.5, "end": 27, "text": "I will send it today and call you on Thursday at ten to discuss it. Does that suit you?"}
]}
EOF
done
"$binary" calls import --db "$db" "$work/transcripts" --lang en >/dev/null

export SALESKPI_PASSWORD=schemathesis-pass-1
"$binary" user add --db "$db" --login admin --role admin --cost 4 >/dev/null
"$binary" user add --db "$db" --login rep --role rep --rep "$rep" --cost 4 >/dev/null
admin_token=$("$binary" user token --db "$db" --login admin --name schemathesis | tr -d '[:space:]')
rep_token=$("$binary" user token --db "$db" --login rep --name schemathesis | tr -d '[:space:]')
[[ $admin_token == skp_* && $rep_token == skp_* ]] || fail "could not create the API tokens"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
"$binary" serve --db "$db" --host 127.0.0.1 --port "$port" --lang en --log-level notice >"$work/server.log" 2>&1 &
server_pid=$!
up=
for _ in $(seq 300); do
  if python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$base/health" 2>/dev/null; then up=1; break; fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; fail "the server exited"; }
  sleep 0.1
done
[ -n "$up" ] || { cat "$work/server.log" >&2; fail "the server did not answer /health within 30 s"; }

# The document as the server serves it (it needs a signed-in user, like every API route).
python3 - "$base/api/v1/openapi.yaml" "$admin_token" "$work/openapi.yaml" <<'EOF'
import sys, urllib.request
request = urllib.request.Request(sys.argv[1], headers={"Authorization": f"Bearer {sys.argv[2]}"})
with urllib.request.urlopen(request, timeout=10) as r, open(sys.argv[3], "wb") as f:
    f.write(r.read())
EOF

# One run per token; schemathesis prints each failure with its request (a curl line) and response, and
# its own count of unique failures. The figures below come from its NDJSON event stream: operations
# tested, requests sent, requests that failed a check, and errors (cases schemathesis could not run).
# One worker: schemathesis 4's coverage phase has crashed in CPython 3.11's `ast` module with two.
status=0
summary=()
for who in admin rep; do
  token_var=${who}_token
  echo "== schemathesis as $who ($base, $max_examples examples per operation, seed $seed)"
  set +e
  # From the temporary folder: schemathesis and hypothesis keep their caches in the working directory.
  (cd "$work" && schemathesis run "$work/openapi.yaml" --url "$base" \
    -H "Authorization: Bearer ${!token_var}" -H "Accept-Language: en" \
    --checks not_a_server_error,response_schema_conformance \
    --max-examples "$max_examples" --seed "$seed" --request-timeout 30 --workers 1 --continue-on-failure \
    --report junit,ndjson --report-junit-path "$reports/$who.junit.xml" --report-ndjson-path "$reports/$who.ndjson" \
    --no-color) 2>&1 | tee "$reports/$who.log"
  code=${PIPESTATUS[0]}
  set -e
  unique=$(grep -oE '[0-9]+ unique failures?' "$reports/$who.log" | tail -1 | grep -oE '^[0-9]+' || true)
  figures=$(python3 - "$reports/$who.ndjson" "${unique:-0}" <<'EOF'
import json, sys
operations, requests, failing, errors = set(), 0, 0, 0
for line in open(sys.argv[1], encoding="utf-8"):
    for kind, body in json.loads(line).items():
        if kind == "ScenarioFinished":
            recorder = body.get("recorder") or {}
            if body.get("phase") != "stateful":  # a stateful scenario chains operations (links)
                operations.add(recorder.get("label"))
            requests += len(recorder.get("interactions") or {})
            failing += sum(any(c.get("status") == "failure" for c in results) for results in (recorder.get("checks") or {}).values())
        elif kind == "NonFatalError":
            errors += 1
operations.discard(None)
print(f"operations={len(operations)} requests={requests} failing_requests={failing} unique_failures={sys.argv[2]} errors={errors}")
EOF
)
  summary+=("$who: $figures (exit $code)")
  [ "$code" -eq 0 ] || status=1
done

echo
echo "== schemathesis summary"
printf '%s\n' "${summary[@]}"
echo "reports: $reports"
exit "$status"
