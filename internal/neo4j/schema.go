package neo4j

import (
	"context"
	"errors"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// Migrate creates the uniqueness constraints and indexes the stores rely on.
// Every statement is IF NOT EXISTS, so it is safe at every start-up.
func (db *DB) Migrate(ctx context.Context) error {
	stmts := []string{
		"CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
		// The audit trail, looked up by entity, by actor and by time.
		"CREATE CONSTRAINT change_id IF NOT EXISTS FOR (c:Change) REQUIRE c.id IS UNIQUE",
		"CREATE INDEX change_entityId IF NOT EXISTS FOR (c:Change) ON (c.entityId)",
		"CREATE INDEX change_toId IF NOT EXISTS FOR (c:Change) ON (c.toId)",
		"CREATE INDEX change_actor IF NOT EXISTS FOR (c:Change) ON (c.actor)",
		"CREATE INDEX change_at IF NOT EXISTS FOR (c:Change) ON (c.at)",
		// Idempotency keys, found by id and swept by age.
		"CREATE CONSTRAINT idempotency_key_id IF NOT EXISTS FOR (k:IdempotencyKey) REQUIRE k.id IS UNIQUE",
		"CREATE INDEX idempotency_key_at IF NOT EXISTS FOR (k:IdempotencyKey) ON (k.at)",
		// Import runs and what they stage, found by run and id.
		"CREATE CONSTRAINT import_run_id IF NOT EXISTS FOR (r:ImportRun) REQUIRE r.id IS UNIQUE",
		"CREATE INDEX import_staged IF NOT EXISTS FOR (n:ImportStaged) ON (n.importRun, n.id)",
		"CREATE INDEX change_importRun IF NOT EXISTS FOR (c:Change) ON (c.importRun)",
		// Contracts by kind of data, end and value: the common filter of a
		// count or a page (synthetic or not, ending after a date, worth more
		// than a sum) is then answered from the index entries alone, where
		// the endDate index leaves every contract in the range to be read.
		"CREATE INDEX contract_synthetic_endDate_value IF NOT EXISTS FOR (n:Contract) ON (n.synthetic, n.endDate, n.value)",
	}
	for _, l := range cg.Labels {
		stmts = append(stmts, fmt.Sprintf(
			"CREATE CONSTRAINT %s_id IF NOT EXISTS FOR (n:`%s`) REQUIRE n.id IS UNIQUE", l, l))
		for _, p := range cg.IndexedProps(l) {
			stmts = append(stmts, fmt.Sprintf(
				"CREATE INDEX %s_%s IF NOT EXISTS FOR (n:`%s`) ON (n.`%s`)", l, p, l, p))
		}
	}
	if err := db.dropStaleFullTextIndex(ctx); err != nil {
		return err
	}
	stmts = append(stmts, fullTextIndex())
	for _, s := range stmts {
		db.queries.Add(1)
		if _, err := neo4j.ExecuteQuery(ctx, db.driver, s, nil, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(db.database), neo4j.ExecuteQueryWithWritersRouting()); err != nil && !madeMeanwhile(err) {
			return fmt.Errorf("migrate: %w", mapError(err))
		}
	}
	db.queries.Add(1)
	if _, err := neo4j.ExecuteQuery(ctx, db.driver, "CALL db.awaitIndexes(60)", nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(db.database)); err != nil {
		return fmt.Errorf("migrate: await indexes: %w", mapError(err))
	}
	return nil
}

// dropStaleFullTextIndex drops the full-text index when it was made for
// other labels or properties than the declarations now search, or
// without eventual consistency, so that Migrate makes it again as
// fullTextIndex says (Neo4j repopulates it in the background).
func (db *DB) dropStaleFullTextIndex(ctx context.Context) error {
	db.queries.Add(1)
	res, err := neo4j.ExecuteQuery(ctx, db.driver, `
		SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties, options
		WHERE name = $name
		RETURN labelsOrTypes, properties, options.indexConfig`, map[string]any{"name": fullTextName},
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(db.database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return fmt.Errorf("migrate: %w", mapError(err))
	}
	if len(res.Records) == 0 {
		return nil
	}
	v := res.Records[0].Values
	config, _ := v[2].(map[string]any)
	if sameFullTextIndex(stringList(v[0]), stringList(v[1]), config) {
		return nil
	}
	db.queries.Add(1)
	if _, err := neo4j.ExecuteQuery(ctx, db.driver, "DROP INDEX "+fullTextName+" IF EXISTS", nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(db.database), neo4j.ExecuteQueryWithWritersRouting()); err != nil {
		return fmt.Errorf("migrate: %w", mapError(err))
	}
	return nil
}

// madeMeanwhile reports whether a schema statement failed because another
// process (a second server, a test package) made the same index or
// constraint at the same moment: what Migrate wants exists.
func madeMeanwhile(err error) bool {
	var e *neo4j.Neo4jError
	return errors.As(err, &e) && (e.Code == "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists" ||
		e.Code == "Neo.ClientError.Schema.IndexAlreadyExists" || e.Code == "Neo.ClientError.Schema.ConstraintAlreadyExists")
}
