/** Python source for literal values, written the way `ruff format` writes them (so a raw render is formatted). */

const LINE_LENGTH = 88;

/** A string literal with ruff's quote choice: double quotes, unless that needs more escapes than single ones. */
export function pythonString(value: string): string {
  const quote = preferredQuote(value);
  const escaped = value.replace(/\\/g, '\\\\').replaceAll(quote, `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

function preferredQuote(value: string): '"' | "'" {
  const doubles = value.split('"').length - 1;
  const singles = value.split("'").length - 1;
  return doubles > singles ? "'" : '"';
}

/** Splits after spaces into pieces whose literals fit in `width` (a single longer word stays whole). */
function chunks(value: string, width: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const word of value.split(/(?<= )/)) {
    if (current && pythonString(current + word).length > width) {
      pieces.push(current);
      current = word;
    } else {
      current += word;
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

/**
 * `prefix = "value"`, wrapped as ruff would keep it when the line is too long: the literal alone in parentheses,
 * or split into implicitly concatenated pieces, one per line.
 */
export function pythonAssignment(prefix: string, value: string): string {
  const literal = pythonString(value);
  const oneLine = `${prefix} = ${literal}`;
  if (oneLine.length <= LINE_LENGTH) return oneLine;
  const outer = /^\s*/.exec(prefix)![0];
  const inner = `${outer}    `;
  // ruff picks the quotes of each implicitly concatenated piece on its own.
  const lines =
    inner.length + literal.length <= LINE_LENGTH
      ? [literal]
      : chunks(value, LINE_LENGTH - inner.length).map((piece) => pythonString(piece));
  // One literal too long even on a line of its own (a URL, no space to split at): ruff keeps the line flat.
  if (lines.length === 1 && inner.length + lines[0]!.length > LINE_LENGTH) return oneLine;
  return [`${prefix} = (`, ...lines.map((line) => `${inner}${line}`), `${outer})`].join('\n');
}
