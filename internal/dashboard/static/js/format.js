// Formatting for people in the UK. The graph never guesses, so a missing
// value is shown as "not known", never as a blank or a zero.
import { h } from './dom.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A marker for a value the sources do not state. */
export function unknown() {
  return h('span', { class: 'unknown' }, 'not known');
}

/** Text, or "not known" for null, undefined and the empty string. */
export function text(v) {
  return v === null || v === undefined || v === '' ? unknown() : String(v);
}

/** Parses an ISO date (2017-09-30) into [year, month, day] without time zones. */
export function parseDate(iso) {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(iso || '');
  return m ? [Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : null] : null;
}

/** 2017-09-30 as "30 Sep 2017"; 2017-01 as "Jan 2017"; null as "not known". */
export function dateText(iso) {
  const d = parseDate(iso);
  if (!d) return null;
  const [y, m, day] = d;
  return day === null ? `${MONTHS[m - 1]} ${y}` : `${day} ${MONTHS[m - 1]} ${y}`;
}

/** A <time> element for an ISO date, or "not known". */
export function date(iso) {
  const t = dateText(iso);
  return t ? h('time', { datetime: iso }, t) : unknown();
}

/** An RFC 3339 date and time as "25 Nov 2026, 21:26 UTC". */
export function dateTime(iso) {
  if (!iso) return unknown();
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return text(iso);
  const p = (n) => String(n).padStart(2, '0');
  return h('time', { datetime: iso },
    `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`);
}

/** A number with thousands separators, or "not known". */
export function num(n, digits = 0) {
  if (n === null || n === undefined) return unknown();
  return n.toLocaleString('en-GB', { maximumFractionDigits: digits });
}

/** An amount of money in pounds (or the currency given), or "not known". */
export function money(n, currency = 'GBP') {
  if (n === null || n === undefined) return unknown();
  try {
    return n.toLocaleString('en-GB', { style: 'currency', currency: currency || 'GBP', maximumFractionDigits: 0 });
  } catch {
    return `${num(n)} ${currency}`;
  }
}

/** Yes, No or "not known". */
export function yesNo(b) {
  return b === null || b === undefined ? unknown() : b ? 'Yes' : 'No';
}

/** APPROVED_IN_TIME as "Approved in time"; other text as it is. */
export function words(constant) {
  if (!constant) return '';
  if (!/^[A-Z][A-Z0-9_]*$/.test(constant)) return constant;
  const s = String(constant).replace(/_/g, ' ').toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Adds months to an ISO date, keeping it ISO. */
export function addMonths(iso, months) {
  const [y, m, d] = parseDate(iso);
  const t = new Date(Date.UTC(y, m - 1 + months, d || 1));
  return t.toISOString().slice(0, 10);
}

/** Days since 1970 for an ISO date: a scale for timelines. */
export function dayNumber(iso) {
  const [y, m, d] = parseDate(iso);
  return Date.UTC(y, m - 1, d || 1) / 86400000;
}
