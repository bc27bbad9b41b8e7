import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/**
 * How long the schedule may go without a successful execution: a day, plus two hours for a run
 * that starts late or takes long, so one missed or failed nightly run is enough to raise it.
 */
export const NO_SUCCESS_WINDOW = Duration.hours(26);

export interface PipelineAlarmsProps {
  readonly stateMachine: sfn.StateMachine;
  /** @default - no subscription: the topic is there for whoever subscribes to it */
  readonly email?: string;
  /**
   * The schedule's rule, when the schedule is on: a run is then expected every day, and the rule
   * must be able to start it.
   * @default - no schedule alarms
   */
  readonly scheduleRule?: events.IRule;
}

/**
 * Alarms on every way a run can end badly, and on a schedule that stopped producing runs, all
 * publishing to one topic that an e-mail address can be subscribed to.
 */
export class PipelineAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    const { stateMachine, scheduleRule } = props;
    const period = Duration.minutes(5);
    const anyIn = (metric: cloudwatch.Metric) => ({
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const alarms = [
      new cloudwatch.Alarm(this, 'ExecutionsFailed', {
        alarmDescription:
          'A Sparkify ETL execution failed: read its error and cause in Step Functions, fix, and re-run it.',
        ...anyIn(stateMachine.metricFailed({ period, statistic: 'Sum' })),
      }),
      new cloudwatch.Alarm(this, 'ExecutionsTimedOut', {
        alarmDescription:
          'A Sparkify ETL execution hit its time limit: find the slow step in its history, then re-run it.',
        ...anyIn(stateMachine.metricTimedOut({ period, statistic: 'Sum' })),
      }),
      new cloudwatch.Alarm(this, 'ExecutionsAborted', {
        alarmDescription:
          'A Sparkify ETL execution was stopped before its end: its step did not finish; re-run it if nobody meant to.',
        ...anyIn(stateMachine.metricAborted({ period, statistic: 'Sum' })),
      }),
    ];
    if (scheduleRule !== undefined) {
      alarms.push(
        new cloudwatch.Alarm(this, 'NoSuccessfulExecution', {
          alarmDescription: `No Sparkify ETL execution succeeded for ${NO_SUCCESS_WINDOW.toHours()} hours although the schedule is on: check the other alarms, the rule and its dead-letter queue.`,
          metric: stateMachine.metricSucceeded({ period: NO_SUCCESS_WINDOW, statistic: 'Sum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          // No data means no execution succeeded, which is what this alarm is for.
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        }),
        new cloudwatch.Alarm(this, 'ScheduleFailedInvocations', {
          alarmDescription:
            'EventBridge could not start the Sparkify ETL: the event is in the dead-letter queue with the reason; check the rule role and the state machine.',
          ...anyIn(
            new cloudwatch.Metric({
              namespace: 'AWS/Events',
              metricName: 'FailedInvocations',
              dimensionsMap: { RuleName: scheduleRule.ruleName },
              period,
              statistic: 'Sum',
            }),
          ),
        }),
      );
    }
    this.alarms = alarms;

    // CloudWatch cannot publish to a topic under the AWS-managed SNS key: it needs a key whose
    // policy lets it encrypt. The key guards no data, so it goes with the stack.
    const key = new kms.Key(this, 'TopicKey', {
      description: 'Sparkify ETL alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Sparkify ETL alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.email !== undefined)
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    const action = new actions.SnsAction(this.topic);
    for (const alarm of alarms) alarm.addAlarmAction(action);
  }
}
