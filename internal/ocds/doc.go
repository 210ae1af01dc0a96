// Package ocds reads Open Contracting Data Standard (OCDS 1.1) files as
// publishers write them and maps them to the commissioning graph: the buyer
// (or the party with role buyer, or the procuring entity) to an Authority,
// suppliers to Providers, one Contract per award (or, for a process that
// has neither award nor contract yet, its tender), items that identify a
// social care or community service (CPV, DK021, UNSPSC, GSIN) to a
// Service, and related prior, renewal and replacement processes to
// SUCCEEDS links. It reads release packages, record packages and bare
// records (with a compiledRelease, or with full releases).
//
// Dates take any RFC 3339 offset, blank strings are absent and fields
// outside OCDS 1.1 of another shape are ignored. The releases of one
// process apply by the OCDS merge rules (by date, then release id), and
// every node carries a release key so that the store keeps the newest
// statement whatever order files are imported in. Organisations are keyed
// by their org-id, else by their normalised name within a country, with
// publishers' ids kept as aliases. Every node and relationship cites a
// Source keyed by publisher, ocid, release and JSON path, whose passage
// says in words what the release states.
//
// Every problem of a file is found in one run and reported with the file,
// the JSON path and the reason; by default any problem refuses the file,
// and with Options.SkipInvalid the processes that have problems are left
// out and listed.
package ocds
