// Choices for the filters: authorities and the types of service, read from
// the authorities and services connections.
import { query } from './api.js';

const CHOICES = `{
  authorities(first: 500, orderBy: {field: NAME}) { edges { node { id name synthetic } } }
  services(first: 500, orderBy: {field: SERVICE_TYPE}) { edges { node { serviceType } } }
}`;

let cached = null;

/** Authorities ({id, name, synthetic}, by name) and service types (sorted). */
export async function choices() {
  if (!cached) {
    cached = query(CHOICES).then((d) => ({
      authorities: d.authorities.edges.map((e) => e.node),
      serviceTypes: [...new Set(d.services.edges.map((e) => e.node.serviceType).filter(Boolean))].sort(),
    }));
    cached.catch(() => { cached = null; });
  }
  return cached;
}
