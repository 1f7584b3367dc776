/**
 * Tests that need a program a fresh machine lacks (Chromium, an SSH server, podman, an old Node) skip without it,
 * each file with one line saying what to install. In CI (`CI` set) they never skip: .ci/run installs everything,
 * so a missing program there fails the tests that need it instead of quietly passing them by.
 */
export const inCi = Boolean(process.env.CI);

/**
 * Whether the tests needing something run: `available`, or in CI. When they skip, prints one line naming what skips
 * and what to install (vitest shows it under the test file's name).
 */
export function runsWith(available: boolean, skipped: string, install: string): boolean {
  if (available || inCi) return true;
  console.warn(`SKIPPED ${skipped}: ${install}`);
  return false;
}
