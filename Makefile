# The two commands: `make run` serves the API with a project-local Neo4j
# (or the one NEO4J_URI names); `make test` runs every test against a real
# Neo4j. Everything they need is fetched on first use.

GO       ?= go
BIN      := bin/cgraph
NEO4J    := neo4j/neo4j.sh
WITH     := neo4j/with-neo4j.sh

# Tests get their own Neo4j home and port so they never touch the data of
# `make run`.
TEST_NEO4J_PORT ?= 7688
TEST_NEO4J_HOME ?= $(CURDIR)/.data/neo4j-test

# The benchmark runs on its own Neo4j, with a generated graph of
# BENCH_AUTHORITIES synthetic authorities.
BENCH_NEO4J_PORT  ?= 7689
BENCH_NEO4J_HOME  ?= $(CURDIR)/.data/neo4j-bench
BENCH_PORT        ?= 8089
BENCH_AUTHORITIES ?= 300
BENCH_FLAGS       ?= -concurrency 8 -duration 5s -rounds 5 -warmup 2s

# The benchmark against the Neo4j GraphQL Library (bench/anchor) runs on a
# fresh Neo4j of its own, with the graph of `make bench`; the API and the
# library (one Node process, and one per core) listen on the three ports.
ANCHOR_NEO4J_PORT ?= 7691
ANCHOR_NEO4J_HOME ?= $(CURDIR)/.data/neo4j-bench-anchor
ANCHOR_PORTS      ?= 8090 8091 8092
ANCHOR_FLAGS      ?= -concurrency 8 -duration 4s -rounds 3 -warmup 1s
ANCHOR_TIMEOUT    ?= 480

# The write benchmarks run on a Neo4j of their own, started on a fresh data
# folder each time, with the JVM settings docs/BENCHMARKS.md reports.
WRITES_NEO4J_PORT ?= 7690
WRITES_NEO4J_HOME ?= $(CURDIR)/.data/neo4j-writes
WRITES_NEO4J_ENV  ?= NEO4J_HEAP=4g NEO4J_HEAP_INITIAL=4g NEO4J_GC=parallel NEO4J_PAGECACHE=1g
WRITES_FLAGS      ?= -benchtime 3x -timeout 30m
WRITES_ENV        ?= BENCH_PROCESSES=20000 BENCH_NAIVE_PROCESSES=1000

# The GraphQL-over-HTTP spec's audit suite (the graphql-http package), which
# a test of cmd/cgraph runs on Node.js against the binary.
HTTP_AUDIT := tools/http-audit

.PHONY: run test test-faults http-audit-deps bench bench-anchor bench-writes bench-ingest build generate check-generated neo4j-start neo4j-stop clean

build:
	$(GO) build -o $(BIN) ./cmd/cgraph

run: build
	$(WITH) ./$(BIN) serve -seed-if-empty

# Each run starts from an empty test database (unless NEO4J_URI names one),
# so no test depends on what an earlier run left behind. Packages run in
# parallel against the one Neo4j: each test counts only what it wrote and
# forgets it, and none changes the seeded minute. The schema and the seed
# are written once first: on an empty database, processes creating the
# same index at the same moment can be refused.
test: http-audit-deps
	$(GO) vet ./...
	@if [ -z "$$NEO4J_URI" ]; then NEO4J_HOME_DIR=$(TEST_NEO4J_HOME) $(NEO4J) stop >/dev/null; rm -rf $(TEST_NEO4J_HOME)/data; fi
	NEO4J_HOME_DIR=$(TEST_NEO4J_HOME) NEO4J_BOLT_PORT=$(TEST_NEO4J_PORT) \
		$(WITH) sh -c '$(GO) run ./cmd/cgraph seed >/dev/null && $(GO) test -count=1 ./...'

# The fault suite: Neo4j cut off under a write load with idempotency keys,
# and the importer killed part-way, against the test Neo4j; see
# docs/FAULTS.md for what it measures. Bounded (about two minutes),
# loopback only.
test-faults:
	NEO4J_HOME_DIR=$(TEST_NEO4J_HOME) NEO4J_BOLT_PORT=$(TEST_NEO4J_PORT) \
		$(WITH) $(GO) test -count=1 -p 1 -tags faults -run '^TestFault' -v -timeout 15m ./cmd/cgraph/

# The audit's npm packages, at the versions its package-lock.json pins.
http-audit-deps: $(HTTP_AUDIT)/node_modules/.package-lock.json

$(HTTP_AUDIT)/node_modules/.package-lock.json: $(HTTP_AUDIT)/package.json $(HTTP_AUDIT)/package-lock.json
	npm ci --prefix $(HTTP_AUDIT) --no-audit --no-fund

