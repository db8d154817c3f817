// `npm run bench`: runs every suite, or those named (`npm run bench -- enforcement`), and prints
// one table per suite. Each figure is set against a baseline measured in the same run on the same
// machine, with the DESIGN.md target where there is one. Timings are never asserted in tests.

import { formatTable, machineFacts, met, progress, type Suite } from './_measure.ts';
import { credentials } from './credentials.ts';
import { credit } from './credit.ts';
import { enforcement } from './enforcement.ts';
import { floods } from './floods.ts';
import { identity } from './identity.ts';
import { ledger } from './ledger.ts';
import { reads } from './reads.ts';
import { signIn } from './sign-in.ts';
import { witness } from './witness.ts';

const suites: Suite[] = [identity, enforcement, credit, ledger, floods, signIn, reads, witness, credentials];

// Exit on a signal instead of dying of it, so that the suites' exit handlers kill the servers
// they started and remove their data directories.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => process.exit(code));
}

const named = process.argv.slice(2);
const unknown = named.filter((name) => !suites.some((suite) => suite.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown suite ${unknown.join(', ')}; the suites are ${suites.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}
const chosen = named.length === 0 ? suites : suites.filter((suite) => named.includes(suite.name));

console.log(machineFacts());
let missed = 0;
for (const suite of chosen) {
  const started = performance.now();
  try {
    const report = await suite.run();
    console.log(`\n${formatTable(report)}`);
    missed += report.rows.filter((row) => met(row) === false).length;
  } catch (error) {
    console.error(`\n${suite.name} failed:`, error);
    process.exitCode = 1;
  }
  progress(`${suite.name}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
if (missed > 0) console.log(`\n${missed} target${missed === 1 ? '' : 's'} MISSED`);
