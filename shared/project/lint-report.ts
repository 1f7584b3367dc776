import { isAbsolute, relative } from 'node:path';

/** What the project's own read-only checks found in one file. */
export interface FileFindings {
  readonly path: string;
  /** Rule codes of `ruff check` findings, one entry per finding (`syntax error` when ruff could not parse it). */
  readonly codes: readonly string[];
  /** `ruff format --check` would reformat it. */
  readonly unformatted: boolean;
}

export interface LintReport {
  readonly files: readonly FileFindings[];
  /** A check that could not run or answer (ruff missing from the environment, a configuration error). */
  readonly problems: readonly string[];
}

export interface CheckOutput {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: Error;
}

function firstLine(output: CheckOutput): string {
  if (output.error) return output.error.message;
  const line = `${output.stderr}\n${output.stdout}`.split('\n').find((candidate) => candidate.trim() !== '');
  return line?.trim() ?? `exit code ${output.code}`;
}

/** Paths of `ruff check --output-format json` findings (exit 1 = findings, 0 = none), relative to `dir`. */
function lintFindings(dir: string, output: CheckOutput): Map<string, string[]> | string {
  if (output.error || (output.code !== 0 && output.code !== 1)) return `ruff check could not run: ${firstLine(output)}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(output.stdout || '[]');
  } catch {
    return `ruff check gave output that is not JSON: ${firstLine(output)}`;
  }
  const byFile = new Map<string, string[]>();
  for (const item of Array.isArray(parsed) ? (parsed as { filename?: unknown; code?: unknown }[]) : []) {
    const filename = typeof item.filename === 'string' ? item.filename : '?';
    const path = isAbsolute(filename) ? relative(dir, filename) : filename;
    const codes = byFile.get(path) ?? [];
    codes.push(typeof item.code === 'string' ? item.code : 'syntax error');
    byFile.set(path, codes);
  }
  return byFile;
}

/** Paths `ruff format --check` would reformat (exit 1), or why it could not tell. */
function unformattedFiles(output: CheckOutput): string[] | string {
  if (output.error || (output.code !== 0 && output.code !== 1)) return `ruff format --check could not run: ${firstLine(output)}`;
  return [...output.stdout.matchAll(/^Would reformat: (.+)$/gm)].map((match) => match[1]!.trim());
}

export function lintReport(dir: string, check: CheckOutput, format: CheckOutput): LintReport {
  const problems: string[] = [];
  const findings = lintFindings(dir, check);
  const unformatted = unformattedFiles(format);
  if (typeof findings === 'string') problems.push(findings);
  if (typeof unformatted === 'string') problems.push(unformatted);
  const codes = typeof findings === 'string' ? new Map<string, string[]>() : findings;
  const reformat = new Set(typeof unformatted === 'string' ? [] : unformatted);
  const paths = [...new Set([...codes.keys(), ...reformat])].sort();
  return {
    files: paths.map((path) => ({ path, codes: codes.get(path) ?? [], unformatted: reformat.has(path) })),
    problems,
  };
}

function describeFile(file: FileFindings): string {
  const parts: string[] = [];
  if (file.codes.length > 0) {
    const counts = new Map<string, number>();
    for (const code of file.codes) counts.set(code, (counts.get(code) ?? 0) + 1);
    const rules = [...counts].map(([code, count]) => (count > 1 ? `${code} x${count}` : code)).join(', ');
    parts.push(`${file.codes.length} lint finding${file.codes.length === 1 ? '' : 's'} (${rules})`);
  }
  if (file.unformatted) parts.push('not formatted');
  return `  ${file.path}: ${parts.join('; ')}`;
}

/** The one-line result when all is clean, else one warning block: which files, how many findings, what to run. */
export function formatLintReport(report: LintReport): string[] {
  if (report.files.length === 0 && report.problems.length === 0) {
    return ['Lint and format checks: no findings.'];
  }
  const lines: string[] = [];
  if (report.files.length > 0) {
    const total = report.files.reduce((sum, file) => sum + file.codes.length, 0);
    const unformatted = report.files.filter((file) => file.unformatted).length;
    const counts = [
      ...(total > 0 ? [`${total} lint finding${total === 1 ? '' : 's'}`] : []),
      ...(unformatted > 0 ? [`${unformatted} file${unformatted === 1 ? '' : 's'} not formatted`] : []),
    ].join(', ');
    lines.push(
      `Warning: the project's lint checks found ${counts} in ${report.files.length} file${report.files.length === 1 ? '' : 's'} (aegis changed none of them; the command succeeded):`,
      ...report.files.map(describeFile),
    );
  } else {
    lines.push('Warning: the project\'s lint checks could not run (the command succeeded):');
  }
  lines.push(...report.problems.map((problem) => `  ${problem}`));
  lines.push(
    '  See them with "make lint" (uv run ruff check . and uv run ruff format --check .); if you want them fixed, ' +
      '"make fix" (uv run ruff format . and uv run ruff check --fix .) rewrites those files.',
  );
  return lines;
}
