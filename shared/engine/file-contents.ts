import { isUtf8 } from 'node:buffer';
import type { FileContents } from './reconcile.js';

/**
 * A file's bytes as text when they are valid UTF-8 without a NUL byte, else as bytes. Text re-encodes to exactly the
 * same bytes (a byte-order mark is kept as U+FEFF), so no byte is ever replaced by U+FFFD on the way through a merge.
 */
export function decodeFile(bytes: Buffer): FileContents {
  if (bytes.includes(0) || !isUtf8(bytes)) return { binary: bytes };
  return bytes.toString('utf8');
}
