/** Waits for a check to pass; on timeout, the error says where things stood. */
export async function until(
  check: () => boolean | Promise<boolean>,
  { timeoutMs = 60_000, state = async (): Promise<unknown> => undefined } = {},
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting; ${JSON.stringify(await state())}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}
