import { ETL_FUNCTION_KEYS, TASK_FUNCTION_KEYS, type EtlFunctionKey } from '../../contract/functions';
import { statementAwaited } from '../../contract/steps';
import { buildApp } from '../../lib/app';
import type { SparkifyConfig } from '../../lib/config';
import { localDeployment, type LocalDeployment } from '../cloud/local-deployment';
import { LocalS3, parseS3Uri } from '../copy/local-s3';
import { startDataApiServer, type DataApiServer } from '../data-api/server';
import type { Engine } from '../engine/engine';
import { copyS3Authorizer } from '../iam/copy-authorizer';
import { dataApiAuthorizer } from '../iam/data-api-authorizer';
import { s3ListAuthorizer } from '../iam/s3-authorizer';
import { startS3Server, type S3Server } from '../s3/server';
import { canInvoke, canStartExecution, type Denial } from '../iam/pipeline-checks';
import { lambdaCredentialsEnvironment, LocalSts } from '../iam/sts';
import { untrustedRoles } from '../iam/trust';
import { LocalWarehouse } from '../warehouse/local-warehouse';
import { lambdaBundles } from './lambda-bundles';
import { LocalLambda, type LocalFunction } from './lambda-sandbox';
import { deliverStatusChange, type StatusChangeDelivery } from './status-change';
import {
  executeLocally,
  type ExecutionOutcome,
  type TaskHandler,
  type VisitedState,
} from './local-execution';

/** Where the functions' SDK clients send their calls: the local stand-ins of those services. */
export interface LocalEndpoints {
  readonly redshiftData: string;
  /** @default - no S3 endpoint: a function that lists the log location fails to reach it */
  readonly s3?: string;
}

/**
 * Each function as the local runner runs it, from the template as deployed locally: its timeout,
 * its environment (the builder's values, resolved), and credentials of its own role in a session
 * named after the function, as Lambda gives them; plus the local endpoints of the services they call.
 */
export function localFunctions(
  deployment: LocalDeployment,
  sts: LocalSts,
  endpoints: LocalEndpoints,
): LocalFunction[] {
  return ETL_FUNCTION_KEYS.map((key) => {
    const fn = deployment.functions[key];
    return {
      key,
      name: fn.name,
      arn: fn.arn,
      timeoutSeconds: fn.timeoutSeconds,
      environment: {
        ...fn.environment,
        ...lambdaCredentialsEnvironment(sts, fn),
        AWS_REGION: deployment.region,
        AWS_ENDPOINT_URL_REDSHIFT_DATA: endpoints.redshiftData,
        ...(endpoints.s3 === undefined ? {} : { AWS_ENDPOINT_URL_S3: endpoints.s3 }),
      },
    };
  });
}

/**
 * What IAM would refuse before any SQL runs: a role its service cannot assume, a schedule that
 * cannot start the state machine. Invocations the state machine's role may not make fail their
 * Task instead, as they do on AWS.
 */
async function deploymentProblems(deployment: LocalDeployment): Promise<string[]> {
  const untrusted = (await untrustedRoles(deployment)).map((problem) => `trust: ${problem}`);
  const start = canStartExecution(deployment);
  return [...untrusted, ...(start ? [`schedule: ${start.error}: ${start.cause}`] : [])];
}

/** An execution's end, and where EventBridge took the status change it raised. */
export type PipelineOutcome = ExecutionOutcome & { readonly deliveries: readonly StatusChangeDelivery[] };

export class DeploymentRefusedError extends Error {
  override readonly name = 'DeploymentRefused';
}

export interface LocalPipelineOptions {
  readonly engine: Engine;
  /** Context keys over cdk.json's, as `-c key=value` gives them to `cdk synth`. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** The directory that stands in for the data bucket(s) the configuration names. */
  readonly dataDir: string;
  /** How long a one-second Wait and a retry interval last locally (see executeLocally). */
  readonly waitMs?: number;
  /**
   * Amends the stack as deployed locally before anything runs, as a changed template would: how
   * tests show what AWS refuses when a policy loses a statement.
   * @default - the synthesized stack as it is
   */
  readonly amend?: (deployment: LocalDeployment) => LocalDeployment;
}

/**
 * The deployed pipeline, run here: the synthesized state machine definition executed by
 * aws-local-stepfunctions, each Task invoking its function's bundle in a sandbox of its own (a
 * worker thread with the function's environment), whose real Data API client talks to a local
 * Data API endpoint over HTTP, which runs the SQL on the engine (and the plan function's S3 client
 * to a local S3 endpoint that lists the same directories). Every pipeline has its own
 * sandboxes, so pipelines in one process never share a client or an environment.
 */
export class LocalPipeline {
  private runs = 0;

