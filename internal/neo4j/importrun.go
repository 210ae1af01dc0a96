package neo4j

import (
	"context"
	"fmt"
	"sync"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// An import too large for one transaction is an import run. Its first
// transaction creates an :ImportRun node. Everything the import adds (new
// entities and Sources) is written as :ImportStaged nodes carrying the
// run's id and the label they will have, and its audit records as :Change
// nodes carrying the run's id; no read matches either (reads match
// :Entity, a label, or a :Change whose run has no :ImportRun node left). Its last
// transaction, publish, gives the staged nodes their labels, links
// successions (they are found by ocid, among what is published) and
// deletes the run's node, which makes its audit records visible, in one
// transaction: readers see all of the import or none
// of it, however the process ends.
//
// What an import changes of entities that are stored already, and links
// between them, is written in place: it is the same import run again
// that completes such a change, as before.
//
// A run that never finished (the process was killed, the database went
// away) is cleared by Sweep once its heartbeat is older than StaleImportRun:
// at the next start of the server and before the next import.

// StaleImportRun is how old an import run's heartbeat must be for Sweep to
// clear the run as abandoned: several heartbeats, so a run that is only
// slow is never cleared.
const StaleImportRun = 30 * time.Second

const (
	heartbeat = 5 * time.Second
	// keyLifetime is how long idempotency keys are kept: longer than any
	// client retries.
	keyLifetime = 24 * time.Hour
)

// importRun is a running import; end stops its heartbeat.
type importRun struct {
	id   string
	stop chan struct{}
	wg   sync.WaitGroup
}

func (r *importRun) end() {
	close(r.stop)
	r.wg.Wait()
}

// beginRun clears stale runs, starts a new one and keeps its heartbeat.
func (s *Store) beginRun(ctx context.Context, by *cg.Principal) (*importRun, error) {
	if err := s.Sweep(ctx, StaleImportRun); err != nil {
		return nil, err
	}
	r := &importRun{id: "run:" + time.Now().UTC().Format("20060102T150405Z") + "-" + randomHex(6), stop: make(chan struct{})}
	actor := ""
	if by != nil {
		actor = by.Subject
	}
	if err := s.db.write(ctx, func(tx tx) error {
		_, err := s.db.run(ctx, tx, `CREATE (:ImportRun {id: $id, actor: $actor, startedAt: datetime(), beat: datetime()})`,
			map[string]any{"id": r.id, "actor": actor})
		return err
	}); err != nil {
		return nil, fmt.Errorf("begin import: %w", err)
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		t := time.NewTicker(heartbeat)
		defer t.Stop()
		for {
			select {
			case <-r.stop:
				return
			case <-t.C:
				bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), heartbeat)
				_ = s.db.write(bctx, func(tx tx) error {
					_, err := s.db.run(bctx, tx, `MATCH (r:ImportRun {id: $id}) SET r.beat = CASE WHEN r.beat > datetime() THEN r.beat ELSE datetime() END`, map[string]any{"id": r.id})
					return err
				})
				cancel()
			}
		}
	}()
	return r, nil
}

// stagedRows are the rows an import run stages, taken out of graphRows.
type stagedRows struct {
	params  map[string]any // the run's id, as $run
	sources []map[string]any
	nodes   map[cg.Label][]map[string]any
	ids     map[string]bool // every staged id
	count   int
}

func (st *stagedRows) runParams() map[string]any {
	if st == nil {
		return nil
	}
	return st.params
}

// stageRows moves the sources and nodes of rows whose ids are not stored
// into the stagedRows of run, and splits the Sources every node row cites
// into stored ones (row.sources) and staged ones (row.staged).
func stageRows(rows *graphRows, stored map[string]bool, run string) *stagedRows {
	st := &stagedRows{params: map[string]any{"run": run}, nodes: map[cg.Label][]map[string]any{}, ids: map[string]bool{}}
	for _, r := range rows.sources {
		if id := r["id"].(string); !stored[id] { // a stored Source says the same: nothing to write
			st.sources = append(st.sources, r)
			st.ids[id] = true
		}
	}
	rows.sources = nil
	for l, ns := range rows.nodes {
		var keep []map[string]any
		for _, r := range ns {
			var cited, staged []string
			for _, sid := range r["sources"].([]string) {
				if st.ids[sid] {
					staged = append(staged, sid)
				} else {
					cited = append(cited, sid)
				}
			}
			r["sources"], r["staged"] = nonNil(cited), nonNil(staged)
			if id := r["id"].(string); !stored[id] {
				st.nodes[l] = append(st.nodes[l], r)
				st.ids[id] = true
			} else {
				keep = append(keep, r)
			}
		}
		rows.nodes[l] = keep
	}
	st.count = len(st.ids)
	return st
}

