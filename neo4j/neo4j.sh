#!/usr/bin/env bash
# neo4j/neo4j.sh - fetch and run a real, project-local Neo4j Community 5.26 LTS
# server (Bolt only, auth on) from Maven Central. No manual install needed: Java
# 17+ (`java`, or $JAVA_HOME/bin/java) and Maven (`mvn`) are the only tools used.
#
# Usage: neo4j/neo4j.sh fetch|start|stop|run|status
#   fetch   resolve the server jars with Maven (cached in ~/.m2; a no-op when the
#           classpath file is already up to date) and compile the readiness probe
#   start   start Neo4j in the background and wait until Bolt accepts a login with
#           the configured password and answers a query; exits 0 when ready (also
#           when it was already running); on failure prints the log tail, exits 1
#   stop    SIGTERM the server started from this home dir, SIGKILL after
#           $NEO4J_STOP_TIMEOUT seconds; a no-op when it is not running
#   run     run Neo4j in the foreground (exec; Ctrl-C stops it)
#   status  exit 0 when the server from this home dir is running and accepts
#           connections on $NEO4J_BOLT_PORT, 1 otherwise
#
# Environment (defaults):
#   NEO4J_BOLT_PORT=7687          Bolt port, listening on 127.0.0.1 only
#   NEO4J_PASSWORD=commissioning-dev
#                                 password of user `neo4j` (auth is always on).
#                                 It is applied when the home dir is first
#                                 initialised; a later change needs a fresh
#                                 home dir (start reports the mismatch)
#   NEO4J_HOME_DIR=<repo>/.data/neo4j
#                                 everything Neo4j writes: conf/ (generated on
#                                 each start), data/, logs/, run/ (pid files)
#   NEO4J_HEAP=1g                 JVM max heap (-Xmx)
#   NEO4J_HEAP_INITIAL=           JVM initial heap (-Xms); unset, the JVM's own
#                                 choice, a small heap that grows as needed
#   NEO4J_GC=g1                   garbage collector: g1 (Neo4j's default) or
#                                 parallel, which on a two-core machine takes
#                                 far less of the CPU during large writes
#                                 (docs/BENCHMARKS.md, Writes)
#   NEO4J_PAGECACHE=512m          server.memory.pagecache.size
#   NEO4J_START_TIMEOUT=120       seconds `start` waits for readiness
#   NEO4J_STOP_TIMEOUT=60         seconds `stop` waits before SIGKILL
#
# Logs: $NEO4J_HOME_DIR/logs/neo4j.log (server), debug.log (details),
# console.log (JVM stdout/stderr of background starts).
# Build outputs (classpath file, compiled probe) go to neo4j/target/.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

PORT="${NEO4J_BOLT_PORT:-7687}"
PASSWORD="${NEO4J_PASSWORD:-commissioning-dev}"
HOME_DIR="${NEO4J_HOME_DIR:-$REPO_ROOT/.data/neo4j}"
HEAP="${NEO4J_HEAP:-1g}"
HEAP_INITIAL="${NEO4J_HEAP_INITIAL:-}"
GC="${NEO4J_GC:-g1}"
PAGECACHE="${NEO4J_PAGECACHE:-512m}"
START_TIMEOUT="${NEO4J_START_TIMEOUT:-120}"
STOP_TIMEOUT="${NEO4J_STOP_TIMEOUT:-60}"

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    JAVA="$JAVA_HOME/bin/java"
    JAVAC="$JAVA_HOME/bin/javac"
else
    JAVA=java
    JAVAC=javac
fi
MVN="${MVN:-mvn}"

TARGET_DIR="$SCRIPT_DIR/target"
CP_FILE="$TARGET_DIR/classpath.txt"
PROBE_DIR="$TARGET_DIR/boltcheck"
MAIN_CLASS=org.neo4j.server.CommunityEntryPoint

mkdir -p "$HOME_DIR"
HOME_DIR="$(cd "$HOME_DIR" && pwd)"
CONF_DIR="$HOME_DIR/conf"
LOG_DIR="$HOME_DIR/logs"
RUN_DIR="$HOME_DIR/run"
PID_FILE="$RUN_DIR/neo4j.sh.pid"
PORT_FILE="$RUN_DIR/neo4j.sh.port"
LOCK_FILE="$RUN_DIR/neo4j.sh.lock"

