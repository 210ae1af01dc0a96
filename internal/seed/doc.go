// Package seed holds the founding document of the graph, a London Borough of
// Bromley minute on the Child Sexual Exploitation (CSE) Recovery Service,
// and an analyst's review of it (reviewed.json): the facts no extraction
// rule should guess, each with the words of the minute it rests on, and the
// rules' claims that are wrong. The minute is written like any council
// document (internal/ingest): its passages become sources, the rules and
// the review propose claims, and accepting them writes the entities, each
// resting on the passage its words are in. What the minute does not say is
// left unset.
package seed
