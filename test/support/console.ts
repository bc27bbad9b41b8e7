/**
 * Runs `work` with console.error collected instead of printed: for a test that expects the output
 * (a synth's validation report of a warning asked for), so the run shows no noise and the test can
 * assert on what was said.
 */
export function collectingConsoleError<T>(work: () => T): { readonly result: T; readonly printed: string } {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  try {
    return { result: work(), printed: lines.join('\n') };
  } finally {
    spy.mockRestore();
  }
}
