import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface PipelineAlarmsProps {
  readonly stateMachine: sfn.StateMachine;
  /** @default - the alarm has no action: visible in the console only */
  readonly email?: string;
}

/** Raises an alarm when an execution fails or times out, and e-mails it when an address is set. */
export class PipelineAlarms extends Construct {
  readonly alarm: cloudwatch.Alarm;
  readonly topic?: sns.Topic;

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    const { stateMachine } = props;
    const period = Duration.minutes(5);

    this.alarm = new cloudwatch.Alarm(this, 'ExecutionsFailed', {
      alarmDescription:
        'A Sparkify ETL execution failed or timed out: see its error and cause in Step Functions.',
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(failed, 0) + FILL(timedOut, 0)',
        usingMetrics: {
          failed: stateMachine.metricFailed({ period, statistic: 'Sum' }),
          timedOut: stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
        },
        label: 'failed or timed-out executions',
        period,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.email === undefined) return;

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
    this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    this.alarm.addAlarmAction(new actions.SnsAction(this.topic));
  }
}
