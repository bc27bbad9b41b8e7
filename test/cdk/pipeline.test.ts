import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../../contract/environment';
import { planRun } from '../../contract/run-plan';
import { SCHEDULE_RETRY } from '../../lib/constructs/schedule';
import { STATEMENT_TIMEOUT } from '../../lib/sparkify-dwh-stack';
import {
  getAtt,
  KINDS,
  only,
  onlyWithId,
  ref,
  synthesize,
  type Synthesized,
  expectRuleDeadLetterQueue,
} from './support/app';

const cache = new Map<string, Synthesized>();
const synth = (overrides: Record<string, string> = {}) => {
  const key = JSON.stringify(overrides);
  if (!cache.has(key)) cache.set(key, synthesize(overrides));
  return cache.get(key)!;
};

// The handlers, told apart by their descriptions.
const HANDLERS = {
  planRun: '^Sparkify ETL: turn',
  submitStatement: '^Sparkify ETL: submit',
  pollStatement: '^Sparkify ETL: report',
};
const handler = (template: Template, name: keyof typeof HANDLERS) =>
  only(template, 'AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp(HANDLERS[name]) },
  });
const roleOf = (template: Template, description: string) =>
  only(template, 'AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp(description) } }).id;

/** What the Data API env names and the statements may be scoped to, per warehouse kind. */
function warehouseOf(template: Template, kind: (typeof KINDS)[number]) {
  if (kind === 'provisioned') {
    const cluster = only(template, 'AWS::Redshift::Cluster').id;
    return {
      target: { [ENV.clusterIdentifier]: ref(cluster) },
      arn: {
        'Fn::Join': [
          '',
          ['arn:aws:redshift:us-west-2:', { Ref: 'AWS::AccountId' }, ':cluster:', ref(cluster)],
        ],
      },
      secret: getAtt(cluster, 'MasterPasswordSecretArn'),
    };
  }
  const workgroup = only(template, 'AWS::RedshiftServerless::Workgroup').id;
  return {
    target: { [ENV.workgroupName]: getAtt(workgroup, 'Workgroup.WorkgroupName') },
    arn: getAtt(workgroup, 'Workgroup.WorkgroupArn'),
    secret: getAtt(
      onlyWithId(template, 'Custom::AWS', 'WarehouseAdminSecretArn').id,
      'namespace.adminPasswordSecretArn',
    ),
  };
}

describe.each(KINDS)('GIVEN a %s warehouse', (kind) => {
  const synthesized = () => synth({ warehouse: kind });

  test('THEN every handler is an arm64 Node.js 24 function, traced, logging to its own log group', () => {
    const { template } = synthesized();

    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^(EtlFunctions|StopCleanup).*Logs') } },
        VpcConfig: Match.absent(),
        FunctionName: Match.absent(),
      },
      4,
    );
    template.allResourcesProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 30,
      LogGroupName: Match.absent(),
    });
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(logGroups.map((group) => group.DeletionPolicy)).toEqual(logGroups.map(() => 'Delete'));
  });

  test('THEN submit gets the warehouse and data locations, poll the warehouse and statement timeout', () => {
    const { template } = synthesized();
    const warehouse = warehouseOf(template, kind);
    const copyRole = roleOf(template, '^Redshift COPY');
    const common = {
      [ENV.warehouseKind]: kind,
      ...warehouse.target,
      [ENV.database]: 'sparkify',
      [ENV.secretArn]: warehouse.secret,
    };

    expect(handler(template, 'submitStatement').resource.Properties.Environment).toEqual({
      Variables: {
        ...common,
        [ENV.songDataUri]: 's3://udacity-dend/song_data',
        [ENV.logDataUri]: 's3://udacity-dend/log_data',
        [ENV.logJsonPathUri]: 's3://udacity-dend/log_json_path.json',
        [ENV.dataRegion]: 'us-west-2',
        [ENV.copyRoleArn]: getAtt(copyRole),
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    expect(handler(template, 'pollStatement').resource.Properties.Environment).toEqual({
      Variables: {
        ...common,
        STATEMENT_TIMEOUT_SECONDS: String(STATEMENT_TIMEOUT.toSeconds()),
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    expect(handler(template, 'planRun').resource.Properties.Environment).toEqual({
      Variables: {
        [ENV.logDataUri]: 's3://udacity-dend/log_data',
        [ENV.dataRegion]: 'us-west-2',
        [ENV.missingDays]: 'fail',
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
  });

  test('THEN submit and poll share one role, and planning runs under another', () => {
    const { template } = synthesized();
    const statementRole = roleOf(template, '^Sparkify ETL: run and follow');
    const planRole = roleOf(template, '^Sparkify ETL: validate');

    expect(handler(template, 'submitStatement').resource.Properties.Role).toEqual(getAtt(statementRole));
    expect(handler(template, 'pollStatement').resource.Properties.Role).toEqual(getAtt(statementRole));
    expect(handler(template, 'planRun').resource.Properties.Role).toEqual(getAtt(planRole));
  });

  test('THEN the statement role may run statements on this warehouse only, and follow only its own', () => {
    const { template } = synthesized();
    const warehouse = warehouseOf(template, kind);
    const logGroups = [
      'EtlFunctionsPollStatementLogs',
      'EtlFunctionsSubmitStatementLogs',
      'StopCleanupFunctionLogs',
    ].map((prefix) => getAtt(onlyWithId(template, 'AWS::Logs::LogGroup', prefix).id));

    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ref(roleOf(template, '^Sparkify ETL: run and follow'))],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['redshift-data:BatchExecuteStatement', 'redshift-data:ExecuteStatement'],
            Resource: warehouse.arn,
          },
          {
            Effect: 'Allow',
            Action: [
              'redshift-data:CancelStatement',
              'redshift-data:DescribeStatement',
              'redshift-data:GetStatementResult',
              'redshift-data:ListStatements',
            ],
            Resource: '*',
            Condition: {
              StringLike: {
                'redshift-data:statement-owner-iam-userid': {
                  'Fn::Join': [
                    '',
                    [getAtt(roleOf(template, '^Sparkify ETL: run and follow'), 'RoleId'), ':*'],
                  ],
                },
              },
            },
          },
          { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: warehouse.secret },
          { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: logGroups },
          // The stop cleanup's failed invocations go to its dead-letter queue (an async destination).
          {
            Effect: 'Allow',
            Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
            Resource: getAtt(onlyWithId(template, 'AWS::SQS::Queue', 'StopCleanupDeadLetterQueue').id),
          },
        ],
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toMatch(
      /GetClusterCredentials|redshift-serverless:GetCredentials/,
    );
  });

  test('THEN the plan role may only list the log location, and write its logs and traces', () => {
    const { template } = synthesized();

    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ref(roleOf(template, '^Sparkify ETL: validate'))],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: 'arn:aws:s3:::udacity-dend',
            Condition: { StringLike: { 's3:prefix': ['log_data/*'] } },
          },
          { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EtlFunctionsPlanRunLogs'), 'Arn'] },
          },
        ],
      },
    });
  });

  test('THEN the state machine is a standard workflow, traced, logging errors only without data, bounded', () => {
    const { template } = synthesized();

    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ERROR',
        IncludeExecutionData: false,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PipelineLogs'), 'Arn'] },
            },
          },
        ],
      },
    });
  });

  test('THEN the state machine may invoke exactly the three handlers', () => {
    const { template } = synthesized();
    const ids = (['planRun', 'pollStatement', 'submitStatement'] as const).map(
      (name) => handler(template, name).id,
    );

    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^PipelineStateMachineRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            Resource: [
              ...ids.map((id) => getAtt(id)),
              ...ids.map((id) => ({ 'Fn::Join': ['', [getAtt(id), ':*']] })),
            ],
          },
        ]),
      },
    });
  });
});

