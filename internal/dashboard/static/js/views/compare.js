// Compare delivery models: how each authority delivers one type of service,
// as a table sorted by the API (click a heading) and a bar chart.
import { add, h } from '../dom.js';
import { query } from '../api.js';
import { choices } from '../choices.js';
import { go, href } from '../router.js';
import { money, num, text, words } from '../format.js';
import { LABEL } from '../model.js';
import { loading, empty, errorBox, entityLink, title, syntheticBadge } from '../ui.js';
import { barChart, barLegend, palette } from '../barchart.js';

const COMPARE = `query Compare($serviceType: String!, $sortBy: DeliveryColumn, $descending: Boolean, $groupBy: DeliveryColumn, $synthetic: Boolean) {
  deliveryComparison(serviceType: $serviceType, sortBy: $sortBy, descending: $descending, groupBy: $groupBy, synthetic: $synthetic) {
    serviceType
    caveat
    rows { ...Row }
    groups { key count averageCostPerChild averageChildrenSupported averageWaitingList rows { authority { id } } }
  }
}
fragment Row on DeliveryRow {
  authority { ...Label }
  service { ...Label }
  deliveryModel
  contract { ...Label currency }
  provider { ...Label }
  procurementRoute
  contractMonths
  contractValue
  annualValue
  childrenSupported
  waitingList
  costPerChild
  latestInspection { ...Label }
  latestInspectionFinding
  team { ...Label }
}
${LABEL}`;

// The table's columns: the DeliveryColumn each sorts by, and its cell.
const COLUMNS = [
  ['AUTHORITY', 'Authority', (r) => [entityLink(r.authority), r.service ? [h('br'), h('span', { class: 'note' }, entityLink(r.service))] : null]],
  ['DELIVERY_MODEL', 'Delivery model', (r) => words(r.deliveryModel)],
  ['PROVIDER', 'Provider', (r) => (r.provider ? entityLink(r.provider) : text(null))],
  ['PROCUREMENT_ROUTE', 'Procurement route', (r) => words(r.procurementRoute)],
  ['CONTRACT_MONTHS', 'Contract months', (r) => num(r.contractMonths), 'num'],
  ['CONTRACT_VALUE', 'Contract value', (r) => [money(r.contractValue, r.contract?.currency),
    r.annualValue != null ? [h('br'), h('span', { class: 'note' }, money(r.annualValue, r.contract?.currency), ' a year')] : null], 'num'],
  ['CHILDREN_SUPPORTED', 'Children supported', (r) => num(r.childrenSupported), 'num'],
  ['WAITING_LIST', 'Waiting list', (r) => num(r.waitingList), 'num'],
  ['COST_PER_CHILD', 'Cost per child', (r) => money(r.costPerChild, r.contract?.currency), 'num'],
  ['INSPECTION_FINDING', 'Latest inspection finding', (r) => text(r.latestInspectionFinding)],
  ['TEAM', 'Team', (r) => (r.team ? entityLink(r.team) : text(null))],
];

// What the chart can show: the row's value and, when grouped, the group's average.
const MEASURES = {
  costPerChild: { words: 'Cost per child (annual value ÷ children supported)', row: (r) => r.costPerChild, group: (g) => g.averageCostPerChild, format: (v) => money(v) },
  childrenSupported: { words: 'Children supported', row: (r) => r.childrenSupported, group: (g) => g.averageChildrenSupported, format: (v) => num(v, 1) },
  waitingList: { words: 'Waiting list', row: (r) => r.waitingList, group: (g) => g.averageWaitingList, format: (v) => num(v, 1) },
};

const DEFAULT_TYPE = 'CSE_SUPPORT';

/** Renders the view into section. */
export async function render(section, { params }) {
  const sortBy = COLUMNS.some(([c]) => c === params.sortBy) ? params.sortBy : 'AUTHORITY';
  const groupBy = COLUMNS.some(([c]) => c === params.groupBy) ? params.groupBy : null;
  const descending = params.desc === '1';
  const measure = MEASURES[params.measure] ? params.measure : 'costPerChild';
  const serviceType = params.serviceType || DEFAULT_TYPE;
  // Which authorities: every one, real ones only (false) or generated ones only (true).
  const synthetic = params.synthetic === 'true' ? true : params.synthetic === 'false' ? false : null;
  const state = { serviceType, sortBy, desc: descending ? '1' : '', groupBy, measure, synthetic: synthetic === null ? '' : String(synthetic) };

  add(section, title('Compare delivery models'),
    h('p', { class: 'lede' }, 'How each authority delivers one type of service: by whom, under what contract, for how many ',
      'children, at what cost, and what inspectors found.'));
  const status = loading('the comparison');
  add(section, status);
  const [opts, data] = await Promise.allSettled([choices(), query(COMPARE, { serviceType, sortBy, descending, groupBy, synthetic })]);
  status.remove();
  add(section, form(state, opts.status === 'fulfilled' ? opts.value.serviceTypes : [serviceType]));
  if (opts.status === 'rejected') add(section, errorBox(opts.reason, 'load the service types'));
  if (data.status === 'rejected') {
    add(section, errorBox(data.reason, `compare ${serviceType}`));
    return;
  }
  const c = data.value.deliveryComparison;
  add(section, h('p', { class: 'caveat', id: 'caveat' }, h('strong', {}, 'Read with care: '), c.caveat));
  if (c.rows.length === 0) {
    add(section, empty(`No ${synthetic === true ? 'synthetic ' : synthetic === false ? 'real ' : ''}authority in the graph delivers a service of type ${serviceType}.`));
    return;
  }
  const m = MEASURES[measure];
  const colours = palette(c.rows.map((r) => r.deliveryModel));
  const bars = groupBy
    ? c.groups.map((g) => ({ label: `${words(g.key)} (${g.count})`, value: m.group(g), category: groupCategory(g, c.rows), synthetic: false }))
    : c.rows.map((r) => ({ label: r.authority.name, value: m.row(r), category: r.deliveryModel, synthetic: r.authority.synthetic || r.service.synthetic }));
  const chartTitle = groupBy
    ? `${m.words}: average by ${columnWords(groupBy).toLowerCase()}`
    : `${m.words} by authority`;
  add(section, 
    h('h2', {}, chartTitle),
    barLegend(colours, (k) => words(k)),
    bars.some((b) => b.value !== null && b.value !== undefined)
      ? h('div', { class: 'panel' }, barChart(bars, { title: chartTitle, format: m.format, colours }))
      : empty(`No ${m.words.toLowerCase()} is known${groupBy ? ' for any group' : ' for any authority'}: the sources do not say, so there is nothing to draw.`),
    h('h2', {}, `${c.rows.length} authorit${c.rows.length === 1 ? 'y' : 'ies'} delivering ${c.serviceType}`),
    c.rows.some((r) => r.authority.synthetic || r.service.synthetic)
      ? h('p', { class: 'note' }, 'Rows marked ', syntheticBadge(), ' are generated data, not real authorities.') : null,
    table(c.rows, state),
    groupBy ? groups(c.groups, groupBy) : null);
}

