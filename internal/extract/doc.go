// Package extract proposes the facts a council document states (decision,
// contracts, people and posts, committees, metrics, inspections, reviews) in
// the exchange format of EXTRACTION.md, each with the exact words it rests
// on. Rules are deterministic and conservative: where a document offers two
// candidates for one fact, the fact is left out rather than guessed.
//
// The package also scores extracted facts against a labelled set (Eval).
package extract