log() { printf 'neo4j.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ "$PORT" =~ ^[0-9]+$ ]] || die "NEO4J_BOLT_PORT must be a number, got '$PORT'"
case "$GC" in
    g1) GC_FLAG=-XX:+UseG1GC ;;
    parallel) GC_FLAG=-XX:+UseParallelGC ;;
    *) die "NEO4J_GC must be g1 or parallel, got '$GC'" ;;
esac

# Serialise start/stop/run of the same home dir (parallel test runners).
lock() {
    mkdir -p "$RUN_DIR"
    if command -v flock >/dev/null 2>&1; then
        exec 9>"$LOCK_FILE"
        flock -w $((START_TIMEOUT + STOP_TIMEOUT + 60)) 9 || die "could not lock $LOCK_FILE"
    fi
}

# ---------------------------------------------------------------- fetch

classpath_fresh() {
    [[ -s "$CP_FILE" && "$CP_FILE" -nt "$SCRIPT_DIR/pom.xml" ]] || return 1
    local jar jars
    IFS=: read -r -a jars <"$CP_FILE"
    for jar in "${jars[@]}"; do
        [[ -f "$jar" ]] || return 1
    done
}

cmd_fetch() {
    mkdir -p "$TARGET_DIR"
    if ! classpath_fresh; then
        command -v "$MVN" >/dev/null 2>&1 || die "Maven ('$MVN') not found"
        log "resolving Neo4j jars with Maven (first run downloads ~125 MB into ~/.m2)..."
        local out
        if ! out="$("$MVN" -B -q -f "$SCRIPT_DIR/pom.xml" dependency:build-classpath \
                -Dmdep.includeScope=runtime -Dmdep.outputFile="$CP_FILE.tmp" 2>&1)"; then
            printf '%s\n' "$out" >&2
            die "Maven could not resolve the Neo4j jars"
        fi
        mv -f "$CP_FILE.tmp" "$CP_FILE"
    fi
    if [[ ! -f "$PROBE_DIR/BoltCheck.class" || "$SCRIPT_DIR/BoltCheck.java" -nt "$PROBE_DIR/BoltCheck.class" \
          || "$CP_FILE" -nt "$PROBE_DIR/BoltCheck.class" ]]; then
        mkdir -p "$PROBE_DIR"
        "$JAVAC" -nowarn -d "$PROBE_DIR" -cp "$(cat "$CP_FILE")" "$SCRIPT_DIR/BoltCheck.java" >&2 \
            || die "could not compile $SCRIPT_DIR/BoltCheck.java"
    fi
}

# ---------------------------------------------------------------- helpers