describe('GIVEN the default schedule', () => {
  test('THEN a daily rule is deployed disabled, to start the pipeline with the documented input', () => {
    const { template } = synth({ warehouse: 'serverless' });
    const role = roleOf(template, '^Sparkify ETL schedule');

    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      State: 'DISABLED',
      Targets: [
        {
          Arn: { Ref: Match.stringLikeRegexp('^PipelineStateMachine') },
          InputTransformer: {
            InputPathsMap: { time: '$.time' },
            InputTemplate: '{"mode":"incremental","scheduledTime":<time>}',
          },
          RoleArn: getAtt(role),
          Id: Match.anyValue(),
        },
      ],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ref(role)],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'states:StartExecution',
            Resource: { Ref: Match.stringLikeRegexp('^PipelineStateMachine') },
          },
        ],
      },
    });
  });

  test('THEN the scheduled input, as EventBridge fills it in, is an incremental run of the previous day', () => {
    const { template } = synth({ warehouse: 'serverless' });
    const rule = onlyWithId(template, 'AWS::Events::Rule', 'ScheduleRule').resource;
    const [target] = rule.Properties.Targets as { InputTransformer: { InputTemplate: string } }[];
    const { InputTemplate } = target!.InputTransformer;
    const input: unknown = JSON.parse(
      InputTemplate.replace('<time>', JSON.stringify('2018-11-13T03:00:00Z')),
    );
    expect(planRun(input, 'scheduled-run')).toMatchObject({
      runId: 'scheduled-run',
      mode: 'incremental',
      from: '2018-11-12',
      to: '2018-11-12',
    });
  });

  test('THEN the rule retries a failed start, then hands the event to an encrypted dead-letter queue', () => {
    const { template } = synth({ warehouse: 'serverless' });
    const queue = onlyWithId(template, 'AWS::SQS::Queue', 'ScheduleDeadLetterQueue');

    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: Match.anyValue(),
      Targets: [
        Match.objectLike({
          RetryPolicy: {
            MaximumEventAgeInSeconds: SCHEDULE_RETRY.maxEventAge.toSeconds(),
            MaximumRetryAttempts: SCHEDULE_RETRY.retryAttempts,
          },
          DeadLetterConfig: { Arn: getAtt(queue.id) },
        }),
      ],
    });
    expectRuleDeadLetterQueue(
      template,
      queue.id,
      onlyWithId(template, 'AWS::Events::Rule', 'ScheduleRule').id,
    );
  });

  test.each(['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'])(
    'THEN any execution counted in %s raises an alarm that publishes to the alarm topic',
    (metricName) => {
      const { template } = synth({ warehouse: 'serverless' });
      const topic = only(template, 'AWS::SNS::Topic');

      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: metricName,
        Dimensions: [
          { Name: 'StateMachineArn', Value: { Ref: Match.stringLikeRegexp('^PipelineStateMachine') } },
        ],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [ref(topic.id)],
      });
    },
  );

  test('THEN the topic exists without an e-mail, encrypted, its ARN an output; no schedule alarms yet', () => {
    const { template } = synth({ warehouse: 'serverless' });
    const topic = only(template, 'AWS::SNS::Topic');
    const key = only(template, 'AWS::KMS::Key', { Properties: { Description: 'Sparkify ETL alarm topic' } });

    expect(topic.resource.Properties.KmsMasterKeyId).toEqual(getAtt(key.id));
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.hasOutput('AlarmTopicArn', { Value: ref(topic.id) });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [ref(topic.id)] });
  });
});

