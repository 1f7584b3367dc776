/** An error caused by the user's input or environment: shown as one line, without a stack trace. */
export class AegisError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AegisError';
  }
}

export function isAegisError(error: unknown): error is AegisError {
  return error instanceof Error && error.name === 'AegisError';
}
