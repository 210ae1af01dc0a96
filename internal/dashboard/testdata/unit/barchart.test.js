import { test, eq } from './unit.js';
import { palette } from '../dashboard/js/barchart.js';

test('palette gives each category a colour, in the order first seen', () => {
  eq(palette(['COMMISSIONED', 'IN_HOUSE', 'COMMISSIONED', 'MIXED']),
    new Map([['COMMISSIONED', '#0072B2'], ['IN_HOUSE', '#E69F00'], ['MIXED', '#009E73']]), 'three categories');
  const many = palette(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
  eq(many.get('i'), many.get('a'), 'the ninth category takes the first colour again');
  eq(palette([]).size, 0, 'none');
});
