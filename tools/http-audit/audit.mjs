// Runs the GraphQL-over-HTTP spec's server audits against the API whose
// GraphQL endpoint is the first argument (or GRAPHQL_URL), prints every
// result, and exits 1 when any audit that is not OK is a MUST failure or a
// SHOULD warning. Notices (MAY) are printed but do not fail.
import { auditServer } from 'graphql-http';

const url = process.argv[2] || process.env.GRAPHQL_URL;
if (!url) {
  console.error('usage: node audit.mjs http://host:port/graphql');
  process.exit(2);
}

const results = await auditServer({ url });
let failed = 0;
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const r of results) {
  counts[r.status]++;
  if (r.status === 'ok') {
    console.log(`ok      ${r.name}`);
    continue;
  }
  console.log(`${r.status.padEnd(7)} ${r.name}: ${r.reason}`);
  if (r.status === 'warn' || r.status === 'error') {
    failed++;
    const body = await r.response.text().catch(() => '');
    console.log(`        ${r.response.status} ${r.response.headers.get('content-type')} ${body.slice(0, 300)}`);
  }
}
console.log(`${results.length} audits: ${counts.ok} ok, ${counts.notice} notices, ${counts.warn} warnings, ${counts.error} errors`);
process.exit(failed > 0 ? 1 : 0);
