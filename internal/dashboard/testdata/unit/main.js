// Imports every test module, runs the tests and publishes the results.
import { run } from './unit.js';

export const modules = ['format', 'layout', 'model', 'passages', 'router', 'barchart'];

const results = [];
for (const m of modules) {
  try {
    await import(`./${m}.test.js`);
  } catch (e) {
    results.push({ name: `${m}.test.js loads`, failures: [String(e && e.stack || e)] });
  }
}
results.push(...run());
window.unitResults = results;
document.getElementById('results').textContent = JSON.stringify(results, null, 2);
document.body.dataset.done = String(results.length);
