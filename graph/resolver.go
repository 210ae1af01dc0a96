// Package graph is the GraphQL edge of the commissioning graph: resolvers
// that turn GraphQL fields into store calls, batched per request by loaders,
// and the error presenter that maps domain error codes to clients.
package graph

//go:generate go tool gqlgen generate

import (
	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// Resolver holds the dependencies of every resolver.
type Resolver struct {
	Store   cg.EntityStore
	Queries cg.QueryStore
	// CursorKey signs list cursors.
	CursorKey []byte
}
