import { buildApp } from '../../lib/app';
import { functionEnvironment, type FunctionSettings } from '../../contract/environment';
import type { SparkifyConfig } from '../../lib/config';
import { placeholderFunctionArn, renderDefinition } from '../../lib/definition';
import { ETL_FUNCTION_KEYS } from '../../contract/functions';
import { STATEMENT_TIMEOUT } from '../../lib/sparkify-dwh-stack';
import { LocalS3, parseS3Uri } from '../copy/local-s3';
import { startDataApiServer, type DataApiServer } from '../data-api/server';
import type { Engine } from '../engine/engine';
import { LocalWarehouse } from '../warehouse/local-warehouse';
import { LAMBDA_HANDLERS } from './lambda-handlers';
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

/**
 * The environment the CDK gives the Lambdas, with local stand-ins for what a deployment creates,
 * plus what the Lambda runtime and the SDK need to reach the local Data API endpoint.
 */
export function localLambdaEnvironment(config: SparkifyConfig, endpoint: string): Record<string, string> {
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
  return {
    ...Object.assign({}, ...ETL_FUNCTION_KEYS.map((key) => functionEnvironment(key, settings))),
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: LOCAL.credentials,
    AWS_SECRET_ACCESS_KEY: LOCAL.credentials,
    AWS_ENDPOINT_URL_REDSHIFT_DATA: endpoint,
  };
}

/**
 * The app as `cdk synth` builds it (cdk.json's context, feature flags included, under any
 * overrides), without bundling the Lambdas: its validated configuration and the state machine
 * definition, function ARNs made local.
 */
export function synthesizeLocally(overrides: Readonly<Record<string, unknown>> = {}): {
  config: SparkifyConfig;
  definition: Record<string, unknown>;
} {
  const { config, stack } = buildApp({ context: overrides, bundle: false });
  return { config, definition: renderDefinition(stack) };
}

// The handlers read their environment once per process, so one process serves one endpoint.
let boundEndpoint: string | undefined;

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
 * aws-local-stepfunctions, its Tasks running the real Lambda handlers in this process, whose real
 * Data API client talks to a local Data API endpoint over HTTP, which runs the SQL on the engine.
 */
export class LocalPipeline {
  private runs = 0;

  private constructor(
    readonly warehouse: LocalWarehouse,
    readonly config: SparkifyConfig,
    private readonly server: DataApiServer,
    private readonly definition: Record<string, unknown>,
    private readonly handlers: Readonly<Record<string, TaskHandler>>,
    private readonly waitMs: number,
  ) {}

  static async start(options: LocalPipelineOptions): Promise<LocalPipeline> {
    if (boundEndpoint !== undefined) {
      throw new Error(
        `this process already runs a local pipeline (Data API at ${boundEndpoint}); close it first`,
      );
    }
    const { config, definition } = synthesizeLocally(options.context);
    const s3 = new LocalS3();
    for (const location of [config.data.songData, config.data.logData, config.data.logJsonPath]) {
      s3.mount(parseS3Uri(location.uri).bucket, options.dataDir);
    }
    const warehouse = new LocalWarehouse(options.engine, s3);
    const server = await startDataApiServer({ warehouse });
    boundEndpoint = server.endpoint;
    Object.assign(process.env, localLambdaEnvironment(config, server.endpoint));
    const handlers: Record<string, TaskHandler> = {};
    for (const key of ETL_FUNCTION_KEYS) {
      handlers[placeholderFunctionArn(key)] = await LAMBDA_HANDLERS[key]();
    }
    return new LocalPipeline(warehouse, config, server, definition, handlers, options.waitMs ?? 0);
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
    return executeLocally({
      definition: this.definition,
      handlers: this.handlers,
      input,
      executionName: options.executionName ?? `local-${Date.now()}-${++this.runs}`,
      waitMs: this.waitMs,
      ...(options.onState ? { onState: options.onState } : {}),
    });
  }

  /** Stops the Data API endpoint; the engine stays open, it is the caller's. */
  async close(): Promise<void> {
    await this.server.close();
    boundEndpoint = undefined;
  }
}