  private constructor(
    readonly warehouse: LocalWarehouse,
    readonly config: SparkifyConfig,
    readonly deployment: LocalDeployment,
    private readonly server: DataApiServer,
    private readonly s3Server: S3Server,
    private readonly lambdas: readonly LocalLambda[],
    private readonly waitMs: number,
  ) {}

  static async start(options: LocalPipelineOptions): Promise<LocalPipeline> {
    const built = buildApp({ context: options.context ?? {}, bundle: false });
    const synthesized = localDeployment(built);
    const deployment = options.amend ? options.amend(synthesized) : synthesized;
    const problems = await deploymentProblems(deployment);
    if (problems.length > 0) {
      throw new DeploymentRefusedError(`AWS would refuse this deployment:\n  ${problems.join('\n  ')}`);
    }
    const s3 = new LocalS3({}, await copyS3Authorizer(deployment));
    const { data } = built.config;
    for (const location of [data.songData, data.logData, data.logJsonPath]) {
      s3.mount(parseS3Uri(location.uri).bucket, options.dataDir);
    }
    const warehouse = new LocalWarehouse(options.engine, s3);
    // Installed by the engine while this thread starts the endpoints; the first statement awaits it
    // and a failure shows there.
    warehouse.installCatalog().catch(() => undefined);
    const bundles = await lambdaBundles();
    const sts = new LocalSts(deployment.account);
    const server = await startDataApiServer({ warehouse, authorizer: dataApiAuthorizer(deployment, sts) });
    const s3Server = await startS3Server(s3, s3ListAuthorizer(deployment, sts, data.region));
    const endpoints = { redshiftData: server.endpoint, s3: s3Server.endpoint };
    const lambdas = localFunctions(deployment, sts, endpoints).map(
      (fn) => new LocalLambda(fn, bundles.runtime, bundles.functions[fn.key]),
    );
    // The state machine's own functions load their bundles side by side now, not one after another
    // as the first execution reaches each; the stop cleanup runs only when an execution ends badly.
    const taskFunctions: readonly EtlFunctionKey[] = TASK_FUNCTION_KEYS;
    for (const lambda of lambdas) if (taskFunctions.includes(lambda.fn.key)) lambda.warm();
    return new LocalPipeline(
      warehouse,
      built.config,
      deployment,
      server,
      s3Server,
      lambdas,
      options.waitMs ?? 0,
    );
  }

  /** Points the data bucket(s) at another directory, for the next execution. */
  useData(dataDir: string): void {
    const { songData, logData, logJsonPath } = this.config.data;
    for (const location of [songData, logData, logJsonPath])
      this.warehouse.s3.mount(location.bucket, dataDir);
  }

  /**
   * Starts an execution with the input one would paste in the console, and waits for its end and
   * for the rules its status change matches (the stop cleanup's) to have run their targets.
   */
  async execute(
    input: unknown,
    options: { executionName?: string; onState?: (state: VisitedState) => void; signal?: AbortSignal } = {},
  ): Promise<PipelineOutcome> {
    const handlers = Object.fromEntries(
      this.lambdas.map((lambda): [string, TaskHandler] => {
        const denial = canInvoke(this.deployment, lambda.fn.arn);
        const invoke: TaskHandler = (event) => lambda.invoke(event);
        return [lambda.fn.arn, denial ? () => Promise.reject(new InvokeDeniedError(denial)) : invoke];
      }),
    );
    const name = options.executionName ?? `local-${Date.now()}-${++this.runs}`;
    const startDate = Date.now();
    const outcome = await executeLocally({
      definition: this.deployment.stateMachine.definition,
      handlers,
      input,
      executionName: name,
      waitMs: this.waitMs,
      wakeWait: (secondsPath, input) => {
        const statementId = statementAwaited(secondsPath, input);
        return statementId === undefined ? undefined : this.server.whenEnded(statementId);
      },
      ...(options.onState ? { onState: options.onState } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const ended = { name, input, startDate, stopDate: Date.now(), outcome };
    const deliveries = await deliverStatusChange(this.deployment, ended, (arn, event) =>
      this.lambdaOf(arn).invoke(event),
    );
    return { ...outcome, deliveries };
  }

  private lambdaOf(arn: string): LocalLambda {
    const lambda = this.lambdas.find((candidate) => candidate.fn.arn === arn);
    if (!lambda) throw new Error(`no local sandbox for ${arn}`);
    return lambda;
  }

  /** Stops the sandboxes and the local endpoints; the engine stays open, it is the caller's. */
  async close(): Promise<void> {
    await Promise.all(this.lambdas.map((lambda) => lambda.close()));
    await Promise.all([this.server.close(), this.s3Server.close()]);
  }
}

/** Step Functions' error when its role may not invoke the Task's function: Lambda's 403. */
class InvokeDeniedError extends Error {
  constructor(denial: Denial) {
    super(denial.cause);
    this.name = denial.error;
  }
}
