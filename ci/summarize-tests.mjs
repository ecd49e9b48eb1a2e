// Print the plain closing line CI reads, "N passed, N failed[, N skipped]", from vitest's JSON
// report and (optionally) the regression runner's JSON results, counting each regression case once.
import { existsSync, readFileSync } from 'node:fs';

const [vitestFile, regressFile] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

if (!vitestFile || !existsSync(vitestFile)) {
  console.error(`summarize-tests: no vitest report at ${vitestFile} (vitest did not finish)`);
  failed += 1;
} else {
  const r = JSON.parse(readFileSync(vitestFile, 'utf8'));
  // A test file that failed to load has no assertion results; count it as one failure.
  const brokenFiles = (r.testResults ?? []).filter((t) => t.status === 'failed' && (t.assertionResults ?? []).length === 0).length;
  passed += r.numPassedTests ?? 0;
  failed += (r.numFailedTests ?? 0) + brokenFiles;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}

if (regressFile) {
  // `regress --json`: { format: 'vta-trace-regress', version, totals, cases } (regression/reporters/json.ts).
  let cases = null;
  try {
    const doc = JSON.parse(readFileSync(regressFile, 'utf8'));
    if (doc.format === 'vta-trace-regress' && Array.isArray(doc.cases)) cases = doc.cases;
  } catch {}
  if (!Array.isArray(cases)) {
    console.error(`summarize-tests: no regression results in ${regressFile}`);
    failed += 1;
  } else {
    const ok = cases.filter((c) => c.verdict === 'pass').length;
    console.error(`regression: ${ok} of ${cases.length} cases passed`);
    passed += ok;
    failed += cases.length - ok;
  }
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
