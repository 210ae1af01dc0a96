// Package dashboard serves the commissioning managers' dashboard: static
// HTML, CSS and JavaScript modules embedded in the binary. The page reads
// data only through the public GraphQL endpoint, so the same files work when
// served from another origin that CORS allows.
package dashboard
