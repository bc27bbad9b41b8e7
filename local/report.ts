/** How the local runner shows a run to a person: aligned progress lines and a row-count table. */

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function rowCountTable(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts);
  const nameWidth = Math.max('table'.length, ...entries.map(([name]) => name.length));
  const countWidth = Math.max('rows'.length, ...entries.map(([, n]) => formatCount(n).length));
  const rule = `${'─'.repeat(nameWidth + 2)}┼${'─'.repeat(countWidth + 2)}`;
  const line = (name: string, count: string) => ` ${name.padEnd(nameWidth)} │ ${count.padStart(countWidth)}`;
  return [line('table', 'rows'), rule, ...entries.map(([name, n]) => line(name, formatCount(n)))].join('\n');
}
