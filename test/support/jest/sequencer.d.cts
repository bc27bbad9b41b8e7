import Sequencer from '@jest/test-sequencer';

/** Jest's sequencer, with the durations of test-durations.json where jest's own cache has none. */
declare class RecordedDurationsSequencer extends Sequencer {}
export = RecordedDurationsSequencer;
