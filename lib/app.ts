import { readFileSync } from 'node:fs';
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

/**
 * The app as `cdk synth` builds it: context read and validated once, then the stack, with the
 * cdk-nag AWS Solutions checks that make an unacknowledged finding fail the synth. bin/, the local
 * runner and the tests all build it here, so none of them can differ in how.
 */
export function buildApp(options: BuildAppOptions = {}): BuiltApp {
  const context = options.context === undefined ? undefined : { ...cdkJsonContext(), ...options.context };
  const bundling = options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {};
  const app = new App(
    context === undefined ? { context: bundling } : { context: { ...context, ...bundling } },
  );
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
