import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

const DAY_MS = 86_400_000;
const CHUNK = 1 << 20;

/** log_data/YYYY/MM/YYYY-MM-DD-events.json for the UTC day that holds `ms`. */
export function logKey(ms: number): string {
  const day = new Date(ms).toISOString().slice(0, 10);
  return `log_data/${day.slice(0, 4)}/${day.slice(5, 7)}/${day}-events.json`;
}

/**
 * Streams log lines, in timestamp order, into one file per UTC day: newline-separated, with no
 * newline after the last line (as in the bucket). Memory stays at one buffered chunk.
 */
export class DayFileWriter {
  private fd: number | null = null;
  private day = -1;
  private buffer = '';
  private lastTs = -Infinity;
  readonly keys: string[] = [];
  bytes = 0;

  constructor(
    private readonly outDir: string,
    private readonly startMs: number,
    private readonly endMs: number,
  ) {}

  write(ts: number, line: string): void {
    if (ts < this.lastTs || ts < this.startMs || ts >= this.endMs)
      throw new Error(`internal error: event at ${ts} out of order or outside the period`);
    this.lastTs = ts;
    const day = Math.floor((ts - this.startMs) / DAY_MS);
    if (day !== this.day) {
      this.close();
      const key = logKey(ts);
      const path = join(this.outDir, key);
      mkdirSync(dirname(path), { recursive: true });
      this.fd = openSync(path, 'w');
      this.day = day;
      this.keys.push(key);
      this.buffer = line;
    } else {
      this.buffer += '\n' + line;
    }
    if (this.buffer.length >= CHUNK) this.flush();
  }

  private flush(): void {
    if (this.fd === null || this.buffer === '') return;
    const data = Buffer.from(this.buffer, 'utf8');
    for (let done = 0; done < data.length;) done += writeSync(this.fd, data, done);
    this.bytes += data.length;
    this.buffer = '';
  }

  close(): void {
    if (this.fd === null) return;
    this.flush();
    closeSync(this.fd);
    this.fd = null;
  }
}
