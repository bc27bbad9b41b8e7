import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { SparkifyConfig } from './config';
import { SparkifyDwhStack } from './sparkify-dwh-stack';

export const STACK_ID = 'SparkifyDwh';

/**
 * Adds the stack to an app, with the cdk-nag AWS Solutions checks that make an unsuppressed finding
 * fail the synth. The CLI app (bin/) and in-process callers (tests, the local runner) share this;
 * pass an App with `context: { 'aws:cdk:bundling-stacks': [] }` to skip bundling the Lambdas.
 */
export function addSparkifyDwh(app: App, config: SparkifyConfig): SparkifyDwhStack {
  const stack = new SparkifyDwhStack(app, STACK_ID, {
    config,
    env: { region: config.region },
    description: `Sparkify data warehouse (${config.warehouse.kind} Redshift) and its Step Functions ETL`,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