// A group's bars take the colour of its delivery model when it has one.
function groupCategory(g, rows) {
  const ids = new Set(g.rows.map((r) => r.authority.id));
  const models = [...new Set(rows.filter((r) => ids.has(r.authority.id)).map((r) => r.deliveryModel))];
  return models.length === 1 ? models[0] : 'MIXED';
}

function columnWords(column) {
  return COLUMNS.find(([c]) => c === column)[1];
}

function form(state, types) {
  const onsubmit = (e) => {
    e.preventDefault();
    const d = Object.fromEntries(new FormData(e.target));
    go(href('compare', { ...state, ...d }));
  };
  return h('form', { class: 'panel filters', onsubmit, 'aria-label': 'What to compare' },
    h('label', {}, 'Service type', h('select', { name: 'serviceType' },
      (types.includes(state.serviceType) ? types : [state.serviceType, ...types])
        .map((t) => h('option', { value: t, selected: t === state.serviceType }, t)))),
    h('label', {}, 'Authorities', h('select', { name: 'synthetic' },
      [['', 'Real and synthetic'], ['false', 'Real only'], ['true', 'Synthetic only']]
        .map(([v, w]) => h('option', { value: v, selected: v === state.synthetic }, w)))),
    h('label', {}, 'Group by', h('select', { name: 'groupBy' },
      h('option', { value: '' }, 'No grouping'),
      COLUMNS.map(([c, w]) => h('option', { value: c, selected: c === state.groupBy }, w)))),
    h('label', {}, 'Chart', h('select', { name: 'measure' },
      Object.entries(MEASURES).map(([k, m]) => h('option', { value: k, selected: k === state.measure }, m.words)))),
    h('button', { type: 'submit' }, 'Compare'));
}

function table(rows, state) {
  const sortButton = (column, words) => {
    const next = state.sortBy === column && !state.desc ? '1' : '';
    return h('button', {
      type: 'button', class: 'sort', id: `sort-${column}`,
      onclick: () => go(href('compare', { ...state, sortBy: column, desc: next })),
    }, words, h('span', { class: 'visually-hidden' }, state.sortBy === column ? (state.desc ? ', sorted descending' : ', sorted ascending') : ', sort'));
  };
  return h('div', { class: 'table-wrap' }, h('table', { id: 'comparison' },
    h('caption', { class: 'visually-hidden' }, 'Delivery of the service by authority; column headings sort the table'),
    h('thead', {}, h('tr', {}, COLUMNS.map(([column, words, , cls]) => h('th', {
      scope: 'col', class: cls,
      'aria-sort': state.sortBy === column ? (state.desc ? 'descending' : 'ascending') : null,
    }, sortButton(column, words))))),
    h('tbody', {}, rows.map((r) => h('tr', {
      'data-authority': r.authority.id, class: r.authority.synthetic || r.service.synthetic ? 'synthetic' : null,
    }, COLUMNS.map(([, , cell, cls]) => h('td', { class: cls }, cell(r))))))));
}

function groups(list, groupBy) {
  return [
    h('h2', {}, `Grouped by ${columnWords(groupBy).toLowerCase()}`),
    h('div', { class: 'table-wrap' }, h('table', { id: 'groups' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, columnWords(groupBy)), h('th', { scope: 'col', class: 'num' }, 'Authorities'),
        h('th', { scope: 'col', class: 'num' }, 'Average cost per child'),
        h('th', { scope: 'col', class: 'num' }, 'Average children supported'),
        h('th', { scope: 'col', class: 'num' }, 'Average waiting list'))),
      h('tbody', {}, list.map((g) => h('tr', {},
        h('td', {}, words(g.key)), h('td', { class: 'num' }, num(g.count)),
        h('td', { class: 'num' }, money(g.averageCostPerChild)),
        h('td', { class: 'num' }, num(g.averageChildrenSupported, 1)),
        h('td', { class: 'num' }, num(g.averageWaitingList, 1))))))),
  ];
}
