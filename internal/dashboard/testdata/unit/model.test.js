import { test, eq, ok } from './unit.js';
import { TYPES } from '../dashboard/js/entities.js';
import {
  FIELDS, LABEL, STATUS, STATUS_COLOUR, STYLE, TYPE_ORDER, fieldName, label, styleOf, typeName,
} from '../dashboard/js/model.js';

test('label names every kind of node', () => {
  eq(label({ __typename: 'Service', shortName: 'CSE Recovery', name: 'Child Sexual Exploitation Recovery Service' }), 'CSE Recovery', 'a service by its short name');
  eq(label({ __typename: 'Service', shortName: null, name: 'Recovery Service' }), 'Recovery Service', 'a service without one');
  eq(label({ __typename: 'Report', reference: 'CSD17132' }), 'Report CSD17132', 'a report');
  eq(label({ __typename: 'Post', label: 'Portfolio Holder' }), 'Portfolio Holder', 'a post');
  eq(label({ __typename: 'Resolution', number: 3 }), 'Resolution 3', 'a resolution');
  eq(label({ __typename: 'Scrutiny', kind: 'call-in' }), 'Scrutiny (call-in)', 'a scrutiny');
  eq(label({ __typename: 'Inspection', inspectorate: 'Ofsted', kind: 'ILACS' }), 'Ofsted ILACS', 'an inspection');
  eq(label({ __typename: 'Metric', kind: 'childrenSupported' }), 'Metric: childrenSupported', 'a metric');
  eq(label({ __typename: 'Source', passage: 'The team was formed.' }), '“The team was formed.”', 'a source');
  eq(label({ __typename: 'Team', name: 'Atlas Team' }), 'Atlas Team', 'by name');
  eq(label({ __typename: 'Contract', title: 'CSE support' }), 'CSE support', 'by title');
  eq(label({ __typename: 'Meeting', id: 'meeting:x' }), 'meeting:x', 'by id at least');
});

test('typeName and fieldName are words', () => {
  eq(typeName('CommissioningIntention'), 'Commissioning intention', 'two words');
  eq(typeName('Team'), 'Team', 'one word');
  eq(typeName('AgendaItem'), 'Agenda item', 'agenda item');
  eq(fieldName('approvalDeadline'), 'Approval deadline', 'two words');
  eq(fieldName('costPerChild'), 'Cost per child', 'three words');
  eq(fieldName('name'), 'Name', 'one word');
});

test('every type is drawn, styled ones first, each once', () => {
  eq(styleOf('Team'), ['#0072B2', 'circle'], 'a styled type');
  eq(styleOf('NoSuchType'), ['#8c959f', 'circle'], 'a type without a style');
  eq(TYPE_ORDER.slice(0, 3), ['Service', 'Provider', 'Contract'], 'delivery first');
  eq(new Set(TYPE_ORDER).size, TYPE_ORDER.length, 'no type twice');
  for (const t of TYPES) ok(TYPE_ORDER.includes(t), `${t} is in the order`);
  for (const t of Object.keys(STYLE)) ok(TYPE_ORDER.indexOf(t) < Object.keys(STYLE).length, `${t} is among the styled ones`);
  // Within a family of one colour, no two types share a shape.
  const seen = new Set();
  for (const [t, [colour, shape]] of Object.entries(STYLE)) {
    ok(!seen.has(colour + shape), `${t} is told apart from the others of its colour`);
    seen.add(colour + shape);
  }
});

test('the Label fragment names every type by its naming fields', () => {
  ok(LABEL.includes('fragment Label on Node'), 'a fragment on Node');
  for (const t of TYPES) ok(LABEL.includes(`... on ${t} {`), `${t} is named`);
  ok(/\.\.\. on Team \{[^}]*\bname\b/.test(LABEL), 'a team by its name');
});

test('fields add what is computed to what is declared', () => {
  eq(FIELDS.Contract[FIELDS.Contract.length - 1], ['approvalDeadline', 'date'], "a contract's approval deadline");
  for (const t of Object.keys(FIELDS)) {
    for (const [name, kind] of FIELDS[t]) {
      ok(typeof name === 'string' && (kind === undefined || ['text', 'date', 'month', 'datetime', 'bool', 'number', 'money', 'list', 'code'].includes(kind)),
        `${t}.${name} is shown as a known kind (${kind})`);
    }
  }
});

test('every approval status has words and a colour', () => {
  eq(Object.keys(STATUS), Object.keys(STATUS_COLOUR), 'the same statuses');
  eq(STATUS.APPROVED_LATE, 'Approved late', 'in words');
});
