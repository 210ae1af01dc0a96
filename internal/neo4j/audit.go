package neo4j

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// The audit trail is a :Change node per change, not labelled Entity, so
// entity queries never see it. It holds the entity's id (and for links the
// other end's id and the type) as properties, so it outlives a deleted
// entity, and is linked -[:CHANGED]-> to the entities that still exist. What
// changed is kept as three parallel lists: field names, and the JSON of each
// value before and after.

var _ cg.ChangeStore = (*Store)(nil)

var (
	changeSeq    atomic.Uint64
	changeSuffix = randomHex(2)
)

// newChangeID returns an id that sorts in the order changes were made.
func newChangeID() string {
	return fmt.Sprintf("change:%s-%s%06x", time.Now().UTC().Format("20060102T150405.000000000Z"),
		changeSuffix, changeSeq.Add(1)&0xffffff)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// changeRow is one change, as a row for the statement that writes changes.
type changeRow struct {
	entityID string
	label    cg.Label
	op       cg.ChangeOperation
	relType  string
	toID     string
	fields   []cg.FieldChange
}

func (c changeRow) params(by cg.Principal) map[string]any {
	names := make([]string, len(c.fields))
	before := make([]string, len(c.fields))
	after := make([]string, len(c.fields))
	for i, f := range c.fields {
		names[i], before[i], after[i] = f.Name, f.Before, f.After
	}
	row := map[string]any{
		"id": newChangeID(), "actor": by.Subject, "role": string(by.Role), "operation": string(c.op),
		"entityId": c.entityID, "label": string(c.label), "fields": names,
		"before": unlessAllNull(before), "after": unlessAllNull(after), "relType": nil, "toId": nil,
	}
	if c.relType != "" {
		row["relType"], row["toId"] = c.relType, c.toID
	}
	return row
}

// unlessAllNull returns values, or nil (which stores nothing) when every
// value is JSON null.
func unlessAllNull(values []string) []string {
	for _, v := range values {
		if v != "null" {
			return values
		}
	}
	return nil
}

// recordChanges writes changes made by by in the transaction tx.
func (s *Store) recordChanges(ctx context.Context, tx tx, by cg.Principal, changes []changeRow) error {
	return s.recordChangesIn(ctx, tx, by, "", false, changes)
}

// recordChangesIn writes changes as recordChanges does; with an import
// run, they carry its id, which hides them from FindChanges until the
// run's node is gone, and with staged they are changes of entities the run
// stages (their creation).
func (s *Store) recordChangesIn(ctx context.Context, tx tx, by cg.Principal, run string, staged bool, changes []changeRow) error {
	link := `
				MATCH (n:Entity {id: id})
				CREATE (c)-[:CHANGED]->(n)`
	if staged {
		link = `
				MATCH (n:ImportStaged {importRun: $run, id: id})
				CREATE (c)-[:CHANGED]->(n)`
	}
	for start := 0; start < len(changes); start += maxRows {
		chunk := changes[start:min(start+maxRows, len(changes))]
		rows := make([]map[string]any, len(chunk))
		for i, c := range chunk {
			rows[i] = c.params(by)
			if run != "" {
				rows[i]["importRun"] = run
			}
		}
		if _, err := s.db.run(ctx, tx, `
			UNWIND $rows AS row
			CREATE (c:Change)
			SET c = row, c.at = datetime()
			WITH c, row
			CALL (c, row) {
				UNWIND [row.entityId, row.toId] AS id`+link+`
			}`, map[string]any{"rows": rows, "run": run}); err != nil {
			return fmt.Errorf("record changes: %w", err)
		}
	}
	return nil
}

// diff returns the properties that differ between before and after, by
// their JSON, ignoring those the store manages.
func diff(before, after map[string]any) []cg.FieldChange {
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		if !systemProps[k] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var out []cg.FieldChange
	for _, k := range names {
		b, a := jsonOf(before[k]), jsonOf(after[k])
		if a != b {
			out = append(out, cg.FieldChange{Name: k, Before: b, After: a})
		}
	}
	return out
}

// jsonOf renders a property value as JSON, dates as ISO 8601 strings.
func jsonOf(v any) string {
	b, err := json.Marshal(canonical(v))
	if err != nil {
		return fmt.Sprintf("%q", fmt.Sprint(v))
	}
	return string(b)
}

func canonical(v any) any {
	switch x := v.(type) {
	case dbtype.Date:
		return time.Time(x).Format(time.DateOnly)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case int:
		return int64(x)
	case []string:
		out := make([]any, len(x))
		for i := range x {
			out[i] = x[i]
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = canonical(x[i])
		}
		return out
	}
	return v
}

// FindChanges returns the changes f selects, oldest first.
func (s *Store) FindChanges(ctx context.Context, f cg.ChangeFilter) ([]*cg.Change, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	// Changes of an import run that has not finished (its node is still
	// there) are not there yet.
	where := []string{"c.id > $after", "(c.importRun IS NULL OR NOT EXISTS { MATCH (:ImportRun {id: c.importRun}) })"}
	params := map[string]any{"after": f.After, "limit": f.Limit}
	if f.EntityID != "" {
		where = append(where, "(c.entityId = $entity OR c.toId = $entity)")
		params["entity"] = f.EntityID
	}
	if f.Actor != "" {
		where = append(where, "c.actor = $actor")
		params["actor"] = f.Actor
	}
	if f.Since != nil {
		where = append(where, "c.at >= $since")
		params["since"] = *f.Since
	}
	if f.Until != nil {
		where = append(where, "c.at < $until")
		params["until"] = *f.Until
	}
	res, err := s.db.read(ctx, `
		MATCH (c:Change)
		WHERE `+strings.Join(where, " AND ")+`
		RETURN c ORDER BY c.id LIMIT $limit`, params)
	if err != nil {
		return nil, fmt.Errorf("find changes: %w", err)
	}
	out := make([]*cg.Change, 0, len(res.Records))
	for _, rec := range res.Records {
		out = append(out, decodeChange(rec.Values[0].(dbtype.Node)))
	}
	return out, nil
}

func decodeChange(n dbtype.Node) *cg.Change {
	p := n.Props
	str := func(k string) string { s, _ := p[k].(string); return s }
	c := &cg.Change{
		ID: str("id"), Actor: str("actor"), Role: cg.Role(str("role")), Operation: cg.ChangeOperation(str("operation")),
		EntityID: str("entityId"), Label: cg.Label(str("label")),
	}
	c.At, _ = p["at"].(time.Time)
	if t := str("relType"); t != "" {
		rt, to := cg.RelType(t), str("toId")
		c.RelType, c.ToID = &rt, &to
	}
	names, before, after := stringList(p["fields"]), stringList(p["before"]), stringList(p["after"])
	value := func(values []string, i int) string {
		if i < len(values) {
			return values[i]
		}
		return "null"
	}
	for i, name := range names {
		c.Fields = append(c.Fields, cg.FieldChange{Name: name, Before: value(before, i), After: value(after, i)})
	}
	return c
}
