// The history section alone (`npm run bench` runs it too): `node bench/history.mjs [--quick] [--cli FILE]
// [--no-browser]`. --cli measures another build's bin/gatehouse.js (a kept build: bench/side-by-side.mjs --snapshot);
// the dashboard is served from that build's dist/renderer. Prints the section's report and goals, and the figures as
// one JSON line.
import './quiet-warnings.mjs';
import { historyGoals } from './goals.mjs';
import { historyPlan, runHistory } from './history/section.mjs';
import { printGoals, printHistory } from './report.mjs';

const args = process.argv.slice(2);
const cliAt = args.indexOf('--cli');
const plan = historyPlan(args.includes('--quick'), {
  ...(cliAt !== -1 ? { cliPath: args[cliAt + 1] } : {}),
  browser: !args.includes('--no-browser'),
});
const history = await runHistory(plan);
printHistory(history);
printGoals(historyGoals(history));
console.log(JSON.stringify(history));
