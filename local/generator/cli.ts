import { generateDataset, type GenerateSummary } from './generate';
import { ArgumentError, argumentErrorText, helpText } from '../cli/arguments';
import { GENERATE_COMMAND, parseGenerateArgs } from './options';

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const consoleOutput: CliOutput = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
};

function describe(s: GenerateSummary, seconds: number): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const last = s.logKeys[s.logKeys.length - 1]?.slice(-22, -12) ?? s.start;
  return [
    `Wrote a Sparkify data set to ${s.outDir} (seed ${s.seed}, ${s.days} day(s) from ${s.start}) in ${seconds.toFixed(2)} s`,
    `  song_data/           ${n(s.files.songs)} files: ${n(s.songs)} songs by ${n(s.artists)} artists`,
    `  log_data/            ${n(s.files.logs)} files (${s.start} … ${last}): ${n(s.events)} events, ` +
      `${n(s.nextSongEvents)} NextSong, ${n(s.users)} users`,
    `  log_json_path.json`,
    `  ${n(s.files.total)} files, ${(s.bytes / 1e6).toFixed(1)} MB`,
  ].join('\n');
}

/** The generate command: returns the exit code (0 done, 1 failed, 2 bad arguments). */
export function runGenerateCli(argv: readonly string[], output: CliOutput = consoleOutput): number {
  try {
    const request = parseGenerateArgs(argv);
    if (request.help || !request.options) {
      output.out(helpText(GENERATE_COMMAND));
      return 0;
    }
    const began = performance.now();
    const summary = generateDataset(request.options);
    const seconds = (performance.now() - began) / 1000;
    output.out(request.json ? JSON.stringify(summary, null, 2) : describe(summary, seconds));
    return 0;
  } catch (e) {
    if (e instanceof ArgumentError) {
      output.err(argumentErrorText(GENERATE_COMMAND, e));
      return 2;
    }
    output.err(`generate: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  }
}
