/** Colours only when writing to a terminal and NO_COLOR is unset. */
const enabled = (stream: NodeJS.WriteStream): boolean => Boolean(stream.isTTY) && !process.env.NO_COLOR;

const wrap = (open: number, close: number) => (text: string, stream: NodeJS.WriteStream = process.stdout): string =>
  enabled(stream) ? `\u001b[${open}m${text}\u001b[${close}m` : text;

export const bold = wrap(1, 22);
export const dim = wrap(2, 22);
export const red = wrap(31, 39);
export const green = wrap(32, 39);
