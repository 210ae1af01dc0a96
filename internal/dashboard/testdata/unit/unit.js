// A small test runner for the dashboard's pure modules, which
// modules_test.go loads in headless Chromium: test() registers a test,
// the assertions record a failure and go on (as t.Errorf does), and run()
// leaves every test's name and failures in window.unitResults.

const tests = [];
let failures = null;

/** Registers a test. */
export function test(name, fn) {
  tests.push({ name, fn });
}

function show(v) {
  if (v instanceof Map) return `Map ${show([...v])}`;
  if (v instanceof Node) return `<${v.nodeName.toLowerCase()}> ${JSON.stringify(v.textContent)}`;
  return JSON.stringify(v, (k, x) => (x === undefined ? '(undefined)' : Number.isNaN(x) ? '(NaN)' : x));
}

function fail(what, message) {
  failures.push(`${what}: ${message}`);
}

/** got and want are equal: the same primitive, or arrays, objects and Maps of equal members. */
export function eq(got, want, what) {
  if (show(got) !== show(want)) fail(what, `got ${show(got)}, want ${show(want)}`);
}

/** got is within 1e-9 of want. */
export function near(got, want, what) {
  if (typeof got !== 'number' || Math.abs(got - want) > 1e-9) fail(what, `got ${show(got)}, want ${want}`);
}

/** cond holds. */
export function ok(cond, what) {
  if (!cond) fail(what, 'does not hold');
}

/** node is an element of the tag, with the text (and the attributes) given. */
export function element(node, tag, text, what, attrs = {}) {
  if (!(node instanceof Element) || node.nodeName.toLowerCase() !== tag) {
    fail(what, `got ${show(node)}, want a <${tag}>`);
    return;
  }
  eq(node.textContent, text, `${what}: text`);
  for (const [k, v] of Object.entries(attrs)) eq(node.getAttribute(k), v, `${what}: ${k}`);
}

/** Runs every registered test; a test that throws fails with the exception. */
export function run() {
  return tests.map(({ name, fn }) => {
    failures = [];
    try {
      fn();
    } catch (e) {
      fail('threw', String(e && e.stack || e));
    }
    return { name, failures };
  });
}
