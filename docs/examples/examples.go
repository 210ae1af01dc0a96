// Package examples embeds the README's example queries, so that GraphiQL
// can offer them and tests can run them from one set of files.
package examples

import "embed"

// Files holds the example queries, one *.graphql file each, named in the
// order the README shows them.
//
//go:embed *.graphql
var Files embed.FS
