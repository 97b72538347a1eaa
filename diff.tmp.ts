import { readFileSync } from 'node:fs';
import { parseTopology } from './core/model/load.js';
import { formatAgreement, runDifferential } from './core/runtime/kernel/differential.js';
const files = process.argv.slice(2);
const results = [];
for (const f of files) results.push(await runDifferential(f, parseTopology(readFileSync(f, 'utf8'))));
console.log(formatAgreement(results));
for (const r of results) for (const fl of r.flows) if (!fl.agree) console.log(r.design, JSON.stringify(fl));
