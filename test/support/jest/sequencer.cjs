// With a worker per core, a run lasts as long as its busiest worker, so the slowest files must start
// first: a 40 s file that starts last keeps one core busy long after the other has run out of work.
// Jest orders by the durations of its own last run, kept in its cache directory; a clean clone (CI)
// has no such cache, and jest then orders by file size, which starts the files that spawn scripts
// or a browser (short files, long runs) last. The durations recorded in test-durations.json stand in
// for that cache where it has none (`node scripts/record-test-durations.mjs` refreshes them).
const { relative } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;
const RECORDED_SECONDS = require('./test-durations.json');

class RecordedDurationsSequencer extends Sequencer {
  /** Jest's sort: a file that failed last time first, then unknown durations by size, then slowest first. */
  time(test) {
    const recorded = RECORDED_SECONDS[relative(test.context.config.rootDir, test.path)];
    return super.time(test) ?? (recorded === undefined ? undefined : recorded * 1000);
  }
}

module.exports = RecordedDurationsSequencer;
