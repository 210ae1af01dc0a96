// Pure helpers for showing a document's text with the words its facts
// rest on marked. Offsets from the API count UTF-8 bytes; JavaScript
// strings count UTF-16 units, so offsets are converted before slicing.

/**
 * Converts UTF-8 byte offsets into string indexes of text. Offsets that
 * fall inside a character move to its start; offsets past the end become
 * text.length.
 * @param {string} text
 * @param {number[]} offsets byte offsets
 * @returns {number[]} string indexes, in the order of offsets
 */
export function byteOffsetsToIndexes(text, offsets) {
  const wanted = [...new Set(offsets)].sort((a, b) => a - b);
  const at = new Map();
  let bytes = 0;
  let w = 0;
  for (let i = 0; i < text.length && w < wanted.length; ) {
    while (w < wanted.length && wanted[w] <= bytes) at.set(wanted[w++], i);
    const cp = text.codePointAt(i);
    const units = cp > 0xffff ? 2 : 1;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += units;
  }
  for (; w < wanted.length; w++) at.set(wanted[w], text.length);
  return offsets.map((o) => at.get(o));
}

/**
 * Splits text into segments, marking the ranges given: each segment is
 * {text, ids} where ids are the ranges that cover it (empty for unmarked
 * text). Ranges may overlap; segments never do.
 * @param {string} text
 * @param {{id: string, start: number, end: number}[]} ranges string indexes
 */
export function segments(text, ranges) {
  const cuts = new Set([0, text.length]);
  for (const r of ranges) {
    if (r.start >= 0 && r.end <= text.length && r.start < r.end) {
      cuts.add(r.start);
      cuts.add(r.end);
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const ids = ranges.filter((r) => r.start <= a && b <= r.end).map((r) => r.id);
    out.push({ text: text.slice(a, b), ids });
  }
  return out;
}