port_open() {
    timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# Prints the pid of the server started from this home dir, if it is alive.
running_pid() {
    [[ -f "$PID_FILE" ]] || return 1
    local pid args
    pid="$(cat "$PID_FILE" 2>/dev/null)" || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    if [[ -r "/proc/$pid/cmdline" ]]; then
        args="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
    else
        args="$(ps -p "$pid" -o args= 2>/dev/null)" || return 1
    fi
    # Guard against pid reuse: it must be our entry point on our home dir.
    [[ "$args" == *"$MAIN_CLASS"*"--home-dir=$HOME_DIR "* ]] || return 1
    echo "$pid"
}

running_port() { cat "$PORT_FILE" 2>/dev/null || echo "$PORT"; }

write_conf() {
    mkdir -p "$CONF_DIR" "$LOG_DIR" "$RUN_DIR" "$HOME_DIR/data" "$HOME_DIR/import" "$HOME_DIR/plugins"
    cat >"$CONF_DIR/neo4j.conf.tmp" <<EOF
# Generated by neo4j/neo4j.sh on every start; edits are overwritten.
server.directories.data=$HOME_DIR/data
server.directories.logs=$LOG_DIR
server.directories.run=$RUN_DIR
server.directories.import=$HOME_DIR/import
server.directories.plugins=$HOME_DIR/plugins

# Bolt on loopback only; no HTTP(S) connector.
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:$PORT
server.bolt.advertised_address=127.0.0.1:$PORT
server.bolt.tls_level=DISABLED
server.http.enabled=false
server.https.enabled=false

dbms.security.auth_enabled=true
# No outbound network.
dbms.usage_report.enabled=false

server.memory.pagecache.size=$PAGECACHE
# Do not preallocate 256 MB transaction log files per database.
db.tx_log.preallocate=false
# Shorter Bolt shutdown waits (defaults add ~10 s to every stop).
internal.server.bolt.connection_shutdown_wait_time=1s
internal.server.bolt.thread_pool_shutdown_wait_time=1s
EOF
    mv -f "$CONF_DIR/neo4j.conf.tmp" "$CONF_DIR/neo4j.conf"
}

classpath() { cat "$CP_FILE"; }

# First start of a home dir: store the initial password (neo4j-admin dbms
# set-initial-password, run in-process from the same jars). It only takes effect
# before the system database is created, so it is skipped afterwards.
init_password() {
    if [[ ! -d "$HOME_DIR/data/databases/system" ]]; then
        NEO4J_HOME="$HOME_DIR" NEO4J_CONF="$CONF_DIR" \
            "$JAVA" -cp "$(classpath)" org.neo4j.cli.AdminTool dbms set-initial-password "$PASSWORD" >/dev/null \
            || die "setting the initial password failed (Neo4j requires at least 8 characters by default)"
    fi
}

java_cmd() {
    JAVA_ARGS=(
        "$JAVA" ${HEAP_INITIAL:+"-Xms$HEAP_INITIAL"} "-Xmx$HEAP" "$GC_FLAG"
        -XX:-OmitStackTraceInFastThrow -XX:+ExitOnOutOfMemoryError
        -XX:+UnlockExperimentalVMOptions -XX:+TrustFinalNonStaticFields -XX:+DisableExplicitGC
        -Djdk.nio.maxCachedBufferSize=1024 -Dio.netty.tryReflectionSetAccessible=true
        -Djdk.tls.ephemeralDHKeySize=2048 -Djdk.tls.rejectClientInitiatedRenegotiation=true
        --add-opens=java.base/java.nio=ALL-UNNAMED
        --add-opens=java.base/java.io=ALL-UNNAMED
        --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
        -Dlog4j2.disable.jmx=true -Dfile.encoding=UTF-8
        -cp "$(classpath)"
        "$MAIN_CLASS" "--home-dir=$HOME_DIR" "--config-dir=$CONF_DIR"
    )
}

probe() { # probe PORT TIMEOUT_SECONDS -> exit code of BoltCheck (0 ok, 1 timeout, 3 auth)
    NEO4J_PASSWORD="$PASSWORD" "$JAVA" -Xmx128m -cp "$PROBE_DIR:$(classpath)" BoltCheck \
        "bolt://127.0.0.1:$1" neo4j "$2"
}

# Byte sizes of the logs before a start, so that errors show only this start.
LOG_OFFSETS=()
mark_logs() {
    local f
    LOG_OFFSETS=()
    for f in "$LOG_DIR/console.log" "$LOG_DIR/neo4j.log"; do
        LOG_OFFSETS+=("$(stat -c %s "$f" 2>/dev/null || echo 0)")
    done
}

show_logs() {
    local f i=0 off out
    for f in "$LOG_DIR/console.log" "$LOG_DIR/neo4j.log"; do
        off="${LOG_OFFSETS[$i]:-0}"
        i=$((i + 1))
        out="$(tail -c +$((off + 1)) "$f" 2>/dev/null | tail -n 40)" || true
        if [[ -n "${out//[[:space:]]/}" ]]; then
            log "---- last lines of $f ----"
            printf '%s\n' "$out" >&2
        fi
    done
}

prepare() { # common to start and run: port free, conf, password
    local other
    if other="$(running_pid)"; then
        die "Neo4j from $HOME_DIR already runs (pid $other, port $(running_port))"
    fi
    rm -f "$PID_FILE" "$PORT_FILE"
    if port_open "$PORT"; then
        die "port 127.0.0.1:$PORT is already in use by another process; set NEO4J_BOLT_PORT or stop it"
    fi
    write_conf
    init_password
    java_cmd
}

# ---------------------------------------------------------------- commands

# Waits until the server answers with auth; returns 0 ready, 1 died/timeout, 3 auth.
wait_ready() {
    local pid="$1" port="$2" deadline=$((SECONDS + START_TIMEOUT)) rc
    while ((SECONDS < deadline)); do
        kill -0 "$pid" 2>/dev/null || { log "Neo4j (pid $pid) exited during startup"; return 1; }
        if port_open "$port"; then
            rc=0
            probe "$port" $((deadline - SECONDS > 5 ? deadline - SECONDS : 5)) || rc=$?
            return "$rc"
        fi
        sleep 0.5
    done
    log "Bolt port $port did not open within ${START_TIMEOUT}s"
    return 1
}

cmd_start() {
    lock
    cmd_fetch
    local pid rc
    if pid="$(running_pid)"; then
        local rport
        rport="$(running_port)"
        [[ "$rport" == "$PORT" ]] || die "Neo4j from $HOME_DIR already runs on port $rport (pid $pid), not $PORT; stop it first"
        rc=0
        wait_ready "$pid" "$PORT" || rc=$?
        ((rc == 0)) && { log "already running (pid $pid, bolt://127.0.0.1:$PORT)"; return 0; }
        ((rc == 3)) && die "Neo4j (pid $pid) rejects the password in NEO4J_PASSWORD"
        show_logs
        die "Neo4j (pid $pid) is running but not ready"
    fi

    prepare
    mark_logs
    printf '==== %s neo4j.sh start (port %s) ====\n' "$(date -u +%FT%TZ)" "$PORT" >>"$LOG_DIR/console.log"
    local launcher=()
    command -v setsid >/dev/null 2>&1 && launcher=(setsid)
    # The child writes its own pid and execs java, so the pid file names the JVM
    # even if setsid forks; fd 9 (the lock) is not inherited.
    # shellcheck disable=SC2016 # $$ and $@ are meant for the child shell
    "${launcher[@]}" bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" "${JAVA_ARGS[@]}" \
        </dev/null >>"$LOG_DIR/console.log" 2>&1 9>&- &
    local i
    for i in $(seq 1 100); do
        [[ -s "$PID_FILE" ]] && break
        sleep 0.05
    done
    pid="$(cat "$PID_FILE" 2>/dev/null)" || die "Neo4j did not start (no pid file)"
    echo "$PORT" >"$PORT_FILE"
    log "starting Neo4j (pid $pid, bolt://127.0.0.1:$PORT, home $HOME_DIR)..."

    rc=0
    wait_ready "$pid" "$PORT" || rc=$?
    if ((rc == 0)); then
        return 0
    fi
    if ((rc == 3)); then
        log "the password in NEO4J_PASSWORD is not the one $HOME_DIR was initialised with;" \
            "use that one, or delete $HOME_DIR/data to start afresh (loses the data)"
    else
        show_logs
    fi
    stop_pid "$pid"
    die "Neo4j did not become ready"
}

stop_pid() {
    local pid="$1" deadline=$((SECONDS + STOP_TIMEOUT))
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "Neo4j (pid $pid) still running after ${STOP_TIMEOUT}s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
    rm -f "$PID_FILE" "$PORT_FILE"
}

cmd_stop() {
    lock
    local pid
    if pid="$(running_pid)"; then
        log "stopping Neo4j (pid $pid)..."
        stop_pid "$pid"
        log "stopped"
    else
        rm -f "$PID_FILE" "$PORT_FILE"
        log "not running"
    fi
}

cmd_run() {
    lock
    cmd_fetch
    prepare
    echo $$ >"$PID_FILE"
    echo "$PORT" >"$PORT_FILE"
    log "running Neo4j in the foreground (pid $$, bolt://127.0.0.1:$PORT, home $HOME_DIR); Ctrl-C stops it"
    exec 9>&-
    exec "${JAVA_ARGS[@]}" --console-mode
}

cmd_status() {
    local pid port
    if pid="$(running_pid)"; then
        port="$(running_port)"
        if [[ "$port" != "$PORT" ]]; then
            log "running (pid $pid, home $HOME_DIR) on port $port, not on $PORT"
            return 1
        fi
        if port_open "$port"; then
            log "running (pid $pid, bolt://127.0.0.1:$port, home $HOME_DIR)"
            return 0
        fi
        log "process running (pid $pid) but bolt://127.0.0.1:$port is not answering"
        return 1
    fi
    log "not running (home $HOME_DIR)"
    return 1
}

case "${1:-}" in
    fetch) cmd_fetch ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    run) cmd_run ;;
    status) cmd_status ;;
    *)
        echo "usage: $0 fetch|start|stop|run|status" >&2
        exit 2
        ;;
esac
