// Package graph is the GraphQL edge of the commissioning graph: resolvers
// that turn GraphQL fields into store calls, batched per request by loaders,
// and the error presenter that maps domain error codes to clients.
package graph

//go:generate go run ../cmd/cgraphgen

import (
	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// Store is everything the resolvers need of the database: reads, writes
// and the audit trail.
type Store interface {
	cg.EntityStore
	cg.QueryStore
	cg.EntityWriter
	cg.BatchWriter
	cg.ChangeStore
	cg.DocumentStore
	cg.EntityMerger
}

// Resolver holds the dependencies of every resolver.
type Resolver struct {
	Store Store
	// CursorKey signs list cursors.
	CursorKey []byte
	// ImportMaxBytes bounds the OCDS document importOcds accepts.
	ImportMaxBytes int64
	// IngestMaxBytes bounds the document ingestDocument accepts.
	IngestMaxBytes int64
}
