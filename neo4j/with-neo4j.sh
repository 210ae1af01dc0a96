#!/usr/bin/env bash
# neo4j/with-neo4j.sh CMD [ARGS...] - run CMD with NEO4J_URI naming a Neo4j.
#
# When NEO4J_URI is already set, CMD runs against that server and nothing is
# started. Otherwise the project-local server (neo4j/neo4j.sh, configured by
# the same NEO4J_* variables) is started, NEO4J_URI and NEO4J_PASSWORD are
# exported for CMD, and the server is stopped when CMD ends, Ctrl-C included.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ -n "${NEO4J_URI:-}" ]]; then
    exec "$@"
fi

"$here/neo4j.sh" start
export NEO4J_URI="bolt://127.0.0.1:${NEO4J_BOLT_PORT:-7687}"
export NEO4J_PASSWORD="${NEO4J_PASSWORD:-commissioning-dev}"
trap '"$here/neo4j.sh" stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# Not exec: the EXIT trap must outlive CMD. CMD runs in the background and
# is waited for, so that a signal reaches the traps while it runs.
"$@" &
child=$!
trap 'kill -INT "$child" 2>/dev/null; wait "$child"; exit 130' INT
trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 143' TERM
wait "$child"
