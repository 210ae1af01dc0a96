// What the dashboard knows of the schema: how to name any entity, which
// fields each type has and how to show them, and how each type is drawn.

import { FIELDS as DECLARED, NAMING, TYPES } from './entities.js';

/**
 * A fragment that selects enough of any node to name it: the naming fields
 * declared for each type. Only fields of one shape share a response name,
 * as GraphQL requires across types.
 */
export const LABEL = `
fragment Label on Node {
  id
  __typename
  synthetic
${TYPES.map((t) => `  ... on ${t} { ${NAMING[t].join(' ')} }`).join('\n')}
}`;

/** A short name for a node selected with the Label fragment. */
export function label(n) {
  switch (n.__typename) {
    case 'Service': return n.shortName || n.name;
    case 'Report': return `Report ${n.reference}`;
    case 'Post': return n.label;
    case 'Resolution': return `Resolution ${n.number}`;
    case 'Scrutiny': return `Scrutiny (${n.kind})`;
    case 'Inspection': return `${n.inspectorate} ${n.kind}`;
    case 'Metric': return `Metric: ${n.kind}`;
    case 'Source': return `“${n.passage}”`;
    default: return n.name || n.title || n.id;
  }
}

/** CommissioningIntention as "Commissioning intention". */
export function typeName(typename) {
  const s = typename.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The scalar fields of each type, in reading order, with how to show them:
 * text (default), date, month (2017-01), datetime, bool, number, money, list.
 * The stored ones are declared with the type (entities.js); the computed
 * ones are added here.
 */
export const FIELDS = {
  ...DECLARED,
  Contract: [...DECLARED.Contract, ['approvalDeadline', 'date']],
};

/** approvalDeadline as "Approval deadline". */
export function fieldName(field) {
  const s = field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// Colour by family (Okabe–Ito, safe for colour-blind readers), shape by type
// within a family, so that every type is told apart by one or the other.
const ORG = '#0072B2', DELIVERY = '#E69F00', GOVERNANCE = '#CC79A7', PEOPLE = '#009E73',
  RESULTS = '#D55E00', PLANS = '#56B4E9', SOURCES = '#8c959f';

/** How each type is drawn: fill colour and shape. */
export const STYLE = {
  Service: [DELIVERY, 'circle'],
  Provider: [DELIVERY, 'diamond'],
  Contract: [DELIVERY, 'square'],
  Authority: [ORG, 'hexagon'],
  Department: [ORG, 'square'],
  Team: [ORG, 'circle'],
  Committee: [ORG, 'triangle'],
  Meeting: [GOVERNANCE, 'hexagon'],
  AgendaItem: [GOVERNANCE, 'triangle'],
  Report: [GOVERNANCE, 'square'],
  Decision: [GOVERNANCE, 'diamond'],
  Resolution: [GOVERNANCE, 'circle'],
  Scrutiny: [GOVERNANCE, 'chevron'],
  Person: [PEOPLE, 'circle'],
  Post: [PEOPLE, 'square'],
  Inspection: [RESULTS, 'diamond'],
  Review: [RESULTS, 'square'],
  Metric: [RESULTS, 'circle'],
  Rule: [PLANS, 'square'],
  CommissioningIntention: [PLANS, 'diamond'],
  Source: [SOURCES, 'circle'],
};

/** How a type without a style of its own is drawn. */
const PLAIN = [SOURCES, 'circle'];

/** How type t is drawn: fill colour and shape. */
export function styleOf(t) {
  return STYLE[t] || PLAIN;
}

/** The order types are listed and laid out in: the styled ones, then the rest. */
export const TYPE_ORDER = [...Object.keys(STYLE), ...TYPES.filter((t) => !STYLE[t])];

/** The approval statuses of endingContracts, in words. */
export const STATUS = {
  APPROVED_IN_TIME: 'Approved in time',
  APPROVED_LATE: 'Approved late',
  NOT_YET_APPROVED: 'Not yet approved',
  UNKNOWN: 'Not known (a date is missing)',
};

/** The colour of each approval status (the same as the CSS). */
export const STATUS_COLOUR = {
  APPROVED_IN_TIME: '#007a5a',
  APPROVED_LATE: '#c84200',
  NOT_YET_APPROVED: '#b57900',
  UNKNOWN: '#6e7781',
};
