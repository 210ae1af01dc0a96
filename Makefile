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

.PHONY: run test build generate check-generated neo4j-start neo4j-stop clean

build:
	$(GO) build -o $(BIN) ./cmd/cgraph

run: build
	$(WITH) ./$(BIN) serve -seed-if-empty

test:
	$(GO) vet ./...
	NEO4J_HOME_DIR=$(TEST_NEO4J_HOME) NEO4J_BOLT_PORT=$(TEST_NEO4J_PORT) \
		$(WITH) $(GO) test -count=1 -p 1 ./...

# Regenerate gqlgen's code from schema.graphql; check-generated fails when
# the committed code is not what the generator makes.
generate:
	$(GO) generate ./...

check-generated: generate
	@git diff --exit-code -- graph/ && test -z "$$(git status --porcelain -- graph/)" \
		|| { echo 'generated code differs from the committed code: run make generate and commit'; exit 1; }

neo4j-start:
	$(NEO4J) start

neo4j-stop:
	$(NEO4J) stop

clean:
	$(NEO4J) stop
	NEO4J_HOME_DIR=$(TEST_NEO4J_HOME) $(NEO4J) stop
	rm -rf bin .data neo4j/target
