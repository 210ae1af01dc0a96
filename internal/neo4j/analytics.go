package neo4j

import (
	"context"
	"fmt"
	"reflect"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// deadlineColumns gathers, for each contract c, what judging its approval
// needs; each COLLECT takes at most one, so rows never multiply.
const deadlineColumns = `
	WITH c,
		COLLECT { MATCH (c)-[:BOUGHT_BY]->(x:Authority) RETURN x ORDER BY x.id LIMIT 1 }[0] AS buyer,
		COLLECT { MATCH (c)-[:FOR_SERVICE]->(x:Service) RETURN x ORDER BY x.id LIMIT 1 }[0] AS service,
		COLLECT { MATCH (x:Provider)-[:HOLDS_CONTRACT]->(c) RETURN x ORDER BY x.id LIMIT 1 }[0] AS provider,
		COLLECT { MATCH (x:Contract)-[:SUCCEEDS]->(c) RETURN x ORDER BY x.id LIMIT 1 }[0] AS successor
	WITH c, buyer, service, provider, successor,
		COLLECT { MATCH (buyer)-[:HAS_RULE]->(x:Rule {kind: $ruleKind}) RETURN x ORDER BY x.id LIMIT 1 }[0] AS rule,
		COLLECT { MATCH (x:Decision)-[:AWARDS]->(successor) RETURN x ORDER BY x.date, x.id LIMIT 1 }[0] AS decision
	RETURN c, buyer, service, provider, successor, rule, decision
	ORDER BY c.endDate, c.id`

// FindEndingContracts returns contracts ending within the filter's window.
func (s *Store) FindEndingContracts(ctx context.Context, f cg.EndingFilter) ([]*cg.ContractDeadline, error) {
	if f.Months < 0 || f.Months > 120 {
		return nil, cg.Errorf(cg.EINVALID, "months must be between 0 and 120, not %d", f.Months)
	}
	to := f.From.Time().AddDate(0, f.Months, 0)
	return s.deadlines(ctx, `
		MATCH (c:Contract)
		WHERE c.endDate >= $from AND c.endDate <= $to
		  AND ($authority = '' OR EXISTS { (c)-[:BOUGHT_BY]->(:Authority {id: $authority}) })
		  AND ($serviceType = '' OR EXISTS { (c)-[:FOR_SERVICE]->(:Service {serviceType: $serviceType}) })`,
		map[string]any{
			"from": neo4j.Date(f.From.Time()), "to": neo4j.Date(to),
			"authority": f.AuthorityID, "serviceType": f.ServiceType,
		})
}

// FindSucceededContracts returns every contract that has a successor.
func (s *Store) FindSucceededContracts(ctx context.Context, authorityID string) ([]*cg.ContractDeadline, error) {
	return s.deadlines(ctx, `
		MATCH (c:Contract)<-[:SUCCEEDS]-(:Contract)
		WHERE $authority = '' OR EXISTS { (c)-[:BOUGHT_BY]->(:Authority {id: $authority}) }
		WITH DISTINCT c`,
		map[string]any{"authority": authorityID})
}

func (s *Store) deadlines(ctx context.Context, match string, params map[string]any) ([]*cg.ContractDeadline, error) {
	params["ruleKind"] = cg.RuleApprovalBeforeEnd
	res, err := s.db.read(ctx, match+deadlineColumns, params)
	if err != nil {
		return nil, fmt.Errorf("contract deadlines: %w", err)
	}
	out := make([]*cg.ContractDeadline, 0, len(res.Records))
	for _, rec := range res.Records {
		var d cg.ContractDeadline
		if err := decodeInto(rec.Values, &d.Contract, &d.Buyer, &d.Service, &d.Provider, &d.Successor, &d.Rule, &d.Decision); err != nil {
			return nil, fmt.Errorf("contract deadlines: %w", err)
		}
		out = append(out, &d)
	}
	return out, nil
}

// FindDeliveryRows returns one row per service of the given type.
func (s *Store) FindDeliveryRows(ctx context.Context, serviceType string) ([]*cg.DeliveryRow, error) {
	res, err := s.db.read(ctx, `
		MATCH (s:Service {serviceType: $type})
		WITH s,
			COLLECT { MATCH (s)-[:COMMISSIONED_BY]->(x:Authority) RETURN x ORDER BY x.id LIMIT 1 }[0] AS authority,
			COLLECT { MATCH (s)-[:INTEGRATED_INTO]->(x:Team) RETURN x ORDER BY x.id LIMIT 1 }[0] AS team,
			COLLECT { MATCH (x:Contract)-[:FOR_SERVICE]->(s)
			          RETURN x ORDER BY x.endDate IS NULL, x.endDate DESC, x.id LIMIT 1 }[0] AS contract,
			COLLECT { MATCH (x:Metric {kind: 'CHILDREN_SUPPORTED'})-[:MEASURES]->(s)
			          RETURN x.value ORDER BY x.observedAt IS NULL, x.observedAt DESC, x.id LIMIT 1 }[0] AS children,
			COLLECT { MATCH (x:Metric {kind: 'WAITING_LIST'})-[:MEASURES]->(s)
			          RETURN x.value ORDER BY x.observedAt IS NULL, x.observedAt DESC, x.id LIMIT 1 }[0] AS waiting,
			COLLECT { MATCH (x:Inspection)-[:INSPECTED]->(s)
			          RETURN x ORDER BY x.date IS NULL, x.date DESC, x.id LIMIT 1 }[0] AS inspection
		WHERE authority IS NOT NULL
		WITH s, authority, team, contract, children, waiting, inspection,
			COLLECT { MATCH (x:Provider)-[:HOLDS_CONTRACT]->(contract) RETURN x ORDER BY x.id LIMIT 1 }[0] AS provider
		RETURN s, authority, team, contract, provider, inspection, children, waiting
		ORDER BY authority.name, s.id`, map[string]any{"type": serviceType})
	if err != nil {
		return nil, fmt.Errorf("delivery rows: %w", err)
	}
	out := make([]*cg.DeliveryRow, 0, len(res.Records))
	for _, rec := range res.Records {
		var r cg.DeliveryRow
		if err := decodeInto(rec.Values[:6], &r.Service, &r.Authority, &r.Team, &r.Contract, &r.Provider, &r.Inspection); err != nil {
			return nil, fmt.Errorf("delivery rows: %w", err)
		}
		r.Children, r.Waiting = number(rec.Values[6]), number(rec.Values[7])
		out = append(out, &r)
	}
	return out, nil
}

// decodeInto decodes each value, a node or null, into the entity pointer
// at the same position of dst.
func decodeInto(values []any, dst ...any) error {
	for i, v := range values {
		n, ok := v.(dbtype.Node)
		if !ok {
			continue // null: unknown
		}
		e, err := decode(n)
		if err != nil {
			return err
		}
		target, value := reflect.ValueOf(dst[i]).Elem(), reflect.ValueOf(e)
		if !value.Type().AssignableTo(target.Type()) {
			return fmt.Errorf("column %d: unexpected %T", i, e)
		}
		target.Set(value)
	}
	return nil
}

func number(v any) *float64 {
	switch x := v.(type) {
	case float64:
		return &x
	case int64:
		f := float64(x)
		return &f
	}
	return nil
}