# Throughput and latency of the API against the same Cypher sent straight
# through the driver; see docs/BENCHMARKS.md.
# The API runs without its admin listener and its per-request log lines,
# which would otherwise fill the terminal.
bench: build
	NEO4J_HOME_DIR=$(BENCH_NEO4J_HOME) NEO4J_BOLT_PORT=$(BENCH_NEO4J_PORT) NEO4J_HEAP=2g NEO4J_PAGECACHE=1g \
		$(WITH) sh -c '\
		./$(BIN) generate -authorities $(BENCH_AUTHORITIES) -seed 1 -batch 25 && \
		{ PORT=$(BENCH_PORT) ADMIN_ADDR=off LOG_LEVEL=warn ./$(BIN) serve >/dev/null & api=$$!; trap "kill $$api" EXIT; \
		  until curl -sf http://127.0.0.1:$(BENCH_PORT)/readyz >/dev/null; do sleep 0.5; done; \
		  $(GO) run ./cmd/cgbench -api http://127.0.0.1:$(BENCH_PORT)/graphql $(BENCH_FLAGS); }'

# Throughput, latency and CPU of the API against the Neo4j GraphQL Library
# (@neo4j/graphql on Apollo Server, pinned in bench/anchor), over the same
# Neo4j and graph; see docs/BENCHMARKS.md. Stops by itself within about ten
# minutes, leaving nothing running.
bench-anchor: build
	cd bench/anchor && npm ci --no-audit --no-fund --loglevel=error
	$(GO) build -o bin/cgbench ./cmd/cgbench
	NEO4J_HOME_DIR=$(ANCHOR_NEO4J_HOME) $(NEO4J) stop >/dev/null; rm -rf $(ANCHOR_NEO4J_HOME)/data
	set -- $(ANCHOR_PORTS); \
	NEO4J_HOME_DIR=$(ANCHOR_NEO4J_HOME) NEO4J_BOLT_PORT=$(ANCHOR_NEO4J_PORT) NEO4J_HEAP=2g NEO4J_PAGECACHE=1g \
	BIN=./$(BIN) CGBENCH=bin/cgbench AUTHORITIES=$(BENCH_AUTHORITIES) API_PORT=$$1 ONE_PORT=$$2 CORES_PORT=$$3 \
	NEO4J_PID_FILE=$(ANCHOR_NEO4J_HOME)/run/neo4j.sh.pid FLAGS="$(ANCHOR_FLAGS)" TIMEOUT=$(ANCHOR_TIMEOUT) \
		$(WITH) bench/anchor/bench.sh

# Writes per second of an OCDS import, batched and naive; see
# docs/BENCHMARKS.md.
bench-writes:
	NEO4J_HOME_DIR=$(WRITES_NEO4J_HOME) $(NEO4J) stop >/dev/null; rm -rf $(WRITES_NEO4J_HOME)/data
	NEO4J_HOME_DIR=$(WRITES_NEO4J_HOME) NEO4J_BOLT_PORT=$(WRITES_NEO4J_PORT) $(WRITES_NEO4J_ENV) \
		$(WITH) env $(WRITES_ENV) $(GO) test -run '^$$' -bench 'Import|WriteGraph' $(WRITES_FLAGS) ./internal/neo4j/

# Documents ingested per second: 1,000 decision notices read, extracted and
# written with their passages and claims, one transaction each, on a Neo4j
# of their own; see docs/BENCHMARKS.md.
INGEST_NEO4J_PORT ?= 7692
INGEST_NEO4J_HOME ?= $(CURDIR)/.data/neo4j-ingest
bench-ingest:
	NEO4J_HOME_DIR=$(INGEST_NEO4J_HOME) $(NEO4J) stop >/dev/null; rm -rf $(INGEST_NEO4J_HOME)/data
	NEO4J_HOME_DIR=$(INGEST_NEO4J_HOME) NEO4J_BOLT_PORT=$(INGEST_NEO4J_PORT) \
		$(WITH) env BENCH_DOCUMENTS=1000 $(GO) test -run '^$$' -bench Ingest -benchtime 3x -timeout 20m ./internal/ingest/

# Regenerate the code made from schema.graphql and the entity declarations
# (cmd/cgraphgen, then gqlgen); check-generated fails when the committed
# tree is not what the generators make.
generate:
	$(GO) generate ./...

check-generated: generate
	@git diff --exit-code && test -z "$$(git status --porcelain)" \
		|| { echo 'generated code differs from the committed code: run make generate and commit'; exit 1; }

neo4j-start:
	$(NEO4J) start

neo4j-stop:
	$(NEO4J) stop

clean:
	$(NEO4J) stop
	NEO4J_HOME_DIR=$(TEST_NEO4J_HOME) $(NEO4J) stop
	NEO4J_HOME_DIR=$(BENCH_NEO4J_HOME) $(NEO4J) stop
	NEO4J_HOME_DIR=$(ANCHOR_NEO4J_HOME) $(NEO4J) stop
	NEO4J_HOME_DIR=$(WRITES_NEO4J_HOME) $(NEO4J) stop
	NEO4J_HOME_DIR=$(INGEST_NEO4J_HOME) $(NEO4J) stop
	rm -rf bin .data neo4j/target $(HTTP_AUDIT)/node_modules bench/anchor/node_modules
