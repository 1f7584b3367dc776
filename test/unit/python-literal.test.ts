import { describe, expect, it } from 'vitest';
import { pythonAssignment, pythonString } from '../../shared/python/python-literal.js';

describe('pythonString', () => {
  it('prefers double quotes and escapes as ruff writes them', () => {
    expect(pythonString('plain')).toBe('"plain"');
    expect(pythonString("it's")).toBe('"it\'s"');
    expect(pythonString('say "hi"')).toBe("'say \"hi\"'");
    expect(pythonString('a \\ b')).toBe('"a \\\\ b"');
    expect(pythonString(`"x" and 'y'`)).toBe(`"\\"x\\" and 'y'"`);
  });
});

describe('pythonAssignment', () => {
  const prefix = '    app_description: str';

  it('keeps a short value on one line', () => {
    expect(pythonAssignment(prefix, 'Orders API')).toBe('    app_description: str = "Orders API"');
  });

  it('parenthesises a value that fits on its own line', () => {
    const value = 'x'.repeat(70);
    expect(pythonAssignment(prefix, value)).toBe(`    app_description: str = (\n        "${value}"\n    )`);
  });

  it('keeps a literal flat that is too long even on its own line and has no space to split at, as ruff does', () => {
    const url = `postgresql+asyncpg://postgres:postgres@127.0.0.1:5432/${'x'.repeat(30)}`;
    expect(pythonAssignment('    database_url: str', url)).toBe(`    database_url: str = "${url}"`);
  });

  it('splits a long value after spaces into pieces that fit in 88 columns and join back to it', () => {
    const value = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');
    const lines = pythonAssignment(prefix, value).split('\n');
    expect(lines[0]).toBe('    app_description: str = (');
    expect(lines.at(-1)).toBe('    )');
    const pieces = lines.slice(1, -1);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(88);
    expect(pieces.map((piece) => piece.trim().slice(1, -1)).join('')).toBe(value);
  });
});
