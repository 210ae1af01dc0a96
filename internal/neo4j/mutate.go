package neo4j

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

var _ cg.EntityWriter = (*Store)(nil)

// Each mutation runs in one write transaction: the checks of the
// principal's scope, the version check, the change and its audit record all
// commit together or not at all. A transaction function may be retried
// (see DB.write), so each one starts from what it reads. The work of each
// kind of mutation is a function of a transaction (createIn, updateIn, ...)
// so that a batch can run several in one.

// CreateEntity writes a new entity with version 1.
func (s *Store) CreateEntity(ctx context.Context, by cg.Principal, e cg.Entity, src *cg.Provenance) (cg.Entity, error) {
	if err := checkCreate(by, e, src); err != nil {
		return nil, err
	}
	var out cg.Entity
	err := s.db.write(ctx, func(tx tx) error {
		key, err := s.claim(ctx, tx, by, cg.ChangeCreate, e.EntityLabel(), e, src)
		if err != nil {
			return err
		} else if key != nil && key.done {
			out, err = s.replayed(ctx, tx, key)
			return err
		}
		if out, err = s.createIn(ctx, tx, by, e, src); err != nil {
			return err
		}
		return s.settle(ctx, tx, key, e.EntityID(), "")
	})
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", e.EntityLabel(), err)
	}
	return out, nil
}

// checkCreate checks what can be checked of a create before the
// transaction.
func checkCreate(by cg.Principal, e cg.Entity, src *cg.Provenance) error {
	if err := by.MayWrite(); err != nil {
		return err
	}
	if e.EntityLabel() == cg.LabelAuthority && by.Role != cg.RoleAdmin {
		return cg.Errorf(cg.EFORBIDDEN, "only an admin may create an authority")
	}
	if err := cg.ValidateEntity(e); err != nil {
		return err
	}
	return src.Validate()
}

// createIn writes a new entity in tx.
func (s *Store) createIn(ctx context.Context, tx tx, by cg.Principal, e cg.Entity, src *cg.Provenance) (cg.Entity, error) {
	l := e.EntityLabel()
	if n, err := s.node(ctx, tx, e.EntityID()); err != nil {
		return nil, err
	} else if n != nil {
		return nil, cg.Errorf(cg.ECONFLICT, "id %q is taken by a %s", e.EntityID(), entityLabel(n.Labels))
	}
	props := encode(e)
	created, err := s.single(ctx, tx, fmt.Sprintf(`
		CREATE (n:%s:Entity)
		SET n = $props, n.id = $id, n.version = 1, n.recordedAt = datetime()
		RETURN n`, quote(string(l))), map[string]any{"id": e.EntityID(), "props": props})
	if err != nil {
		return nil, err
	}
	if err := s.cite(ctx, tx, e.EntityID(), src); err != nil {
		return nil, err
	}
	out, err := decode(created)
	if err != nil {
		return nil, err
	}
	return out, s.recordChanges(ctx, tx, by, []changeRow{{entityID: e.EntityID(), label: l, op: cg.ChangeCreate, fields: diff(nil, props)}})
}

// UpdateEntity replaces the properties of an entity, if it is still at
// version.
func (s *Store) UpdateEntity(ctx context.Context, by cg.Principal, e cg.Entity, version int) (cg.Entity, error) {
	if err := by.MayWrite(); err != nil {
		return nil, err
	}
	if err := cg.ValidateEntity(e); err != nil {
		return nil, err
	}
	var out cg.Entity
	err := s.db.write(ctx, func(tx tx) error {
		key, err := s.claim(ctx, tx, by, cg.ChangeUpdate, e.EntityLabel(), e, version)
		if err != nil {
			return err
		} else if key != nil && key.done {
			out, err = s.replayed(ctx, tx, key)
			return err
		}
		if out, err = s.updateIn(ctx, tx, by, e, version); err != nil {
			return err
		}
		return s.settle(ctx, tx, key, e.EntityID(), "")
	})
	if err != nil {
		return nil, fmt.Errorf("update %s: %w", e.EntityLabel(), err)
	}
	return out, nil
}

