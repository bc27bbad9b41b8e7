import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/**
 * The execution input a scheduled run starts with: an incremental run of the day before the
 * event's time, so each night merges yesterday's logs instead of reloading all history.
 */
export const SCHEDULED_INPUT = { mode: 'incremental', scheduledTime: events.EventField.time } as const;

export interface PipelineScheduleProps {
  readonly stateMachine: sfn.IStateMachine;
  /** An EventBridge `cron(…)` or `rate(…)` expression. */
  readonly expression: string;
  /** A disabled rule is still deployed, so switching it on is a one-key change. */
  readonly enabled: boolean;
}

/** An EventBridge rule that starts the pipeline on a schedule, through a role that may only do that. */
export class PipelineSchedule extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: PipelineScheduleProps) {
    super(scope, id);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: 'Sparkify ETL schedule: start the pipeline',
    });
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Starts the Sparkify ETL pipeline',
      schedule: events.Schedule.expression(props.expression),
      enabled: props.enabled,
      targets: [
        new targets.SfnStateMachine(props.stateMachine, {
          input: events.RuleTargetInput.fromObject(SCHEDULED_INPUT),
          role,
        }),
      ],
    });
  }
}