describe('GIVEN a schedule and an alarm e-mail', () => {
  const synthesized = () => synth({ schedule: 'rate(12 hours)', alarmEmail: 'ops@example.com' });

  test('THEN the rule is enabled with that expression', () => {
    synthesized().template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(12 hours)',
      State: 'ENABLED',
    });
  });

  test('THEN alarms are e-mailed through an SSL-only topic under a key CloudWatch may use', () => {
    const { template } = synthesized();
    const topic = only(template, 'AWS::SNS::Topic');

    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: ref(topic.id),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: 'Sparkify ETL alarm topic',
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Principal: { Service: 'cloudwatch.amazonaws.com' },
          }),
        ]),
      },
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [ref(topic.id)] });
  });

  test('THEN 26 hours without a successful execution raise an alarm, no data counting as none', () => {
    synthesized().template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsSucceeded',
      Dimensions: [
        { Name: 'StateMachineArn', Value: { Ref: Match.stringLikeRegexp('^PipelineStateMachine') } },
      ],
      Statistic: 'Sum',
      Period: 26 * 3600,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  test('THEN a start EventBridge could not make raises an alarm on the rule', () => {
    const { template } = synthesized();

    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'FailedInvocations',
      Dimensions: [
        { Name: 'RuleName', Value: ref(onlyWithId(template, 'AWS::Events::Rule', 'ScheduleRule').id) },
      ],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });
});
