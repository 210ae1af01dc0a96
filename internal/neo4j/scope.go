package neo4j

import (
	"context"
	"fmt"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// belongsCypher is the domain's authority rule (commissioning.BelongsUp) as
// a quantified path: from an entity, up to MaxBelongsSteps ownership steps,
// each forwards along a BelongsUp type or backwards along a BelongsDown
// type, to an Authority. Zero steps means the entity is the Authority.
var belongsCypher = fmt.Sprintf(`(n) ((x)-[r]-(y) WHERE (type(r) IN $up AND startNode(r) = x) OR (type(r) IN $down AND endNode(r) = x)){0,%d}`,
	cg.MaxBelongsSteps)

// authorize checks, inside the transaction about to write, that by may
// change each of the entities ids: admins anything; editors what belongs to
// their authority or to no authority at all (shared entities).
func (s *Store) authorize(ctx context.Context, tx tx, by cg.Principal, ids ...string) error {
	if by.Role == cg.RoleAdmin || len(ids) == 0 {
		return nil
	}
	res, err := s.db.run(ctx, tx, `
		UNWIND $ids AS id
		MATCH (n:Entity {id: id})
		WITH id, n
		WHERE NOT EXISTS { MATCH `+belongsCypher+` (:Authority {id: $authority}) }
		  AND EXISTS { MATCH `+belongsCypher+` (:Authority) }
		RETURN id LIMIT 1`, map[string]any{
		"ids": ids, "authority": by.Authority, "up": relNames(cg.BelongsUp()), "down": relNames(cg.BelongsDown()),
	})
	if err != nil {
		return err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return err
	}
	if len(recs) > 0 {
		return cg.Errorf(cg.EFORBIDDEN, "%v belongs to another authority than %s, so %s may not change it",
			recs[0].Values[0], by.Authority, by.Subject)
	}
	return nil
}

func relNames(types []cg.RelType) []string {
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = string(t)
	}
	return out
}
