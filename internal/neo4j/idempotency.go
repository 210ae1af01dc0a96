package neo4j

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// An idempotency key is an :IdempotencyKey node (not an Entity, so no
// entity query sees it) with the principal's subject and the key hashed
// into its id, the hash of the request it was first used for, and what
// that request produced: the id of the entity it created or changed, or
// the ends of the link. It is written in the transaction of the change, so
// the two commit together or not at all. Keys older than keyLifetime are
// removed by Sweep.

// claim is the first statement of a write made under an idempotency key.
// MERGE locks the key, so a concurrent retry with the same key waits for
// this transaction and then finds what it stored. A nil key means there is
// no key; a key with done set was used before, and the caller answers from
// it instead of writing.
type claim struct {
	id       string
	done     bool
	resultID string
	toID     string
}

func (s *Store) claim(ctx context.Context, tx tx, by cg.Principal, op cg.ChangeOperation, request ...any) (*claim, error) {
	key := cg.IdempotencyKeyFrom(ctx)
	if key == "" {
		return nil, nil
	}
	h := sha256.Sum256([]byte(by.Subject + "\x00" + key))
	id := "idem:" + hex.EncodeToString(h[:])
	body, err := json.Marshal(append([]any{op}, request...))
	if err != nil {
		return nil, fmt.Errorf("idempotency key: %w", err)
	}
	rh := sha256.Sum256(body)
	hash := hex.EncodeToString(rh[:])
	res, err := s.db.run(ctx, tx, `
		MERGE (k:IdempotencyKey {id: $id})
		ON CREATE SET k.at = datetime(), k.request = $hash, k.fresh = true
		WITH k, k.fresh IS NOT NULL AS fresh
		REMOVE k.fresh
		RETURN fresh, k.request, k.resultId, k.toId`, map[string]any{"id": id, "hash": hash})
	if err != nil {
		return nil, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return nil, err
	}
	c := &claim{id: id}
	if fresh, _ := rec.Values[0].(bool); fresh {
		return c, nil
	}
	if stored, _ := rec.Values[1].(string); stored != hash {
		return nil, cg.Errorf(cg.ECONFLICT, "this Idempotency-Key was used for a different request; use a new key for a new request")
	}
	c.done = true
	c.resultID, _ = rec.Values[2].(string)
	c.toID, _ = rec.Values[3].(string)
	return c, nil
}

// settle stores what the write under c produced.
func (s *Store) settle(ctx context.Context, tx tx, c *claim, resultID, toID string) error {
	if c == nil {
		return nil
	}
	_, err := s.db.run(ctx, tx, `
		MATCH (k:IdempotencyKey {id: $id})
		SET k.resultId = $result, k.toId = $to`, map[string]any{"id": c.id, "result": resultID, "to": toID})
	return err
}

// replayed returns the entity a request under a used key created or
// changed, as it is now.
func (s *Store) replayed(ctx context.Context, tx tx, c *claim) (cg.Entity, error) {
	n, err := s.node(ctx, tx, c.resultID)
	if err != nil {
		return nil, err
	}
	if n == nil {
		return nil, cg.Errorf(cg.ENOTFOUND, "the request with this Idempotency-Key was made, but %s has since been deleted", c.resultID)
	}
	return decode(*n)
}
