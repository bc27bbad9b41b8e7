import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue';
import { functionEnvironment } from '../../contract/environment';
import {
  STATUS_CHANGE_DETAIL_TYPE,
  STATUS_CHANGE_SOURCE,
  STOP_STATUSES,
} from '../../contract/execution-status';
import { EtlFunction } from './etl-function';
import type { EtlFunctions } from './etl-functions';

/**
 * How long EventBridge keeps trying to deliver a stop (throttling, a brief outage) before the event
 * goes to the dead-letter queue: every hour a statement keeps running after its execution stopped
 * holds the warehouse and may block the next run, so an operator should see it sooner than the
 * schedule's six hours.
 */
export const STOP_CLEANUP_RETRY = { maxEventAge: Duration.hours(1), retryAttempts: 20 } as const;

export interface StopCleanupProps {
  readonly stateMachine: sfn.IStateMachine;
  readonly etlFunctions: EtlFunctions;
}

/**
 * When an execution ends ABORTED, TIMED_OUT or FAILED, cancels the statements its run left running
 * and marks its audit row. The function runs with the statement role: the Data API lets a role see
 * and cancel only statements whose owner (`<RoleId>:<session>`) its policy names, and the run's
 * statements are owned by the submit function's session of that role. A role of its own would
 * need the statement role's id in its condition, which is the same trust with one more role.
 */
export class StopCleanup extends Construct {
  readonly function: lambda.IFunction;
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: StopCleanupProps) {
    super(scope, id);
    const { etlFunctions, stateMachine } = props;
    const cleanup = new EtlFunction(this, 'Function', {
      handler: 'stopCleanup',
      description: "Sparkify ETL: cancel a stopped execution's statements and mark its audit row",
      role: etlFunctions.statementRole,
      environment: functionEnvironment('stopCleanup', etlFunctions.settings),
      // Long enough to follow the audit update past the cancelled statements' rollback.
      timeout: Duration.minutes(2),
    });
    this.function = cleanup;
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue', 'the stop rule and of the cleanup');
    // EventBridge invokes the function asynchronously: its DLQ holds only events it could not hand
    // to Lambda. A cleanup that fails (its audit update FAILED, say) is retried by Lambda, and
    // after the last retry its invocation record lands in the same queue, so nothing is lost.
    cleanup.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: STOP_CLEANUP_RETRY.maxEventAge,
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Cleans up after a Sparkify ETL execution that stopped, timed out or failed',
      eventPattern: {
        source: [STATUS_CHANGE_SOURCE],
        detailType: [STATUS_CHANGE_DETAIL_TYPE],
        detail: { stateMachineArn: [stateMachine.stateMachineArn], status: [...STOP_STATUSES] },
      },
      targets: [
        new targets.LambdaFunction(this.function, {
          deadLetterQueue: this.deadLetterQueue,
          ...STOP_CLEANUP_RETRY,
        }),
      ],
    });
  }
}
