import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { projectRoot } from '../contract/functions';
import { loadConfig, type SparkifyConfig } from './config';
import { SparkifyDwhStack } from './sparkify-dwh-stack';

export const STACK_ID = 'SparkifyDwh';

/** The default copy keeps the plain stack id it has always had; a stage gets a copy of its own. */
export function stackId(stage: string | undefined): string {
  return stage === undefined ? STACK_ID : `${STACK_ID}-${stage}`;
}

export interface BuildAppOptions {
  /**
   * Context over cdk.json's, as `-c key=value` gives it to `cdk synth`. Without it the App reads
   * the context the CDK CLI hands it, which already holds cdk.json's.
   * @default - the CDK CLI's context
   */
  readonly context?: Readonly<Record<string, unknown>>;
  /**
   * Whether the Lambdas are bundled; in-process callers (tests, the local runner) skip it.
   * @default true
   */
  readonly bundle?: boolean;
}

export interface BuiltApp {
  readonly app: App;
  readonly config: SparkifyConfig;
  readonly stack: SparkifyDwhStack;
}

let scratch: string | undefined;

/**
 * Where an App synthesizes when no CDK CLI named a directory (CDK_OUTDIR): the tests and the local
 * runner. Left to itself the App makes a new os.tmpdir()/cdk.outXXXX per instance and never removes
 * it; here each App still gets a directory of its own, all under one that goes away: the one
 * SPARKIFY_SCRATCH_ROOT names (jest's, per test file: its sandbox never emits 'exit'), or one made
 * for this process and removed when it exits.
 */
function scratchOutdir(): string | undefined {
  if (process.env.CDK_OUTDIR !== undefined) return undefined;
  let parent = process.env.SPARKIFY_SCRATCH_ROOT ?? scratch;
  if (parent === undefined) {
    const made = mkdtempSync(join(tmpdir(), 'sparkify-cdk-'));
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
    parent = scratch = made;
  }
  return mkdtempSync(join(parent, 'cdk.out-'));
}

/**
 * The app as `cdk synth` builds it: context read and validated once, then the stack, with the
 * cdk-nag AWS Solutions checks that make an unacknowledged finding fail the synth. bin/, the local
 * runner and the tests all build it here, so none of them can differ in how.
 */
export function buildApp(options: BuildAppOptions = {}): BuiltApp {
  const context = options.context === undefined ? undefined : { ...cdkJsonContext(), ...options.context };
  const bundling = options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {};
  const outdir = scratchOutdir();
  const app = new App({
    context: context === undefined ? bundling : { ...context, ...bundling },
    ...(outdir === undefined ? {} : { outdir }),
  });
  const config = loadConfig(app.node.getAllContext());
  const stack = new SparkifyDwhStack(app, stackId(config.stage), {
    config,
    env: { region: config.region },
    description: `Sparkify data warehouse (${config.warehouse.kind} Redshift) and its Step Functions ETL${config.stage === undefined ? '' : `, stage ${config.stage}`}`,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, config, stack };
}

/** cdk.json's context: the feature flags and default keys `cdk synth` runs with. */
export function cdkJsonContext(): Record<string, unknown> {
  return (
    JSON.parse(readFileSync(join(projectRoot(), 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
  ).context;
}
