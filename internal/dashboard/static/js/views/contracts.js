// Contracts needing a decision: contracts ending in a window, with the date
// by which what follows each needed approval under the buyer's rule.
import { add, h } from '../dom.js';
import { query } from '../api.js';
import { choices } from '../choices.js';
import { go, href } from '../router.js';
import { addMonths, date, dateText, parseDate, unknown } from '../format.js';
import { LABEL, STATUS } from '../model.js';
import { loading, empty, errorBox, entityLink, title } from '../ui.js';
import { timeline, legend } from '../timeline.js';

// The seed's contracts end in September 2017 and 2018: the default window
// shows both, and the existing contract's deadline of 31 March 2017.
const DEFAULT_FROM = '2017-01-01';
const DEFAULT_MONTHS = 24;

const ENDING = `query Ending($from: Date!, $months: Int!, $authority: ID, $serviceType: String) {
  endingContracts(from: $from, months: $months, authority: $authority, serviceType: $serviceType) {
    contract { ...Label startDate endDate }
    endDate
    approvalDeadline
    status
    daysLate
    approvedOn
    successor { ...Label startDate endDate }
    approvalDecision { ...Label }
    rule { ...Label monthsBeforeEnd }
    buyer { ...Label }
    service { ...Label }
    provider { ...Label }
  }
}
${LABEL}`;

/** Reads the window and filters from the address, with defaults. */
function filters(params) {
  const months = Number.parseInt(params.months, 10);
  return {
    from: parseDate(params.from) ? params.from : DEFAULT_FROM,
    months: months >= 1 && months <= 120 ? months : DEFAULT_MONTHS,
    authority: params.authority || null,
    serviceType: params.serviceType || null,
  };
}

/** Renders the view into section. */
export async function render(section, { params }) {
  const f = filters(params);
  add(section, 
    title('Contracts needing a decision'),
    h('p', { class: 'lede' },
      'Contracts ending in the window, soonest first, each with the date by which the contract to follow it needed ',
      'Member approval under the buyer’s rule, and whether that approval came in time.'));
  const status = loading('contracts');
  add(section, status);

  const [opts, data] = await Promise.allSettled([choices(), query(ENDING, f)]);
  status.remove();
  add(section, form(f, opts.status === 'fulfilled' ? opts.value : null));
  if (opts.status === 'rejected') add(section, errorBox(opts.reason, 'load the authorities and service types'));
  if (data.status === 'rejected') {
    add(section, errorBox(data.reason, 'load the contracts'));
    return;
  }
  const rows = data.value.endingContracts;
  const to = addMonths(f.from, f.months);
  if (rows.length === 0) {
    add(section, empty(`No contracts end between ${dateText(f.from)} and ${dateText(to)} for these filters.`));
    return;
  }
  add(section, 
    h('h2', {}, `${rows.length} contract${rows.length === 1 ? '' : 's'} ending between `, date(f.from), ' and ', date(to)),
    legend(),
    h('div', { class: 'panel' }, timeline(rows.map(timelineRow), f.from, to)),
    table(rows));
}

function form(f, opts) {
  const authorities = opts ? opts.authorities : [];
  const types = opts ? opts.serviceTypes : [];
  const onsubmit = (e) => {
    e.preventDefault();
    const d = Object.fromEntries(new FormData(e.target));
    go(href('contracts', d));
  };
  return h('form', { class: 'panel filters', onsubmit, 'aria-label': 'Window and filters' },
    h('label', {}, 'From', h('input', { type: 'date', name: 'from', value: f.from, required: true })),
    h('label', {}, 'Months', h('input', { type: 'number', name: 'months', min: 1, max: 120, value: f.months, required: true })),
    h('label', {}, 'Authority', h('select', { name: 'authority' },
      h('option', { value: '' }, 'All authorities'),
      authorities.map((a) => h('option', { value: a.id, selected: a.id === f.authority }, a.name + (a.synthetic && !/synthetic/i.test(a.name) ? ' (synthetic)' : ''))))),
    h('label', {}, 'Service type', h('select', { name: 'serviceType' },
      h('option', { value: '' }, 'All service types'),
      types.map((t) => h('option', { value: t, selected: t === f.serviceType }, t)))),
    h('button', { type: 'submit' }, 'Show'));
}

function timelineRow(r) {
  const who = [r.provider?.name, r.service?.shortName || r.service?.name].filter(Boolean).join(' · ');
  return {
    id: r.contract.id,
    name: who || r.contract.title,
    detail: `${r.contract.title}${r.buyer ? ' (' + r.buyer.name + ')' : ''}`,
    start: r.contract.startDate,
    end: r.endDate,
    deadline: r.approvalDeadline,
    approvedOn: r.approvedOn,
    status: r.status,
  };
}

function table(rows) {
  const cols = ['Contract', 'Buyer', 'Service', 'Provider', 'Ends', 'Approval deadline', 'Status', 'What follows'];
  return h('div', { class: 'table-wrap' }, h('table', { id: 'ending-contracts' },
    h('caption', { class: 'visually-hidden' }, 'Contracts by end date with their approval deadlines'),
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', { 'data-id': r.contract.id, class: r.contract.synthetic ? 'synthetic' : null },
      h('td', {}, entityLink(r.contract), h('br'), h('span', { class: 'note' }, 'from ', date(r.contract.startDate))),
      h('td', {}, r.buyer ? entityLink(r.buyer) : unknown()),
      h('td', {}, r.service ? entityLink(r.service) : unknown()),
      h('td', {}, r.provider ? entityLink(r.provider) : unknown()),
      h('td', {}, date(r.endDate)),
      h('td', {}, date(r.approvalDeadline), r.rule
        ? [h('br'), h('span', { class: 'note' }, `${r.rule.monthsBeforeEnd ?? '?'} months before the end under `, entityLink(r.rule))]
        : [h('br'), h('span', { class: 'note' }, 'no approval rule known')]),
      h('td', {}, h('span', { class: `status ${r.status}` }, STATUS[r.status] || r.status)),
      h('td', {}, follows(r)))))));
}

function follows(r) {
  if (!r.successor) return h('span', { class: 'note' }, 'No successor approved');
  return [
    entityLink(r.successor), h('br'),
    h('span', { class: 'note' }, 'approved on ', date(r.approvedOn),
      r.approvalDecision ? [' by ', entityLink(r.approvalDecision, { clipAt: 48 })] : null,
      r.daysLate ? `, ${r.daysLate} days late` : null),
  ];
}
