// Package ocds reads Open Contracting Data Standard (OCDS 1.1) files and maps
// them to the commissioning graph: the buyer to an Authority, suppliers to
// Providers, awards and contracts (or, for a process that has neither yet,
// its tender) to Contracts, items that identify a social care or community
// service to a Service, and related prior, renewal and replacement processes
// to SUCCEEDS links. It reads release packages, record packages and bare
// records (with a compiledRelease, or with full releases).
//
// Ids are derived from the ocid and the OCDS ids, so importing a file twice
// yields the same graph, and the releases of one process are applied in
// date order, so a newer release updates what an older one said. Every node
// and relationship cites a Source naming the file and the JSON path of the
// object it comes from. A file that is not JSON, is truncated, has values of
// the wrong type, lacks an ocid or is larger than the limit is refused as a
// whole, with an error naming the file, the JSON path and the reason.
package ocds
