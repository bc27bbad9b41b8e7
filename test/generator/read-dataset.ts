// Reads a generated data set back from disk, independently of the generator's own bookkeeping, so
// that tests assert on what the files hold.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { SongRecord } from '../../local/generator';

export interface SongFile {
  readonly key: string;
  readonly text: string;
  /** Parsed from the file, so typed as the generator means to write it, not trusted to. */
  readonly record: Record<string, unknown> & SongRecord;
}

export type Event = Record<string, unknown> & {
  artist: string | null;
  auth: string;
  itemInSession: number;
  length: number | null;
  level: string;
  page: string;
  sessionId: number;
  song: string | null;
  ts: number;
  userId: string;
};

export interface LogFile {
  readonly key: string;
  readonly text: string;
  readonly lines: string[];
  readonly events: Event[];
}

export interface Dataset {
  readonly keys: string[];
  readonly songs: SongFile[];
  readonly logs: LogFile[];
  /** Every event, in file order, with the key of the file that holds it. */
  readonly events: (Event & { file: string })[];
}

export function listKeys(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** key → file content, for byte comparisons. */
export function snapshot(dir: string): Map<string, string> {
  return new Map(listKeys(dir).map((k) => [k, readFileSync(join(dir, k), 'utf8')]));
}

export function readDataset(dir: string): Dataset {
  const keys = listKeys(dir);
  const songs: SongFile[] = [];
  const logs: LogFile[] = [];
  const events: (Event & { file: string })[] = [];
  for (const key of keys) {
    const text = readFileSync(join(dir, key), 'utf8');
    if (key.startsWith('song_data/')) songs.push({ key, text, record: JSON.parse(text) });
    else if (key.startsWith('log_data/')) {
      const lines = text.split('\n');
      const parsed = lines.map((l) => JSON.parse(l) as Event);
      logs.push({ key, text, lines, events: parsed });
      for (const e of parsed) events.push({ ...e, file: key });
    }
  }
  return { keys, songs, logs, events };
}

export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = m.get(k);
    if (list) list.push(item);
    else m.set(k, [item]);
  }
  return m;
}

/** A fresh temporary directory and a function that removes it. */
export function tempDir(prefix = 'sparkify-gen-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
