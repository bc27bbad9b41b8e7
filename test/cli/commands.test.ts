import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '../../local/engine/open-engine';

// The npm scripts as a person meets them: each one spawned the way `npm run` starts it (through
// scripts/run.mjs, from the repository root, with the directory the user typed it in as INIT_CWD).

const REPO = join(__dirname, '..', '..');
const ENTRIES = {
  local: 'local/cli/local.ts',
  'local:redshift': 'local/cli/redshift.ts',
  'start-execution': 'bin/start-execution.ts',
} as const;
/** A typo of one of each script's options, and that option. */
const TYPOS: Record<keyof typeof ENTRIES, readonly [string, string]> = {
  local: ['--dta', '--data'],
  'local:redshift': ['--prot', '--port'],
  'start-execution': ['--inptu', '--input'],
};
type Script = keyof typeof ENTRIES;

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'sparkify-cli-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function environment(): NodeJS.ProcessEnv {
  // A shell without the SDK switch that scripts/run.mjs sets: its notice must not show up anyway.
  const env: NodeJS.ProcessEnv = { ...process.env, INIT_CWD: scratch };
  delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  return env;
}

function run(script: Script, ...args: string[]) {
  return spawnSync(process.execPath, ['scripts/run.mjs', ENTRIES[script], ...args], {
    cwd: REPO,
    env: environment(),
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe.each(Object.keys(ENTRIES) as Script[])('npm run %s', (script) => {
  test('--help prints the usage and every option, and exits 0', () => {
    const { status, stdout, stderr } = run(script, '--help');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(new RegExp(`^usage: npm run ${script} -- `));
    expect(stdout).toMatch(/-h, --help +print this help\n$/);
  });

  test('an unknown option is refused with exit code 2, naming the nearest known one', () => {
    const [typo, meant] = TYPOS[script];
    const { status, stdout, stderr } = run(script, typo, 'x');
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `✗ unknown option ${typo}; did you mean ${meant}?\n  (npm run ${script} -- --help lists the options)\n`,
    );
    expect(status).toBe(2);
  });
});

test('a bad number is refused by name', () => {
  const { status, stderr } = run('local:redshift', '--port', 'abc');
  expect(stderr.split('\n')[0]).toBe('✗ --port must be a non-negative integer, got "abc"');
  expect(status).toBe(2);
});

test('--data that does not exist is refused before anything starts, named as resolved from the invocation directory', () => {
  const { status, stdout, stderr } = run('local', '--data', 'no-such-data');
  expect(stdout).toBe('');
  expect(stderr.split('\n')[0]).toBe(`✗ --data ${join(scratch, 'no-such-data')}: no such directory`);
  expect(status).toBe(2);
});

/** Spawns a long-running script; resolves with its output and exit once it ends. */
function start(script: Script, args: readonly string[]) {
  const child = spawn(process.execPath, ['scripts/run.mjs', ENTRIES[script], ...args], {
    cwd: REPO,
    env: environment(),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  const printed = async (pattern: RegExp) => {
    while (!pattern.test(stdout)) {
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode} first:\n${stdout}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { child, ended, printed };
}

test('local:redshift prints both ways to reach it, --endpoint-url and the variable, and Ctrl-C stops it', async () => {
  const server = start('local:redshift', ['--port', '0']);
  await server.printed(/Ctrl-C stops it\.\n/);
  server.child.kill('SIGINT');
  const { code, stdout, stderr } = await server.ended;
  const endpoint = /^endpoint {2}(http:\/\/127\.0\.0\.1:\d+) /m.exec(stdout)?.[1];
  expect(endpoint).toBeDefined();
  expect(stdout).toContain(`aws redshift-data execute-statement --endpoint-url ${endpoint} \\\n`);
  expect(stdout).toContain(`export AWS_ENDPOINT_URL_REDSHIFT_DATA=${endpoint}\n`);
  expect(stdout).toMatch(/stopping: aborting queued statements and waiting for the running one\n$/);
  expect(stderr).toBe('');
  expect(code).toBe(0);
});

describe('a taken port', () => {
  let blocker: Server;
  beforeAll(() => new Promise<void>((resolve) => (blocker = createServer().listen(0, '127.0.0.1', resolve))));
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  test('is named in one line that suggests --port', async () => {
    const { port } = blocker.address() as { port: number };
    const { code, stdout, stderr } = await start('local:redshift', ['--port', String(port)]).ended;
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `✗ port ${port} is taken (another local:redshift?); choose another with --port, e.g. --port ${port + 1}, or --port 0 for any free one\n`,
    );
    expect(code).toBe(1);
  });
});

test('Ctrl-C stops a run with one line, removes the generated data set and leaves the audit row ABORTED', async () => {
  const database = join(scratch, 'warehouse');
  const local = start('local', ['--database', 'pglite:warehouse']);
  await local.printed(/✓ claim_run/);
  local.child.kill('SIGINT');
  const { code, stdout, stderr } = await local.ended;

  expect(stderr).toMatch(
    /^✗ interrupted after [\d.]+ m?s: run (local-\d+-1) marked ABORTED in etl_runs, \d+ statement\(s\) cancelled\n$/,
  );
  expect(code).toBe(130);
  const sample = /^data {6}(\S+) \(generated/m.exec(stdout)?.[1];
  expect(sample).toBeDefined();
  expect(existsSync(sample!)).toBe(false);

  const runId = /run (\S+) marked/.exec(stderr)?.[1];
  const engine = await openEngine(`pglite:${database}`);
  try {
    const { rows } = await engine.transaction((session) =>
      session.query('SELECT status, finished_at IS NOT NULL AS finished FROM etl_runs WHERE run_id = $1', [
        runId,
      ]),
    );
    expect(rows).toEqual([{ status: 'ABORTED', finished: true }]);
  } finally {
    await engine.close();
  }
});
