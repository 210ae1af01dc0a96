// Package neo4j implements the commissioning stores over a Neo4j server with
// neo4j-go-driver/v5. All Cypher of the project lives here. Values always
// travel as parameters; labels and relationship types, which Cypher cannot
// take as parameters, are spliced only after checking them against the
// domain's allowlists (commissioning.Labels and commissioning.RelEnds).
package neo4j
