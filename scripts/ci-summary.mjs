// Prints the closing line CI reads ("N passed, N failed") from vitest's JSON report.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`no test report at ${file}: ${error.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
const brokenFiles = (report.testResults ?? []).filter((suite) => suite.status === 'failed' && suite.assertionResults?.length === 0);
for (const suite of brokenFiles) console.log(`failed to load: ${suite.name}: ${suite.message ?? ''}`);
console.log(`${passed} passed, ${failed + brokenFiles.length} failed${skipped ? `, ${skipped} skipped` : ''}`);
