import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatLogEvent, formatLogJsonPaths, formatSongRecord, logKey, songKey } from '../../local/generator';
import { jsonFloat, jsonString } from '../../local/generator/json';
import { hasSharedData, SHARED_BUCKET as REAL_DATA } from '../support/shared-data';
import { listKeys } from './read-dataset';

// The real Udacity samples, when the shared folder sits beside the repository (as in CI).
const describeWithRealData = hasSharedData(REAL_DATA) ? describe : describe.skip;

describe('the bucket serialisation', () => {
  test("escapes '/' and non-ASCII like the bucket, and quotes like JSON", () => {
    expect(jsonString('AC/DC')).toBe('"AC\\/DC"');
    expect(jsonString('Mañana Café')).toBe('"Ma\\u00f1ana Caf\\u00e9"');
    expect(jsonString('say "hi"\\')).toBe('"say \\"hi\\"\\\\"');
    expect(jsonString('𝄞')).toBe('"\\ud834\\udd1e"');
    expect(JSON.parse(jsonString('a/é"\\𝄞'))).toBe('a/é"\\𝄞');
  });

  test('prints registration as a float', () => {
    expect(jsonFloat(1541044398796)).toBe('1541044398796.0');
    expect(jsonFloat(1.5)).toBe('1.5');
  });

  test('names files like the bucket', () => {
    expect(songKey('TRAAAAK128F9318786')).toBe('song_data/A/A/A/TRAAAAK128F9318786.json');
    expect(songKey('TRABCDE128F9318786')).toBe('song_data/A/B/C/TRABCDE128F9318786.json');
    expect(logKey(Date.UTC(2018, 10, 30, 23, 59, 59, 796))).toBe('log_data/2018/11/2018-11-30-events.json');
  });
});

describeWithRealData('the real Udacity samples', () => {
  test('every log line is reproduced byte for byte by formatLogEvent', () => {
    const dir = join(REAL_DATA, 'log_data', '2018', '11');
    let lines = 0;
    for (const name of readdirSync(dir)) {
      const text = readFileSync(join(dir, name), 'utf8');
      expect(text.endsWith('\n')).toBe(false);
      for (const line of text.split('\n')) {
        expect(formatLogEvent(JSON.parse(line))).toBe(line);
        lines++;
      }
    }
    expect(lines).toBe(8056);
  });

  test('every song file is reproduced byte for byte by formatSongRecord', () => {
    const keys = listKeys(join(REAL_DATA, 'song_data'));
    for (const key of keys) {
      const text = readFileSync(join(REAL_DATA, 'song_data', key), 'utf8');
      expect(formatSongRecord(JSON.parse(text))).toBe(text);
    }
    expect(keys.length).toBeGreaterThan(1900);
  });

  test('log_json_path.json is the same bytes', () => {
    expect(formatLogJsonPaths()).toBe(readFileSync(join(REAL_DATA, 'log_json_path.json'), 'utf8'));
  });
});