// stagedSourceStatement stages new Sources.
const stagedSourceStatement = `
	UNWIND $rows AS row
	CREATE (s:ImportStaged)
	SET s += row.props, s.id = row.id, s.importRun = $run, s.importLabel = 'Source', s.version = 1, s.recordedAt = datetime()`

// stagedNodeStatement stages new entities of label $label, citing stored
// and staged Sources.
func stagedNodeStatement() string {
	return `
		UNWIND $rows AS row
		CREATE (n:ImportStaged)
		SET n += row.props, n.id = row.id, n.importRun = $run, n.importLabel = $label, n.version = 1, n.recordedAt = datetime()
		WITH n, row
		CALL (n, row) {
			UNWIND row.sources AS sid
			MATCH (s:Source {id: sid})
			MERGE (n)-[:SOURCED_FROM]->(s)
		}
		CALL (n, row) {
			UNWIND row.staged AS sid
			MATCH (s:ImportStaged {importRun: $run, id: sid})
			MERGE (n)-[:SOURCED_FROM]->(s)
		}`
}

// writeStagedNodes stages new entities of label l and, with a principal,
// records their creation under the run.
func (s *Store) writeStagedNodes(ctx context.Context, tx tx, l cg.Label, rows []map[string]any, by *cg.Principal, params map[string]any, res *cg.ImportResult) error {
	p := map[string]any{"label": string(l)}
	for k, v := range params {
		p[k] = v
	}
	if _, err := s.exec(ctx, tx, stagedNodeStatement(), rows, p); err != nil {
		return err
	}
	res.EntitiesCreated += len(rows)
	if by == nil {
		return nil
	}
	changes := make([]changeRow, len(rows))
	for i, row := range rows {
		changes[i] = changeRow{entityID: row["id"].(string), label: l, op: cg.ChangeImport, fields: diff(nil, row["props"].(map[string]any))}
	}
	return s.recordChangesIn(ctx, tx, *by, params["run"].(string), true, changes)
}

// publish is an import run's last transaction: it labels what the run
// staged, links successions and deletes the run's node. Should the run have
// been cleared meanwhile (it was thought dead), it publishes nothing.
func (s *Store) publish(ctx context.Context, run *importRun, staged *stagedRows, successions []map[string]any, total *cg.ImportResult) error {
	// The publish commit updates every index the staged nodes enter, in
	// one transaction: it is given time in proportion, and the run's
	// heartbeat is set ahead by as much (heartbeats wait on the publish's
	// lock on the run), so that no sweep takes the run for abandoned
	// meanwhile.
	wait := publishWait(staged.count)
	if err := s.db.write(ctx, func(tx tx) error {
		_, err := s.db.run(ctx, tx, `MATCH (r:ImportRun {id: $run}) SET r.beat = datetime() + duration({milliseconds: $wait})`,
			map[string]any{"run": run.id, "wait": wait.Milliseconds()})
		return err
	}); err != nil {
		return fmt.Errorf("publish import: %w", err)
	}
	var part cg.ImportResult
	err := s.db.writeWaiting(ctx, wait, func(tx tx) error {
		part = cg.ImportResult{}
		res, err := s.db.run(ctx, tx, `MATCH (r:ImportRun {id: $run}) DELETE r RETURN count(*)`,
			map[string]any{"run": run.id})
		if err != nil {
			return err
		}
		if rec, err := res.Single(ctx); err != nil {
			return err
		} else if n, _ := rec.Values[0].(int64); n != 1 {
			return cg.Errorf(cg.ECONFLICT, "the import was cleared as abandoned while it ran; import the file again")
		}
		// One pass over what the run staged: each node takes the label it
		// was staged for (a dynamic label, read from the node itself).
		res, err = s.db.run(ctx, tx, `
			MATCH (n:ImportStaged {importRun: $run}) WHERE n.id IS NOT NULL
			SET n:$(n.importLabel):Entity
			REMOVE n:ImportStaged, n.importRun, n.importLabel
			RETURN count(n)`, map[string]any{"run": run.id})
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		published, _ := rec.Values[0].(int64)
		if int(published) != staged.count {
			return cg.Errorf(cg.ECONFLICT, "the import was cleared as abandoned while it ran (%d of %d staged nodes left); import the file again", published, staged.count)
		}
		return s.writeSuccessions(ctx, tx, successions, &part)
	})
	if cg.ErrorCode(err) == cg.EOUTCOMEUNKNOWN && s.wasPublished(context.WithoutCancel(ctx), run, staged) {
		err = nil
	}
	if err != nil {
		return fmt.Errorf("publish import: %w", err)
	}
	total.Add(part)
	return nil
}

