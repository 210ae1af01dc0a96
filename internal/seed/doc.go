// Package seed holds the founding document of the graph, a London Borough of
// Bromley minute on the Child Sexual Exploitation (CSE) Recovery Service, and
// the graph of its facts. Every node and edge cites the exact sentence of the
// minute it rests on; what the minute does not say is left unset.
package seed
