import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** The loader's floor: what reading and `JSON.parse`-ing the event files alone costs, in-process. */
export interface ParseBaseline {
  readonly parseOnlyMs: number;
  readonly events: number;
  readonly bytes: number;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Reads every file under DIR/log_data and parses each of its lines, one JSON object per line as
 * the logs hold them, keeping nothing. The loader engineer's `measureStaging` (bench/staging.ts)
 * measures the same floor beside the loader itself; this one stands in until it lands.
 */
export function measureParseOnly(dataDir: string): ParseBaseline {
  const started = performance.now();
  let events = 0;
  let bytes = 0;
  for (const file of filesUnder(join(dataDir, 'log_data'))) {
    const text = readFileSync(file, 'utf8');
    bytes += Buffer.byteLength(text);
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      JSON.parse(line);
      events++;
    }
  }
  return { parseOnlyMs: performance.now() - started, events, bytes };
}
