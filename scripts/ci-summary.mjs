// Prints the closing line CI reads ("N passed, N failed") from vitest's JSON reports: the main run's, and those of
// the runs on other Node versions, added up.
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2).length ? process.argv.slice(2) : ['test-results/vitest.json'];
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
// The end of CI's log is what is read first: each failed test's name and the start of its message go there.
const firstLines = (messages = []) =>
  messages
    .join('\n')
    .split('\n')
    .slice(0, 12)
    .map((line) => `    ${line}`)
    .join('\n');
for (const file of files) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.log(`no test report at ${file}: ${error.message}`);
    failed += 1;
    continue;
  }
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const suite of report.testResults ?? []) {
    for (const test of suite.assertionResults ?? []) {
      if (test.status !== 'failed') continue;
      failures.push(`${file}: ${suite.name.replace(`${process.cwd()}/`, '')} > ${test.fullName}\n${firstLines(test.failureMessages)}`);
    }
  }
  const brokenFiles = (report.testResults ?? []).filter((suite) => suite.status === 'failed' && suite.assertionResults?.length === 0);
  for (const suite of brokenFiles) console.log(`failed to load: ${suite.name}: ${suite.message ?? ''}`);
  failed += brokenFiles.length;
}
for (const failure of failures) console.log(`FAILED ${failure}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
