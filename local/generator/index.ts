// The data set generator's public API. See generate.ts for the formats and the traps.
export { generateDataset, type GenerateSummary } from './generate';
export {
  DEFAULTS,
  GeneratorArgumentError,
  LIMITS,
  parseGenerateArgs,
  resolveOptions,
  GENERATE_COMMAND,
  type CliRequest,
  type GenerateOptions,
} from './options';
export {
  formatLogEvent,
  formatLogJsonPaths,
  formatSongRecord,
  LOG_EVENT_KEYS,
  SONG_KEYS,
  type LogEvent,
  type SongRecord,
} from './json';
export { songKey } from './catalogue';
export { logKey } from './writer';
export { runGenerateCli } from './cli';
