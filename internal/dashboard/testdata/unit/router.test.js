import { test, eq } from './unit.js';
import { entityHref, href, mapHref } from '../dashboard/js/router.js';

test('href writes a view and its parameters, leaving empty ones out', () => {
  eq(href('contracts', { from: '2017-01-01', months: 24 }), '#/contracts?from=2017-01-01&months=24', 'parameters');
  eq(href('contracts', { authority: '', serviceType: null, x: undefined, months: 0 }), '#/contracts?months=0', 'empty ones left out, zero kept');
  eq(href('settings'), '#/settings', 'no parameters');
  eq(href('search', { q: 'Atlas & co' }), '#/search?q=Atlas+%26+co', 'escaped');
});

test('entity and map addresses', () => {
  eq(entityHref('team:bromley-atlas'), '#/entity/team%3Abromley-atlas', 'an entity');
  eq(entityHref('contract:ocds-x/c1'), '#/entity/contract%3Aocds-x%2Fc1', 'a slash in the id');
  eq(mapHref('team:bromley-atlas', 1), '#/map?id=team%3Abromley-atlas', 'depth 1 is the default');
  eq(mapHref('team:bromley-atlas', 2), '#/map?id=team%3Abromley-atlas&depth=2', 'depth 2');
  eq(mapHref('team:bromley-atlas'), '#/map?id=team%3Abromley-atlas', 'no depth');
});
