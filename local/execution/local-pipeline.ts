import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { buildApp } from '../../lib/app';
import { functionEnvironment, type FunctionSettings } from '../../contract/environment';
import type { SparkifyConfig } from '../../lib/config';
import { placeholderFunctionArn, renderDefinition } from '../../lib/definition';
import { ETL_FUNCTION_KEYS, type EtlFunctionKey } from '../../contract/functions';
import { STATEMENT_TIMEOUT, type SparkifyDwhStack } from '../../lib/sparkify-dwh-stack';
import { LocalS3, parseS3Uri } from '../copy/local-s3';
import { startDataApiServer, type DataApiServer } from '../data-api/server';
import type { Engine } from '../engine/engine';
import { LocalWarehouse } from '../warehouse/local-warehouse';
import { lambdaBundles } from './lambda-bundles';
import { LocalLambda, type LocalFunction } from './lambda-sandbox';
import {
  executeLocally,
  type ExecutionOutcome,
  type TaskHandler,
  type VisitedState,
} from './local-execution';

/** Names that stand in, locally, for what a deployment creates. */
const LOCAL = {
  workgroup: 'local',
  account: '000000000000',
  credentials: 'local',
} as const;

/** What the template fixes for a function, whatever the deployment: its timeout and literal variables. */
export interface DeployedFunction {
  readonly timeoutSeconds: number;
  /** The environment variables whose values are plain strings in the template (no tokens). */
  readonly literalEnvironment: Readonly<Record<string, string>>;
}

function deployedFunction(stack: SparkifyDwhStack, key: EtlFunctionKey): DeployedFunction {
  const cfn = stack.etlFunctions.functions[key].node.defaultChild as CfnFunction;
  const timeout: unknown = stack.resolve(cfn.timeout);
  if (typeof timeout !== 'number') throw new Error(`function ${key}: no timeout in the template`);
  const variables = (stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined)
    ?.variables;
  const literalEnvironment = Object.fromEntries(
    Object.entries(variables ?? {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
  return { timeoutSeconds: timeout, literalEnvironment };
}

/**
 * Each function as the local runner runs it: the template's timeout, and the environment the CDK
 * gives it with local stand-ins for what a deployment creates, plus what the Lambda runtime and
 * the SDK need to reach the local Data API endpoint.
 */
export function localFunctions(
  config: SparkifyConfig,
  deployed: Readonly<Record<EtlFunctionKey, DeployedFunction>>,
  endpoint: string,
): LocalFunction[] {
  const region = config.region;
  const settings: FunctionSettings = {
    target: { kind: 'serverless', workgroupName: LOCAL.workgroup },
    database: config.databaseName,
    secretArn: `arn:aws:secretsmanager:${region}:${LOCAL.account}:secret:local-admin`,
    songDataUri: config.data.songData.uri,
    logDataUri: config.data.logData.uri,
    logJsonPathUri: config.data.logJsonPath.uri,
    dataRegion: config.data.region,
    copyRoleArn: `arn:aws:iam::${LOCAL.account}:role/local-copy`,
    statementTimeoutSeconds: STATEMENT_TIMEOUT.toSeconds(),
  };
  return ETL_FUNCTION_KEYS.map((key) => ({
    key,
    name: key,
    arn: placeholderFunctionArn(key),
    timeoutSeconds: deployed[key].timeoutSeconds,
    environment: {
      ...deployed[key].literalEnvironment,
      ...functionEnvironment(key, settings),
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: LOCAL.credentials,
      AWS_SECRET_ACCESS_KEY: LOCAL.credentials,
      AWS_ENDPOINT_URL_REDSHIFT_DATA: endpoint,
    },
  }));
}

/**
 * The app as `cdk synth` builds it (cdk.json's context, feature flags included, under any
 * overrides), without bundling the Lambdas: its validated configuration and the state machine
 * definition, function ARNs made local.
 */
export function synthesizeLocally(overrides: Readonly<Record<string, unknown>> = {}): {
  config: SparkifyConfig;
  definition: Record<string, unknown>;
  functions: Record<EtlFunctionKey, DeployedFunction>;
} {
  const { config, stack } = buildApp({ context: overrides, bundle: false });
  const functions = Object.fromEntries(ETL_FUNCTION_KEYS.map((key) => [key, deployedFunction(stack, key)]));
  return {
    config,
    definition: renderDefinition(stack),
    functions: functions as Record<EtlFunctionKey, DeployedFunction>,
  };
}

export interface LocalPipelineOptions {
  readonly engine: Engine;
  /** Context keys over cdk.json's, as `-c key=value` gives them to `cdk synth`. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** The directory that stands in for the data bucket(s) the configuration names. */
  readonly dataDir: string;
  /** How long Wait states and retry intervals last locally. */
  readonly waitMs?: number;
}

/**
 * The deployed pipeline, run here: the synthesized state machine definition executed by
 * aws-local-stepfunctions, each Task invoking its function's bundle in a sandbox of its own (a
 * worker thread with the function's environment), whose real Data API client talks to a local
 * Data API endpoint over HTTP, which runs the SQL on the engine. Every pipeline has its own
 * sandboxes, so pipelines in one process never share a client or an environment.
 */
export class LocalPipeline {
  private runs = 0;

  private constructor(
    readonly warehouse: LocalWarehouse,
    readonly config: SparkifyConfig,
    private readonly server: DataApiServer,
    private readonly definition: Record<string, unknown>,
    private readonly lambdas: readonly LocalLambda[],
    private readonly waitMs: number,
  ) {}

  static async start(options: LocalPipelineOptions): Promise<LocalPipeline> {
    const { config, definition, functions } = synthesizeLocally(options.context);
    const s3 = new LocalS3();
    for (const location of [config.data.songData, config.data.logData, config.data.logJsonPath]) {
      s3.mount(parseS3Uri(location.uri).bucket, options.dataDir);
    }
    const warehouse = new LocalWarehouse(options.engine, s3);
    const bundles = await lambdaBundles();
    const server = await startDataApiServer({ warehouse });
    const lambdas = localFunctions(config, functions, server.endpoint).map(
      (fn) => new LocalLambda(fn, bundles.runtime, bundles.functions[fn.key]),
    );
    return new LocalPipeline(warehouse, config, server, definition, lambdas, options.waitMs ?? 0);
  }

  /** Points the data bucket(s) at another directory, for the next execution. */
  useData(dataDir: string): void {
    const { songData, logData, logJsonPath } = this.config.data;
    for (const location of [songData, logData, logJsonPath])
      this.warehouse.s3.mount(location.bucket, dataDir);
  }

  /** Starts an execution with the input one would paste in the console, and waits for its end. */
  execute(
    input: unknown,
    options: { executionName?: string; onState?: (state: VisitedState) => void } = {},
  ): Promise<ExecutionOutcome> {
    const handlers = Object.fromEntries(
      this.lambdas.map((lambda): [string, TaskHandler] => [lambda.fn.arn, (event) => lambda.invoke(event)]),
    );
    return executeLocally({
      definition: this.definition,
      handlers,
      input,
      executionName: options.executionName ?? `local-${Date.now()}-${++this.runs}`,
      waitMs: this.waitMs,
      ...(options.onState ? { onState: options.onState } : {}),
    });
  }

  /** Stops the sandboxes and the Data API endpoint; the engine stays open, it is the caller's. */
  async close(): Promise<void> {
    await Promise.all(this.lambdas.map((lambda) => lambda.close()));
    await this.server.close();
  }
}
