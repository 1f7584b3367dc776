import { compareVersions } from '../model/version-order.js';

/** One `## <version>` section of a CHANGELOG.md. */
export interface ChangelogEntry {
  readonly version: string;
  readonly body: string;
}

/** The sections of a changelog: headings `## 1.2.0`, `## [1.2.0]` or `## 1.2.0 - 2026-11-27` (`## Unreleased` is skipped). */
export function parseChangelog(text: string): ChangelogEntry[] {
  const entries: ChangelogEntry[] = [];
  let current: { version: string; lines: string[] } | undefined;
  const close = (): void => {
    if (current) entries.push({ version: current.version, body: current.lines.join('\n').trim() });
  };
  for (const line of text.split(/\r?\n/)) {
    const heading = /^##\s+\[?v?(\d+\.\d+\.\d+[^\]\s]*)\]?/.exec(line);
    if (heading) {
      close();
      current = { version: heading[1]!, lines: [] };
    } else if (/^##?\s/.test(line)) {
      // The title, or a section that is not a version (`## Unreleased`): its lines belong to no entry.
      close();
      current = undefined;
    } else {
      current?.lines.push(line);
    }
  }
  close();
  return entries;
}

/** The entries after `from` up to and including `to`, newest first. */
export function changelogBetween(text: string, from: string, to: string): ChangelogEntry[] {
  return parseChangelog(text)
    .filter((entry) => compareVersions(entry.version, from) > 0 && compareVersions(entry.version, to) <= 0)
    .sort((a, b) => compareVersions(b.version, a.version));
}