// publishWait is how long publish waits for its commit's answer: far
// longer than labelling count nodes takes.
func publishWait(count int) time.Duration {
	return commitTimeout + time.Duration(count)*200*time.Microsecond
}

// wasPublished tells, after the answer to a publish's commit was lost,
// whether it committed: the run's node is gone and what it staged is
// published. (A run cleared as abandoned has no node either, but nothing it
// staged is left.) When the database cannot say, it was not.
func (s *Store) wasPublished(ctx context.Context, run *importRun, staged *stagedRows) bool {
	var one string
	for id := range staged.ids {
		one = id
		break
	}
	ctx, cancel := context.WithTimeout(ctx, commitTimeout)
	defer cancel()
	res, err := s.db.read(ctx, `
		OPTIONAL MATCH (r:ImportRun {id: $run})
		WITH count(r) AS runs
		OPTIONAL MATCH (n:Entity {id: $id})
		RETURN runs = 0 AND n IS NOT NULL`, map[string]any{"run": run.id, "id": one})
	if err != nil || len(res.Records) != 1 {
		return false
	}
	ok, _ := res.Records[0].Values[0].(bool)
	return ok
}

// Sweep clears import runs whose heartbeat is older than stale (what they
// staged, their audit records, the run) and idempotency keys older than a
// day. The server sweeps at start and every import before it begins.
func (s *Store) Sweep(ctx context.Context, stale time.Duration) error {
	res, err := s.db.read(ctx, `
		MATCH (r:ImportRun) WHERE r.beat < datetime() - duration({milliseconds: $stale})
		RETURN r.id`, map[string]any{"stale": stale.Milliseconds()})
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	for _, rec := range res.Records {
		if err := s.clearRun(ctx, rec.Values[0].(string)); err != nil {
			return err
		}
	}
	return s.deleteAll(ctx, `
		MATCH (k:IdempotencyKey) WHERE k.at < datetime() - duration({milliseconds: $age})
		WITH k LIMIT 5000 DELETE k RETURN count(*)`, map[string]any{"age": keyLifetime.Milliseconds()})
}

// clearRun deletes what an unfinished import run staged, its audit records
// and its node. After the run was published there is nothing left to
// delete but the node, which publish deleted.
func (s *Store) clearRun(ctx context.Context, run string) error {
	for _, q := range []string{
		`MATCH (n:ImportStaged {importRun: $run}) WHERE n.id IS NOT NULL WITH n LIMIT 5000 DETACH DELETE n RETURN count(*)`,
		`MATCH (c:Change {importRun: $run}) WITH c LIMIT 5000 DETACH DELETE c RETURN count(*)`,
		`MATCH (r:ImportRun {id: $run}) DELETE r RETURN 0`,
	} {
		if err := s.deleteAll(ctx, q, map[string]any{"run": run}); err != nil {
			return fmt.Errorf("clear import %s: %w", run, err)
		}
	}
	return nil
}

// deleteAll runs a deleting statement that returns how many it deleted,
// in transactions of its own, until it deletes nothing.
func (s *Store) deleteAll(ctx context.Context, cypher string, params map[string]any) error {
	for {
		var n int64
		err := s.db.write(ctx, func(tx tx) error {
			res, err := s.db.run(ctx, tx, cypher, params)
			if err != nil {
				return err
			}
			rec, err := res.Single(ctx)
			if err != nil {
				return err
			}
			n, _ = rec.Values[0].(int64)
			return nil
		})
		if err != nil || n == 0 {
			return err
		}
	}
}
