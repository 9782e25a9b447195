/**
 * Waits until `check` holds, re-checking every 20 ms, and fails after the deadline. For state that
 * no frame announces (a database row); everything a frame announces is awaited with TestSocket.
 */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
