#!/usr/bin/env bash
# bench/anchor/bench.sh - the body of `make bench-anchor`: with NEO4J_URI
# naming a fresh Neo4j (neo4j/with-neo4j.sh), write the generated graph,
# start the API and the Neo4j GraphQL Library twice (one Node process, and one
# per core), run cgbench against them, and stop them all, however it ends.
#
# Environment: BIN and CGBENCH (the binaries), AUTHORITIES, API_PORT,
# ONE_PORT, CORES_PORT, NEO4J_PID_FILE, FLAGS (cgbench's), TIMEOUT (seconds
# cgbench may run).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${BIN:?}" "${CGBENCH:?}" "${API_PORT:?}" "${ONE_PORT:?}" "${CORES_PORT:?}" "${NEO4J_PID_FILE:?}"
AUTHORITIES="${AUTHORITIES:-300}"
TIMEOUT="${TIMEOUT:-480}"

pids=()
stop() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$BIN" generate -authorities "$AUTHORITIES" -seed 1 -batch 25

PORT="$API_PORT" "$BIN" serve >/dev/null 2>&1 &
api=$!; pids+=("$api")
PORT="$ONE_PORT" WORKERS=1 NODE_ENV=production node "$here/server.mjs" &
one=$!; pids+=("$one")
PORT="$CORES_PORT" WORKERS=auto NODE_ENV=production node "$here/server.mjs" &
cores=$!; pids+=("$cores")

ready() { # url [body]
    local deadline=$((SECONDS + 60))
    until curl -sf -o /dev/null -H 'content-type: application/json' ${2:+-d "$2"} "$1"; do
        if ((SECONDS > deadline)); then echo "bench.sh: $1 is not ready after 60 s" >&2; return 1; fi
        sleep 0.5
    done
}
ready "http://127.0.0.1:$API_PORT/readyz"
ready "http://127.0.0.1:$ONE_PORT/" '{"query":"{ __typename }"}'
ready "http://127.0.0.1:$CORES_PORT/" '{"query":"{ __typename }"}'

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/^Mem:/ {print $2}') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "node $(node --version), @neo4j/graphql $(node -p 'require("'"$here"'/node_modules/@neo4j/graphql/package.json").version'), @apollo/server $(node -p 'require("'"$here"'/node_modules/@apollo/server/package.json").version')"
# shellcheck disable=SC2086
timeout "$TIMEOUT" "$CGBENCH" -api "http://127.0.0.1:$API_PORT/graphql" \
    -anchor "one=http://127.0.0.1:$ONE_PORT/,cores=http://127.0.0.1:$CORES_PORT/" \
    -pids "api=$api,neo4j=$(cat "$NEO4J_PID_FILE"),one=$one,cores=$cores" $FLAGS &
bench=$!; pids+=("$bench")
wait "$bench"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
