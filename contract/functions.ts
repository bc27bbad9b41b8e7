import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The pipeline's Lambda handlers, keyed as `SparkifyDwhStack.functions` is. The CDK bundles these
 * entries, and the local runner runs each function of the synthesized template from the same ones.
 */
export const ETL_FUNCTION_ENTRIES = {
  planRun: 'lambda/plan-run/index.ts',
  submitStatement: 'lambda/submit-statement/index.ts',
  pollStatement: 'lambda/poll-statement/index.ts',
  stopCleanup: 'lambda/stop-cleanup/index.ts',
} as const;

export type EtlFunctionKey = keyof typeof ETL_FUNCTION_ENTRIES;

export const ETL_FUNCTION_KEYS = Object.keys(ETL_FUNCTION_ENTRIES) as EtlFunctionKey[];

/**
 * The functions the state machine's Tasks invoke. The stop cleanup is not one of them: EventBridge
 * invokes it once an execution has ended, so the state machine's role may not.
 */
export const TASK_FUNCTION_KEYS = [
  'planRun',
  'submitStatement',
  'pollStatement',
] as const satisfies readonly EtlFunctionKey[];

export type TaskFunctionKey = (typeof TASK_FUNCTION_KEYS)[number];

let root: string | undefined;

/**
 * The directory holding `cdk.json`, found by walking up from the working directory. `__dirname`
 * cannot anchor paths here: scripts/run.mjs bundles the app into its build cache as ESM, where it is
 * neither this file's directory nor defined. `cdk`, jest and the local runner all run from the
 * repository (or below it), so the working directory is.
 */
export function projectRoot(): string {
  if (root !== undefined) return root;
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'cdk.json')) && existsSync(join(dir, 'package.json'))) return (root = dir);
    if (dirname(dir) === dir) {
      throw new Error(`no cdk.json in ${process.cwd()} or above: run from the sparkify-dwh repository`);
    }
  }
}

/** Absolute path of a handler's entry module. */
export function etlFunctionEntry(key: EtlFunctionKey): string {
  return join(projectRoot(), ETL_FUNCTION_ENTRIES[key]);
}
