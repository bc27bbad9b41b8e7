import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseOptions, USAGE, UsageError } from './options';
import { QUERIES, QUERY_NAMES, type Answers } from './queries';
import { InterruptedError, runQuery } from './query-runner';
import { reportSections } from './sections';
import { terminalTable } from './terminal-table';

async function main(): Promise<void> {
  // npm runs scripts from the repository root; INIT_CWD is where the person typed the command.
  const options = parseOptions(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd());
  if (options.help) {
    console.log(USAGE);
    return;
  }
  // Ctrl-C stops the local pipeline as StopExecution would, or cancels the queries, and cleans up;
  // a second one quits at once.
  const interrupt = new AbortController();
  process.once('SIGINT', () => interrupt.abort());
  // Loaded once the arguments are read: the local pipeline, the AWS SDK and Vega take most of a
  // second to load, which --help and a refused option need not wait for.
  const [{ openSource }, { reportHtml }] = await Promise.all([
    import('./warehouse-source'),
    import('./html-report'),
  ]);
  const source = await openSource(options.target, (line) => console.log(line), interrupt.signal);
  try {
    const started = performance.now();
    // The Data API runs statements side by side; a local engine queues them.
    const answered = await Promise.all(
      QUERY_NAMES.map(
        async (name) => [name, await runQuery(source.client, name, QUERIES[name], interrupt.signal)] as const,
      ),
    );
    const answers = Object.fromEntries(answered) as Answers;
    const queried = performance.now();
    for (const [name, answer] of answered) console.log(`\n${name}\n${terminalTable(answer)}`);
    const html = await reportHtml(reportSections(answers), answers, {
      source: source.description,
      generatedAt: new Date(),
    });
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, html);
    const seconds = (from: number, to: number) => `${((to - from) / 1000).toFixed(1)} s`;
    const written = performance.now();
    console.log(
      `\nreport    ${options.out}  (${QUERY_NAMES.length} queries in ${seconds(started, queried)}, charts and page in ${seconds(queried, written)})`,
    );
    if (options.json) {
      const rows = Object.fromEntries(answered.map(([name, answer]) => [name, answer.rows]));
      console.log(JSON.stringify(rows));
    }
  } finally {
    await source.close();
  }
}

// What a person most likely meant when a query finds no table: a warehouse the pipeline never filled.
const NO_TABLE = /relation "[^"]+" does not exist/;

main().catch((error: Error) => {
  if (error instanceof InterruptedError) {
    console.error(`✗ interrupted: ${error.message}`);
    process.exitCode = 130;
    return;
  }
  console.error(`✗ ${error.message}`);
  if (NO_TABLE.test(error.message))
    console.error(
      "  The warehouse lacks the pipeline's tables: run the pipeline on it first (npm run local -- --database …).",
    );
  if (error instanceof UsageError) console.error('  npm run analytics -- --help lists the options.');
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
