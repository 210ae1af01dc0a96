import { test, eq } from './unit.js';
import { byteOffsetsToIndexes, segments } from '../dashboard/js/passages.js';

test('byteOffsetsToIndexes counts UTF-8 bytes into UTF-16 indexes', () => {
  eq(byteOffsetsToIndexes('abc', [0, 1, 3]), [0, 1, 3], 'ASCII');
  // é is two bytes, one unit; € three bytes, one unit; 😀 four bytes, two units.
  eq(byteOffsetsToIndexes('aéb', [0, 1, 3, 4]), [0, 1, 2, 3], 'two-byte character');
  eq(byteOffsetsToIndexes('a€b', [1, 4]), [1, 2], 'three-byte character');
  eq(byteOffsetsToIndexes('a😀b', [1, 5, 6]), [1, 3, 4], 'four-byte character');
  eq(byteOffsetsToIndexes('abc', [100]), [3], 'past the end: the length');
  // ’ is bytes 8 to 10 of Barnardo’s, so its s is byte 11 and index 9.
  eq(byteOffsetsToIndexes('Barnardo’s', [11, 0, 11, 8]), [9, 0, 9, 8], 'in the order given, repeats too');
  eq(byteOffsetsToIndexes('', [0]), [0], 'empty text');
});

test('segments cut text at every range end, never overlapping', () => {
  eq(segments('hello world', [{ id: 'x', start: 0, end: 5 }]),
    [{ text: 'hello', ids: ['x'] }, { text: ' world', ids: [] }], 'one range');
  eq(segments('abcdef', [{ id: 'x', start: 1, end: 4 }, { id: 'y', start: 2, end: 6 }]),
    [{ text: 'a', ids: [] }, { text: 'b', ids: ['x'] }, { text: 'cd', ids: ['x', 'y'] }, { text: 'ef', ids: ['y'] }],
    'overlapping ranges');
  eq(segments('abc', []), [{ text: 'abc', ids: [] }], 'no ranges');
  eq(segments('abc', [{ id: 'x', start: 2, end: 2 }]), [{ text: 'abc', ids: [] }], 'an empty range marks nothing');
  eq(segments('', []), [], 'empty text');
  const text = 'The Cabinet approved the award.';
  eq(segments(text, [{ id: 'a', start: 4, end: 11 }, { id: 'b', start: 25, end: 30 }]).map((s) => s.text).join(''),
    text, 'the segments spell the text');
});
