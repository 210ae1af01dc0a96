package graph

import (
	"context"
	"strings"

	"github.com/commissioning-graph/cgraph/graph/model"
	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// Bounds of the exploration fields.
const (
	MaxSearchHits    = 100
	MaxNeighbourhood = 1000
	MaxPaths         = 20
)

func search(ctx context.Context, q cg.QueryStore, text string, types []model.EntityType, first *int) ([]*cg.SearchHit, error) {
	n, err := bounded("first", first, 20, MaxSearchHits)
	if err != nil {
		return nil, err
	}
	labels := make([]cg.Label, len(types))
	for i, t := range types {
		labels[i] = entityTypeLabel(t)
	}
	hits, err := q.Search(ctx, text, labels, n)
	return pointers(hits), err
}

// entityTypeLabel turns an EntityType such as AGENDA_ITEM into the label AgendaItem.
func entityTypeLabel(t model.EntityType) cg.Label {
	c := camel(string(t))
	return cg.Label(strings.ToUpper(c[:1]) + c[1:])
}

func neighbourhood(ctx context.Context, q cg.QueryStore, id string, depth *int, types []cg.RelType, limit *int) (*cg.Subgraph, error) {
	n, err := bounded("limit", limit, 200, MaxNeighbourhood)
	if err != nil {
		return nil, err
	}
	return q.Neighbourhood(ctx, id, deref(depth, 1), types, n)
}

func paths(ctx context.Context, q cg.QueryStore, from, to string, maxHops, first *int) ([]*cg.Path, error) {
	n, err := bounded("first", first, 5, MaxPaths)
	if err != nil {
		return nil, err
	}
	found, err := q.ShortestPaths(ctx, from, to, deref(maxHops, 4), n)
	return pointers(found), err
}

func deliveryComparison(ctx context.Context, q cg.QueryStore, serviceType string, sortBy *model.DeliveryColumn, desc *bool, groupBy *model.DeliveryColumn, synthetic *bool) (*model.DeliveryComparison, error) {
	all, err := q.FindDeliveryRows(ctx, serviceType)
	if err != nil {
		return nil, err
	}
	rows := all[:0]
	for _, r := range all {
		if synthetic == nil || r.Service.Synthetic == *synthetic {
			rows = append(rows, r)
		}
	}
	key := cg.KeyAuthority
	if sortBy != nil {
		key = cg.DeliveryKey(*sortBy)
	}
	cg.SortDeliveryRows(rows, key, desc != nil && *desc)
	out := &model.DeliveryComparison{ServiceType: serviceType, Rows: rows, Groups: []*cg.DeliveryGroup{}, Caveat: cg.ComparisonCaveat}
	if groupBy != nil {
		out.Groups = cg.GroupDeliveryRows(rows, cg.DeliveryKey(*groupBy))
	}
	return out, nil
}

func endingContracts(ctx context.Context, q cg.QueryStore, from cg.Date, months int, authority, serviceType *string) ([]*cg.ContractDeadline, error) {
	return q.FindEndingContracts(ctx, cg.EndingFilter{
		From: from, Months: months, AuthorityID: deref(authority, ""), ServiceType: deref(serviceType, ""),
	})
}

func approvalBreaches(ctx context.Context, q cg.QueryStore, authority *string) ([]*cg.ContractDeadline, error) {
	all, err := q.FindSucceededContracts(ctx, deref(authority, ""))
	if err != nil {
		return nil, err
	}
	return cg.LateApprovals(all), nil
}

// bounded returns the value of an optional count argument, or def, after
// checking that it lies between 1 and most.
func bounded(name string, p *int, def, most int) (int, error) {
	n := deref(p, def)
	if n < 1 || n > most {
		return 0, cg.Errorf(cg.EINVALID, "%s must be between 1 and %d, not %d", name, most, n)
	}
	return n, nil
}

// pointers returns pointers to the elements of s, as gqlgen's list fields
// of objects want them.
func pointers[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}
