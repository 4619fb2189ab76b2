/** Narrowing of SDK errors: actions branch on AWS error codes, never on messages. */
export function awsErrorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { name?: unknown; Code?: unknown; code?: unknown };
  if (typeof e.Code === 'string') return e.Code;
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  if (typeof e.code === 'string') return e.code;
  return undefined;
}

export function isNoSuchEntity(err: unknown): boolean {
  const code = awsErrorCode(err);
  return code === 'NoSuchEntity' || code === 'NoSuchEntityException';
}

/** Runs a step that may find its object already gone (a resumed deletion): "gone" counts as done. */
export async function tolerateGone<T>(step: () => Promise<T>): Promise<T | 'already-gone'> {
  try {
    return await step();
  } catch (err) {
    if (isNoSuchEntity(err)) return 'already-gone';
    throw err;
  }
}

/** A plain sentence for a responder from any error; never a stack trace. */
export function plainError(err: unknown): string {
  const code = awsErrorCode(err);
  const m = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined;
  const message = typeof m === 'string' ? m : String(err);
  const short = message.split('\n')[0]!.slice(0, 300);
  if (code === 'AccessDenied' || code === 'AccessDeniedException' || code === 'UnauthorizedOperation') {
    return `AWS refused the call (${code}): the remediation identity lacks a permission. ${short}`;
  }
  return code && !short.includes(code) ? `${code}: ${short}` : short;
}
