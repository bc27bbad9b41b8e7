import { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { etlFunctionEntry, projectRoot, type EtlFunctionKey } from '../../contract/functions';
import { diagnosticLogGroup } from './log-group';

export interface EtlFunctionProps {
  readonly handler: EtlFunctionKey;
  readonly description: string;
  /** Supplied, never generated, so that the roles stay exactly what the stack grants. */
  readonly role: iam.IRole;
  /** @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
}

/** The runtime every pipeline handler runs on; the local sandboxes bundle for the same Node.js. */
export const ETL_FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * How every pipeline handler is bundled: the local runner builds the very same bundle for its
 * sandboxes, so what runs locally is what `cdk deploy` uploads.
 */
export const ETL_FUNCTION_BUNDLING = {
  format: nodejs.OutputFormat.CJS,
  loader: { '.sql': 'text' },
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  bundleAwsSDK: true,
  logLevel: nodejs.LogLevel.WARNING,
} as const satisfies nodejs.BundlingOptions;

/**
 * A pipeline handler with the project's defaults: bundled by the local esbuild (no Docker) with the
 * SQL files as text and the AWS SDK pinned inside the bundle, on arm64, traced, source-mapped, and
 * logging to a log group the stack owns (kept a month, removed with the stack).
 */
export class EtlFunction extends nodejs.NodejsFunction {
  constructor(scope: Construct, id: string, props: EtlFunctionProps) {
    const logGroup = diagnosticLogGroup(scope, `${id}Logs`);
    super(scope, id, {
      entry: etlFunctionEntry(props.handler),
      projectRoot: projectRoot(),
      handler: 'handler',
      description: props.description,
      runtime: ETL_FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: props.timeout ?? Duration.seconds(30),
      role: props.role,
      // Stack traces through the bundle's source map, not the minified code.
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      bundling: ETL_FUNCTION_BUNDLING,
    });
    logGroup.grantWrite(props.role);
  }
}