// updateIn replaces the properties of an entity in tx.
func (s *Store) updateIn(ctx context.Context, tx tx, by cg.Principal, e cg.Entity, version int) (cg.Entity, error) {
	l, id := e.EntityLabel(), e.EntityID()
	n, err := s.current(ctx, tx, by, l, id, version)
	if err != nil {
		return nil, err
	}
	props := encode(e)
	fields := diff(n.Props, props)
	if len(fields) == 0 { // nothing to change: no new version, no record
		return decode(*n)
	}
	updated, err := s.single(ctx, tx, `
		MATCH (n:Entity {id: $id}) WHERE n.version = $version
		WITH n, n.recordedAt AS recordedAt
		SET n = $props
		SET n.id = $id, n.version = $version + 1, n.recordedAt = recordedAt
		RETURN n`, map[string]any{"id": id, "version": version, "props": props})
	if err != nil {
		return nil, err
	}
	out, err := decode(updated)
	if err != nil {
		return nil, err
	}
	return out, s.recordChanges(ctx, tx, by, []changeRow{{entityID: id, label: l, op: cg.ChangeUpdate, fields: fields}})
}

// DeleteEntity removes an entity and its relationships, if it is still at
// version.
func (s *Store) DeleteEntity(ctx context.Context, by cg.Principal, id string, version int) error {
	if err := by.MayWrite(); err != nil {
		return err
	}
	err := s.db.write(ctx, func(tx tx) error {
		if key, err := s.claim(ctx, tx, by, cg.ChangeDelete, id, version); err != nil || key != nil && key.done {
			return err
		}
		return s.deleteIn(ctx, tx, by, id, version)
	})
	if err != nil {
		return fmt.Errorf("delete %s: %w", id, err)
	}
	return nil
}

// deleteIn removes an entity in tx.
func (s *Store) deleteIn(ctx context.Context, tx tx, by cg.Principal, id string, version int) error {
	n, err := s.current(ctx, tx, by, "", id, version)
	if err != nil {
		return err
	}
	l := entityLabel(n.Labels)
	if by.Role != cg.RoleAdmin {
		// The entity's links go with it, so their other ends must be the
		// editor's to change too; for a Source, the entities that cite it.
		res, err := s.db.run(ctx, tx, `
			MATCH (:Entity {id: $id})-[]-(m:Entity)
			RETURN collect(DISTINCT m.id)`, map[string]any{"id": id})
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		if err := s.authorize(ctx, tx, by, stringList(rec.Values[0])...); err != nil {
			return err
		}
	}
	if _, err := s.single(ctx, tx, `
		MATCH (n:Entity {id: $id}) WHERE n.version = $version
		DETACH DELETE n
		RETURN $id`, map[string]any{"id": id, "version": version}); err != nil {
		return err
	}
	return s.recordChanges(ctx, tx, by, []changeRow{{entityID: id, label: l, op: cg.ChangeDelete, fields: diff(n.Props, nil)}})
}

// LinkEntities adds a relationship between two existing entities.
func (s *Store) LinkEntities(ctx context.Context, by cg.Principal, t cg.RelType, from, to string, src *cg.Provenance) (cg.Relationship, error) {
	if err := by.MayWrite(); err != nil {
		return cg.Relationship{}, err
	}
	if err := src.Validate(); err != nil {
		return cg.Relationship{}, err
	}
	var out cg.Relationship
	err := s.db.write(ctx, func(tx tx) error {
		key, err := s.claim(ctx, tx, by, cg.ChangeLink, t, from, to, src)
		if err != nil {
			return err
		} else if key != nil && key.done {
			out, err = s.replayedLink(ctx, tx, t, from, to)
			return err
		}
		if out, err = s.linkIn(ctx, tx, by, t, from, to, src); err != nil {
			return err
		}
		return s.settle(ctx, tx, key, from, to)
	})
	if err != nil {
		return cg.Relationship{}, fmt.Errorf("link %s: %w", t, err)
	}
	return out, nil
}

