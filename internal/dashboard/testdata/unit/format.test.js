import { test, eq, element } from './unit.js';
import {
  addMonths, date, dateText, dateTime, dayNumber, money, num, parseDate, text, unknown, words, yesNo,
} from '../dashboard/js/format.js';

const notKnown = (v, what) => element(v, 'span', 'not known', what, { class: 'unknown' });

test('parseDate reads days and months without time zones', () => {
  eq(parseDate('2017-09-30'), [2017, 9, 30], 'a day');
  eq(parseDate('2017-01'), [2017, 1, null], 'a month');
  eq(parseDate('2017-09-30T23:30:00-05:00'), [2017, 9, 30], 'the date of a date and time');
  eq(parseDate(''), null, 'empty');
  eq(parseDate(null), null, 'null');
  eq(parseDate('30/09/2017'), null, 'not ISO');
});

test('dateText writes dates the British way', () => {
  eq(dateText('2017-09-30'), '30 Sep 2017', 'a day');
  eq(dateText('2017-01-05'), '5 Jan 2017', 'no leading zero');
  eq(dateText('2018-12'), 'Dec 2018', 'a month');
  eq(dateText(undefined), null, 'nothing');
});

test('date is a <time>, or "not known"', () => {
  element(date('2017-09-30'), 'time', '30 Sep 2017', 'a day', { datetime: '2017-09-30' });
  notKnown(date(null), 'null');
  notKnown(date('soon'), 'not a date');
});

test('dateTime shows UTC to the minute', () => {
  element(dateTime('2026-11-25T21:26:59Z'), 'time', '25 Nov 2026, 21:26 UTC', 'UTC');
  element(dateTime('2026-11-25T23:05:00+02:00'), 'time', '25 Nov 2026, 21:05 UTC', 'an offset');
  eq(dateTime('not a time'), 'not a time', 'text that is not a time is shown as it is');
  notKnown(dateTime(''), 'empty');
});

test('text is "not known" for nothing, never for zero or false', () => {
  eq(text(0), '0', 'zero');
  eq(text(false), 'false', 'false');
  eq(text('Atlas'), 'Atlas', 'text');
  notKnown(text(''), 'empty');
  notKnown(text(null), 'null');
  notKnown(text(undefined), 'undefined');
  notKnown(unknown(), 'unknown()');
});

test('num and money use British separators and pounds', () => {
  eq(num(1234567), '1,234,567', 'thousands');
  eq(num(0), '0', 'zero');
  eq(num(2.345, 2), '2.35', 'digits');
  eq(num(2.345), '2', 'no digits by default');
  notKnown(num(null), 'null');
  eq(money(480000), '£480,000', 'pounds');
  eq(money(99.6), '£100', 'whole pounds');
  eq(money(100, 'EUR'), '€100', 'another currency');
  eq(money(100, null), '£100', 'no currency');
  eq(money(5, 'NOT-A-CURRENCY'), '5 NOT-A-CURRENCY', 'a code that is not a currency');
  notKnown(money(undefined), 'undefined');
});

test('yesNo and words', () => {
  eq(yesNo(true), 'Yes', 'true');
  eq(yesNo(false), 'No', 'false');
  notKnown(yesNo(null), 'null');
  eq(words('APPROVED_IN_TIME'), 'Approved in time', 'a constant');
  eq(words('CSE_SUPPORT'), 'Cse support', 'a constant with an acronym');
  eq(words('Already words'), 'Already words', 'text');
  eq(words('limited'), 'limited', 'lower case');
  eq(words(''), '', 'empty');
  eq(words(null), '', 'null');
});

test('addMonths and dayNumber keep to the calendar', () => {
  eq(addMonths('2017-01-01', 24), '2019-01-01', 'two years');
  eq(addMonths('2017-11-15', 3), '2018-02-15', 'across a year');
  eq(addMonths('2017-09', 6), '2018-03-01', 'a month is its first day');
  eq(addMonths('2018-03-01', -6), '2017-09-01', 'backwards');
  eq(dayNumber('1970-01-01'), 0, 'the epoch');
  eq(dayNumber('1970-01-02'), 1, 'a day later');
  eq(dayNumber('2017-01'), dayNumber('2017-01-01'), 'a month is its first day');
  eq(dayNumber('2017-03-01') - dayNumber('2017-02-01'), 28, 'February 2017');
});
