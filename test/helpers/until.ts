/**
 * Polls `check` every `pollMs` until it holds; throws `timed out waiting for <what>` after
 * `timeoutMs`. For conditions no event announces (a file's content, a fake's call log); the
 * deadline is generous and bounds a failure, never a pass.
 */
export async function until(check: () => boolean, what: string | (() => string), timeoutMs: number, pollMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`)
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}
