import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue';

/**
 * The execution input a scheduled run starts with: an incremental run of the day before the
 * event's time, so each night merges yesterday's logs instead of reloading all history.
 */
export const SCHEDULED_INPUT = { mode: 'incremental', scheduledTime: events.EventField.time } as const;

/**
 * How long EventBridge keeps trying to start a run (throttling, a brief outage) before the event
 * goes to the dead-letter queue: a run that starts hours late would still load the right day, but
 * one that overlaps the next night's is better left to an operator.
 */
export const SCHEDULE_RETRY = { maxEventAge: Duration.hours(6), retryAttempts: 20 } as const;

export interface PipelineScheduleProps {
  readonly stateMachine: sfn.IStateMachine;
  /** An EventBridge `cron(…)` or `rate(…)` expression. */
  readonly expression: string;
  /** A disabled rule is still deployed, so switching it on is a one-key change. */
  readonly enabled: boolean;
}

/**
 * An EventBridge rule that starts the pipeline on a schedule, through a role that may only do that;
 * a start that still fails after the retries lands in a dead-letter queue, with its reason.
 */
export class PipelineSchedule extends Construct {
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: PipelineScheduleProps) {
    super(scope, id);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: 'Sparkify ETL schedule: start the pipeline',
    });
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue', 'the schedule rule target');
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Starts the Sparkify ETL pipeline',
      schedule: events.Schedule.expression(props.expression),
      enabled: props.enabled,
      targets: [
        new targets.SfnStateMachine(props.stateMachine, {
          input: events.RuleTargetInput.fromObject(SCHEDULED_INPUT),
          role,
          deadLetterQueue: this.deadLetterQueue,
          ...SCHEDULE_RETRY,
        }),
      ],
    });
  }
}