// linkIn adds a relationship in tx.
func (s *Store) linkIn(ctx context.Context, tx tx, by cg.Principal, t cg.RelType, from, to string, src *cg.Provenance) (cg.Relationship, error) {
	a, b, err := s.ends(ctx, tx, by, t, from, to)
	if err != nil {
		return cg.Relationship{}, err
	}
	sources := []string{}
	if src != nil {
		sources = append(sources, sourceID(src))
		if err := s.mergeSource(ctx, tx, src); err != nil {
			return cg.Relationship{}, err
		}
	}
	res, err := s.db.run(ctx, tx, fmt.Sprintf(`
		MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
		WHERE NOT EXISTS { (a)-[:%[1]s]->(b) }
		CREATE (a)-[r:%[1]s]->(b)
		SET r.recordedAt = datetime(), r.sources = $sources
		RETURN count(r)`, quote(string(t))), map[string]any{"from": from, "to": to, "sources": sources})
	if err != nil {
		return cg.Relationship{}, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return cg.Relationship{}, err
	}
	if n, _ := rec.Values[0].(int64); n == 0 {
		return cg.Relationship{}, cg.Errorf(cg.ECONFLICT, "%s is already %s %s", from, t, to)
	}
	out := cg.Relationship{Type: t, Direction: cg.Outgoing, SourceIDs: sources}
	if out.Node, err = decode(*b); err != nil {
		return cg.Relationship{}, err
	}
	return out, s.recordChanges(ctx, tx, by, []changeRow{{entityID: from, label: entityLabel(a.Labels), op: cg.ChangeLink,
		relType: string(t), toID: to, fields: diff(nil, map[string]any{"sources": sources})}})
}

// UnlinkEntities removes a relationship between two entities.
func (s *Store) UnlinkEntities(ctx context.Context, by cg.Principal, t cg.RelType, from, to string) error {
	if err := by.MayWrite(); err != nil {
		return err
	}
	err := s.db.write(ctx, func(tx tx) error {
		if key, err := s.claim(ctx, tx, by, cg.ChangeUnlink, t, from, to); err != nil || key != nil && key.done {
			return err
		}
		return s.unlinkIn(ctx, tx, by, t, from, to)
	})
	if err != nil {
		return fmt.Errorf("unlink %s: %w", t, err)
	}
	return nil
}

// unlinkIn removes a relationship in tx.
func (s *Store) unlinkIn(ctx context.Context, tx tx, by cg.Principal, t cg.RelType, from, to string) error {
	a, _, err := s.ends(ctx, tx, by, t, from, to)
	if err != nil {
		return err
	}
	res, err := s.db.run(ctx, tx, fmt.Sprintf(`
		MATCH (:Entity {id: $from})-[r:%s]->(:Entity {id: $to})
		WITH r, r.sources AS sources
		DELETE r
		RETURN sources`, quote(string(t))), map[string]any{"from": from, "to": to})
	if err != nil {
		return err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		return cg.Errorf(cg.ENOTFOUND, "%s is not %s %s", from, t, to)
	}
	return s.recordChanges(ctx, tx, by, []changeRow{{entityID: from, label: entityLabel(a.Labels), op: cg.ChangeUnlink,
		relType: string(t), toID: to, fields: diff(map[string]any{"sources": recs[0].Values[0]}, nil)}})
}

// replayedLink returns the link a request under a used key made, as it is
// now.
func (s *Store) replayedLink(ctx context.Context, tx tx, t cg.RelType, from, to string) (cg.Relationship, error) {
	res, err := s.db.run(ctx, tx, fmt.Sprintf(`
		MATCH (:Entity {id: $from})-[r:%s]->(b:Entity {id: $to})
		RETURN b, r.sources`, quote(string(t))), map[string]any{"from": from, "to": to})
	if err != nil {
		return cg.Relationship{}, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return cg.Relationship{}, err
	}
	if len(recs) == 0 {
		return cg.Relationship{}, cg.Errorf(cg.ENOTFOUND, "the request with this Idempotency-Key was made, but %s is no longer %s %s", from, t, to)
	}
	b, err := decode(recs[0].Values[0].(dbtype.Node))
	if err != nil {
		return cg.Relationship{}, err
	}
	return cg.Relationship{Type: t, Direction: cg.Outgoing, Node: b, SourceIDs: stringList(recs[0].Values[1])}, nil
}

