// Operational faults (not user catalog mistakes, not probe outcomes): small classes with a
// stable `code` and a human `hint`. Only cli/main.ts turns them into an exit status.

/** Base class of every operational fault pathprobe raises. */
export class PathprobeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string = '',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PathprobeError';
  }
}

/** A command-line usage mistake. */
export class UsageError extends PathprobeError {
  constructor(message: string, hint = 'run `pathprobe --help`') {
    super('PP_USAGE', message, hint);
    this.name = 'UsageError';
  }
}
