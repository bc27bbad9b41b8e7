import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { stepStatePath, type StepName } from '../../contract/steps';

/** Lambda failures worth another try: the invocation, not the handler, went wrong. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/** Data API throttling, surfacing from a handler under the SDK exception's name. */
export const DATA_API_THROTTLING_ERRORS = ['ThrottlingException', 'ActiveStatementsExceededException'];

/**
 * Invokes a pipeline handler, its payload the Task's parameters and its return value the result
 * (so the Task's Resource is the function ARN itself), retrying only what a retry can fix. Handler
 * errors such as StatementFailed are not retried: they fail the execution with their message.
 */
export function invokeHandler(
  scope: Construct,
  id: string,
  props: Omit<tasks.LambdaInvokeProps, 'payloadResponseOnly' | 'retryOnServiceExceptions'> & {
    readonly callsDataApi: boolean;
  },
): tasks.LambdaInvoke {
  const { callsDataApi, ...invokeProps } = props;
  const task = new tasks.LambdaInvoke(scope, id, {
    ...invokeProps,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
  });
  const jitter = sfn.JitterType.FULL;
  task.addRetry({
    errors: LAMBDA_SERVICE_ERRORS,
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts: 6,
    maxDelay: Duration.seconds(30),
    jitterStrategy: jitter,
  });
  if (callsDataApi) {
    task.addRetry({
      errors: DATA_API_THROTTLING_ERRORS,
      interval: Duration.seconds(5),
      backoffRate: 2,
      maxAttempts: 8,
      maxDelay: Duration.seconds(60),
      jitterStrategy: jitter,
    });
  }
  return task;
}

export interface SqlStepProps {
  readonly step: StepName;
  readonly submit: lambda.IFunction;
  readonly poll: lambda.IFunction;
  /**
   * More fields of the submit handler's event, next to `step` and `plan`.
   * @default - none
   */
  readonly submitPayload?: Readonly<Record<string, unknown>>;
  /**
   * Where an error of this step's tasks goes, with its `{ Error, Cause }` at `resultPath`.
   * @default - the error ends the execution
   */
  readonly onError?: { readonly handler: sfn.IChainable; readonly resultPath: string };
}

/**
 * One SQL step: submit its statements, then poll until they finish, waiting between polls as long
 * as the poll handler says (a capped backoff), so no Lambda ever waits on SQL.
 *
 *   `<step>: submit` → `<step>: finished?` ─ nothing submitted, or finished → `<step>: done` → next
 *                          ↑                └ otherwise → `<step>: wait` → `<step>: poll` ┐
 *                          └──────────────────────────────────────────────────────────────┘
 *
 * State is namespaced under `$.steps.<step>`: `submit` holds the submit result and `poll` the
 * latest poll result, seeded as unfinished with zero polls and a 1 s first wait, so the first
 * poll reads the same paths as later ones. `$.plan` passes through untouched.
 */
export class SqlStep extends sfn.StateMachineFragment {
  readonly startState: sfn.State;
  readonly endStates: sfn.INextable[];

  constructor(scope: Construct, props: SqlStepProps) {
    const { step } = props;
    super(scope, step);
    const path = stepStatePath(step);

    const submit = invokeHandler(this, 'Submit', {
      stateName: `${step}: submit`,
      lambdaFunction: props.submit,
      callsDataApi: true,
      payload: sfn.TaskInput.fromObject({
        step,
        plan: sfn.JsonPath.objectAt('$.plan'),
        ...props.submitPayload,
      }),
      resultSelector: {
        submit: sfn.JsonPath.objectAt('$'),
        poll: { finished: false, polls: 0, waitSeconds: 1 },
      },
      resultPath: path,
    });
    const poll = invokeHandler(this, 'Poll', {
      stateName: `${step}: poll`,
      lambdaFunction: props.poll,
      callsDataApi: true,
      payload: sfn.TaskInput.fromObject({
        step,
        statementId: sfn.JsonPath.stringAt(`${path}.submit.statementId`),
        polls: sfn.JsonPath.numberAt(`${path}.poll.polls`),
        executionStartTime: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
      }),
      resultPath: `${path}.poll`,
    });
    if (props.onError) {
      for (const task of [submit, poll]) {
        task.addCatch(props.onError.handler, {
          errors: [sfn.Errors.ALL],
          resultPath: props.onError.resultPath,
        });
      }
    }
    const wait = new sfn.Wait(this, 'Wait', {
      stateName: `${step}: wait`,
      time: sfn.WaitTime.secondsPath(`${path}.poll.waitSeconds`),
    });
    // An explicit last state, so the step ends the same way in a sequence and as a parallel branch.
    const done = new sfn.Pass(this, 'Done', { stateName: `${step}: done` });
    const finished = new sfn.Choice(this, 'Finished', { stateName: `${step}: finished?` });
    finished
      // The plan can leave a step nothing to run (no song reload): submit then returns no statement.
      .when(sfn.Condition.numberEquals(`${path}.submit.statementCount`, 0), done)
      .when(sfn.Condition.booleanEquals(`${path}.poll.finished`, true), done)
      .otherwise(wait);
    wait.next(poll).next(finished);
    submit.next(finished);
    this.startState = submit;
    this.endStates = [done];
  }
}
