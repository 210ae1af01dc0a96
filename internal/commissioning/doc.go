// Package commissioning is the domain of the commissioning knowledge graph:
// who provides which public service, under which contract, decided by whom,
// scrutinised where, integrated into which team, with what results.
//
// It defines the entities (one Go type per node label), the relationship
// types between them, provenance (Source), the store interfaces that the
// neo4j package implements and the error codes the GraphQL edge maps to
// clients. It imports neither the database driver nor gqlgen.
package commissioning