// ends reads both ends of a relationship to write, checks that the type may
// join them and that by may change both.
func (s *Store) ends(ctx context.Context, tx tx, by cg.Principal, t cg.RelType, from, to string) (a, b *dbtype.Node, err error) {
	if !t.Valid() || t == cg.RelSourcedFrom {
		return nil, nil, cg.Errorf(cg.EINVALID, "%q is not a relationship type that can be linked", t)
	}
	if a, err = s.node(ctx, tx, from); err != nil {
		return nil, nil, err
	}
	if b, err = s.node(ctx, tx, to); err != nil {
		return nil, nil, err
	}
	for _, end := range []struct {
		id string
		n  *dbtype.Node
	}{{from, a}, {to, b}} {
		if end.n == nil {
			return nil, nil, cg.Errorf(cg.ENOTFOUND, "no entity has id %q", end.id)
		}
	}
	if la, lb := entityLabel(a.Labels), entityLabel(b.Labels); !t.Allows(la, lb) {
		return nil, nil, cg.Errorf(cg.EINVALID, "%s may not join %s to %s", t, la, lb)
	}
	return a, b, s.authorize(ctx, tx, by, from, to)
}

// current reads the entity to update or delete and checks that it has the
// label asked for (any when l is empty), that by may change it and that it is
// still at version.
func (s *Store) current(ctx context.Context, tx tx, by cg.Principal, l cg.Label, id string, version int) (*dbtype.Node, error) {
	n, err := s.node(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if n == nil || (l != "" && entityLabel(n.Labels) != l) {
		if l == "" {
			l = "entity"
		}
		return nil, cg.Errorf(cg.ENOTFOUND, "no %s has id %q", l, id)
	}
	if err := s.authorize(ctx, tx, by, id); err != nil {
		return nil, err
	}
	if got, _ := n.Props["version"].(int64); int(got) != version {
		return nil, cg.Errorf(cg.ECONFLICT, "%s is at version %d, not %d: it changed since you read it; read it again and reapply your change", id, got, version)
	}
	return n, nil
}

// node returns the entity with the given id, or nil.
func (s *Store) node(ctx context.Context, tx tx, id string) (*dbtype.Node, error) {
	res, err := s.db.run(ctx, tx, "MATCH (n:Entity {id: $id}) RETURN n", map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	n := recs[0].Values[0].(dbtype.Node)
	return &n, nil
}

// single runs a statement that returns one node; no row means the entity
// changed under the statement's guard (its version), a conflict.
func (s *Store) single(ctx context.Context, tx tx, cypher string, params map[string]any) (dbtype.Node, error) {
	res, err := s.db.run(ctx, tx, cypher, params)
	if err != nil {
		return dbtype.Node{}, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return dbtype.Node{}, err
	}
	if len(recs) != 1 {
		return dbtype.Node{}, cg.Errorf(cg.ECONFLICT, "%v changed while it was being written; read it again", params["id"])
	}
	n, _ := recs[0].Values[0].(dbtype.Node)
	return n, nil
}

// cite links entity id to the Source for src, creating the Source if needed.
func (s *Store) cite(ctx context.Context, tx tx, id string, src *cg.Provenance) error {
	if src == nil {
		return nil
	}
	if err := s.mergeSource(ctx, tx, src); err != nil {
		return err
	}
	_, err := s.db.run(ctx, tx, `
		MATCH (n:Entity {id: $id}), (s:Source {id: $source})
		MERGE (n)-[:SOURCED_FROM]->(s)`, map[string]any{"id": id, "source": sourceID(src)})
	return err
}

// mergeSource writes the Source of a passage unless it exists.
func (s *Store) mergeSource(ctx context.Context, tx tx, src *cg.Provenance) error {
	props := encode(&cg.Source{Document: src.Document, DocumentRef: src.DocumentRef, File: src.File, Passage: src.Passage})
	_, err := s.db.run(ctx, tx, `
		MERGE (s:Source {id: $id})
		ON CREATE SET s += $props, s:Entity, s.version = 1, s.recordedAt = datetime()`,
		map[string]any{"id": sourceID(src), "props": props})
	return err
}

// sourceID is the id of the Source of a document's passage: the same
// passage of the same document is always the same Source.
func sourceID(src *cg.Provenance) string {
	h := sha256.Sum256([]byte(src.Document + "\x00" + src.Passage))
	return "source:" + hex.EncodeToString(h[:12])
}
