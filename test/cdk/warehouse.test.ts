import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { SNAPSHOT_CRON } from '../../lib/constructs/serverless-warehouse';
import { getAtt, KINDS, only, onlyWithId, ref, sdkCall, synthesize, type Synthesized } from './support/app';
import { collectingConsoleError } from '../support/console';

// One synthesis per variant, shared by the tests that read it.
const cache = new Map<string, Synthesized>();
const synth = (overrides: Record<string, string> = {}) => {
  const key = JSON.stringify(overrides);
  if (!cache.has(key)) cache.set(key, synthesize(overrides));
  return cache.get(key)!;
};
const warehouseKey = (template: Template) =>
  only(template, 'AWS::KMS::Key', { Properties: { Description: 'Sparkify warehouse encryption at rest' } })
    .id;
const kind = (warehouse: string, more: Record<string, string> = {}) => synth({ warehouse, ...more });

describe.each(KINDS)('GIVEN a %s warehouse', (warehouse) => {
  test('THEN it lives in its own VPC of isolated subnets, with no NAT and no internet gateway', () => {
    const { template } = kind(warehouse);

    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::Subnet', 3);
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
    for (const zone of ['us-west-2a', 'us-west-2b', 'us-west-2c']) {
      template.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: zone });
    }
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT' });
  });

  test('THEN an S3 gateway endpoint lets the VPC read the data bucket and nothing else', () => {
    const { template } = kind(warehouse);

    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: ['s3:GetObject', 's3:ListBucket'],
            Resource: ['arn:aws:s3:::udacity-dend', 'arn:aws:s3:::udacity-dend/*'],
          },
        ],
      },
    });
  });

  test('THEN its security group admits nothing and sends only HTTPS (to the S3 endpoint)', () => {
    const { template } = kind(warehouse);

    const group = only(template, 'AWS::EC2::SecurityGroup', {
      Properties: { GroupDescription: Match.stringLikeRegexp('^Redshift warehouse') },
    });
    expect(group.resource.Properties).toEqual(
      expect.objectContaining({
        SecurityGroupEgress: [
          {
            CidrIp: '0.0.0.0/0',
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            Description: expect.any(String),
          },
        ],
      }),
    );
    expect(group.resource.Properties.SecurityGroupIngress).toBeUndefined();
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  test('THEN the S3-read role may get the configured prefixes and file and list only under the prefixes', () => {
    const { template } = kind(warehouse);

    const role = only(template, 'AWS::IAM::Role', {
      Properties: { Description: Match.stringLikeRegexp('^Redshift COPY') },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ref(role.id)],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: [
              'arn:aws:s3:::udacity-dend/log_data*',
              'arn:aws:s3:::udacity-dend/log_json_path.json',
              'arn:aws:s3:::udacity-dend/song_data*',
            ],
          },
          {
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: 'arn:aws:s3:::udacity-dend',
            Condition: { StringLike: { 's3:prefix': ['song_data*', 'log_data*'] } },
          },
        ],
      },
    });
    const services =
      warehouse === 'serverless'
        ? ['redshift-serverless.amazonaws.com', 'redshift.amazonaws.com']
        : 'redshift.amazonaws.com';
    expect(role.resource.Properties.AssumeRolePolicyDocument).toEqual(
      expect.objectContaining({
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: services } }],
      }),
    );
  });

  test('THEN its KMS key rotates and is kept with the final snapshot it encrypts', () => {
    const { template } = kind(warehouse);

    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true, Description: 'Sparkify warehouse encryption at rest' },
      DeletionPolicy: 'Retain',
    });
  });

  test('WHEN removeDataOnDestroy=true THEN synth warns and the key goes with the data', () => {
    const { result, printed } = collectingConsoleError(() => {
      const synthesized = kind(warehouse, { removeDataOnDestroy: 'true' });
      Annotations.fromStack(synthesized.stack).hasWarning(
        '/SparkifyDwh',
        Match.stringLikeRegexp('removeDataOnDestroy=true'),
      );
      return synthesized;
    });
    const { template } = result;

    // The synth's validation report says so too, where `cdk synth` prints it.
    expect(printed).toContain("Acknowledge with 'Annotation::sparkify:removeDataOnDestroy'");
    template.hasResource('AWS::KMS::Key', {
      Properties: { Description: 'Sparkify warehouse encryption at rest' },
      DeletionPolicy: 'Delete',
    });
  });

  test('THEN no warning is raised while the data is kept', () => {
    const { stack } = kind(warehouse);

    expect(
      Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('removeDataOnDestroy')),
    ).toEqual([]);
  });

  test('THEN the outputs give the endpoint, the secret ARN, the warehouse and database names, never a password', () => {
    const { template } = kind(warehouse);

    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'AlarmTopicArn',
        'DatabaseName',
        'ExecuteStatementCommand',
        'StartExecutionCommand',
        'StateMachineArn',
        'StateMachineConsoleUrl',
        'WarehouseAdminSecretArn',
        'WarehouseEndpoint',
        warehouse === 'serverless' ? 'WorkgroupName' : 'ClusterIdentifier',
      ].sort(),
    );
    template.hasOutput('DatabaseName', { Value: 'sparkify' });
    expect(JSON.stringify(template.toJSON())).not.toMatch(
      /MasterUserPassword|AdminUserPassword|resolve:secretsmanager/,
    );
  });
});

describe.each<[(typeof KINDS)[number], string, string, (template: Template) => unknown]>([
  [
    'serverless',
    'WorkgroupName',
    '--workgroup-name',
    (template) => getAtt(only(template, 'AWS::RedshiftServerless::Workgroup').id, 'Workgroup.WorkgroupName'),
  ],
  [
    'provisioned',
    'ClusterIdentifier',
    '--cluster-identifier',
    (template) => ref(only(template, 'AWS::Redshift::Cluster').id),
  ],
])('GIVEN a %s warehouse', (warehouse, output, flag, nameOf) => {
  test(`THEN ${output} names it, and ExecuteStatementCommand is a ready Data API call with ${flag}`, () => {
    const { template } = kind(warehouse);
    const name = nameOf(template);
    const secret = template.toJSON().Outputs.WarehouseAdminSecretArn.Value as unknown;

    template.hasOutput(output, { Value: name });
    template.hasOutput('ExecuteStatementCommand', {
      Value: {
        'Fn::Join': [
          '',
          [
            `aws redshift-data execute-statement --region us-west-2 ${flag} `,
            name,
            ' --database sparkify --secret-arn ',
            secret,
            ' --sql "select count(*) from songplays"',
          ],
        ],
      },
    });
  });
});

describe('GIVEN a provisioned warehouse', () => {
  const synthesized = () => kind('provisioned');

  test('THEN it keeps automated snapshots 7 days, or as many as snapshotRetentionDays says', () => {
    synthesized().template.hasResourceProperties('AWS::Redshift::Cluster', {
      AutomatedSnapshotRetentionPeriod: 7,
    });
    kind('provisioned', { snapshotRetentionDays: '35' }).template.hasResourceProperties(
      'AWS::Redshift::Cluster',
      { AutomatedSnapshotRetentionPeriod: 35 },
    );
  });

  test('THEN the cluster is private, encrypted, EVR-routed, audited, with a managed admin secret', () => {
    const { template } = synthesized();
    const key = warehouseKey(template);
    const role = only(template, 'AWS::IAM::Role', {
      Properties: { Description: Match.stringLikeRegexp('^Redshift COPY') },
    }).id;

    template.hasResourceProperties('AWS::Redshift::Cluster', {
      ClusterType: 'single-node',
      NumberOfNodes: Match.absent(),
      NodeType: 'ra3.large',
      DBName: 'sparkify',
      MasterUsername: 'sparkify_admin',
      ManageMasterPassword: true,
      MasterUserPassword: Match.absent(),
      Encrypted: true,
      KmsKeyId: getAtt(key),
      PubliclyAccessible: false,
      EnhancedVpcRouting: true,
      Port: 5439,
      IamRoles: [getAtt(role)],
      LoggingProperties: {
        LogDestinationType: 'cloudwatch',
        LogExports: ['connectionlog', 'userlog', 'useractivitylog'],
      },
      ClusterSubnetGroupName: ref(only(template, 'AWS::Redshift::ClusterSubnetGroup').id),
      ClusterParameterGroupName: ref(only(template, 'AWS::Redshift::ClusterParameterGroup').id),
      VpcSecurityGroupIds: [
        { 'Fn::GetAtt': [Match.stringLikeRegexp('^NetworkWarehouseSecurityGroup'), 'GroupId'] },
      ],
    });
    template.hasResourceProperties('AWS::Redshift::ClusterSubnetGroup', {
      SubnetIds: [1, 2, 3].map((n) => ({ Ref: Match.stringLikeRegexp(`warehouseSubnet${n}Subnet`) })),
    });
  });

  test('THEN its parameter group requires SSL and logs user activity', () => {
    synthesized().template.hasResourceProperties('AWS::Redshift::ClusterParameterGroup', {
      ParameterGroupFamily: 'redshift-1.0',
      Parameters: [
        { ParameterName: 'require_ssl', ParameterValue: 'true' },
        { ParameterName: 'enable_user_activity_logging', ParameterValue: 'true' },
      ],
    });
  });

  test('THEN the S3-read role becomes its default IAM role at deploy time', () => {
    const { template } = synthesized();
    const cluster = only(template, 'AWS::Redshift::Cluster').id;
    const role = only(template, 'AWS::IAM::Role', {
      Properties: { Description: Match.stringLikeRegexp('^Redshift COPY') },
    }).id;

    const call = only(template, 'Custom::AWS').resource.Properties.Create as {
      'Fn::Join': [string, unknown[]];
    };
    expect(call['Fn::Join'][1]).toEqual([
      '{"service":"Redshift","action":"ModifyClusterIamRoles","parameters":{"ClusterIdentifier":"',
      ref(cluster),
      '","DefaultIamRoleArn":"',
      getAtt(role),
      '"},"physicalResourceId":{"id":"',
      ref(cluster),
      '"}}',
    ]);
  });

  test('THEN destroying it leaves a final snapshot', () => {
    synthesized().template.hasResource('AWS::Redshift::Cluster', {
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
    });
  });

  test('WHEN removeDataOnDestroy=true THEN destroying it deletes it', () => {
    kind('provisioned', { removeDataOnDestroy: 'true' }).template.hasResource('AWS::Redshift::Cluster', {
      DeletionPolicy: 'Delete',
    });
  });

  test('WHEN four ra3.4xlarge nodes are asked for THEN the cluster is multi-node', () => {
    kind('provisioned', { nodeType: 'ra3.4xlarge', numberOfNodes: '4' }).template.hasResourceProperties(
      'AWS::Redshift::Cluster',
      { ClusterType: 'multi-node', NodeType: 'ra3.4xlarge', NumberOfNodes: 4 },
    );
  });
});

describe('GIVEN a serverless warehouse', () => {
  const synthesized = () => kind('serverless');

  test('THEN a Redshift Serverless scheduled action snapshots the namespace daily, kept 7 days', () => {
    const { template } = synthesized();
    const namespace = only(template, 'AWS::RedshiftServerless::Namespace').id;
    const schedule = onlyWithId(template, 'Custom::AWS', 'WarehouseSnapshotSchedule').resource.Properties;
    const role = only(template, 'AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'scheduler.redshift.amazonaws.com' } })],
        },
      },
    }).id;
    const action = {
      scheduledActionName: 'sparkifydwh-warehouse-669af3c1-snapshots',
      roleArn: `<${role}.Arn>`,
      schedule: { cron: SNAPSHOT_CRON },
      targetAction: {
        createSnapshot: {
          namespaceName: `<${namespace}.Namespace.NamespaceName>`,
          snapshotNamePrefix: 'sparkifydwh-warehouse-669af3c1-daily',
          retentionPeriod: 7,
        },
      },
      enabled: true,
    };

    expect(sdkCall(schedule.Create)).toMatchObject({
      action: 'CreateScheduledAction',
      parameters: { ...action, namespaceName: `<${namespace}.Namespace.NamespaceName>` },
    });
    expect(sdkCall(schedule.Update)).toMatchObject({ action: 'UpdateScheduledAction', parameters: action });
    expect(sdkCall(schedule.Delete)).toMatchObject({
      action: 'DeleteScheduledAction',
      parameters: { scheduledActionName: action.scheduledActionName },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ref(role)],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'redshift-serverless:CreateSnapshot',
            Resource: getAtt(namespace, 'Namespace.NamespaceArn'),
          },
        ],
      },
    });
  });

  test('WHEN snapshotRetentionDays=30 THEN the scheduled snapshots are kept 30 days', () => {
    const { template } = kind('serverless', { snapshotRetentionDays: '30' });
    const schedule = onlyWithId(template, 'Custom::AWS', 'WarehouseSnapshotSchedule').resource.Properties;

    expect(sdkCall(schedule.Update).parameters).toMatchObject({
      targetAction: { createSnapshot: { retentionPeriod: 30 } },
    });
  });

  test('THEN the namespace is encrypted, audited, with the S3-read default role and a managed admin secret', () => {
    const { template } = synthesized();
    const key = warehouseKey(template);
    const role = only(template, 'AWS::IAM::Role', {
      Properties: { Description: Match.stringLikeRegexp('^Redshift COPY') },
    }).id;

    template.hasResourceProperties('AWS::RedshiftServerless::Namespace', {
      DbName: 'sparkify',
      AdminUsername: 'sparkify_admin',
      ManageAdminPassword: true,
      AdminUserPassword: Match.absent(),
      KmsKeyId: getAtt(key),
      IamRoles: [getAtt(role)],
      DefaultIamRoleArn: getAtt(role),
      LogExports: ['connectionlog', 'userlog', 'useractivitylog'],
    });
  });

  test('THEN the workgroup is private, EVR-routed, SSL-only, in three isolated subnets', () => {
    synthesized().template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', {
      BaseCapacity: 8,
      PubliclyAccessible: false,
      EnhancedVpcRouting: true,
      Port: 5439,
      ConfigParameters: [
        { ParameterKey: 'require_ssl', ParameterValue: 'true' },
        { ParameterKey: 'enable_user_activity_logging', ParameterValue: 'true' },
      ],
      SubnetIds: Match.arrayEquals([Match.anyValue(), Match.anyValue(), Match.anyValue()]),
      SecurityGroupIds: [
        { 'Fn::GetAtt': [Match.stringLikeRegexp('^NetworkWarehouseSecurityGroup'), 'GroupId'] },
      ],
    });
  });

  test('THEN the admin secret ARN is read from the namespace, as CloudFormation does not return it', () => {
    const { template } = synthesized();
    const namespace = only(template, 'AWS::RedshiftServerless::Namespace').id;

    const call = onlyWithId(template, 'Custom::AWS', 'WarehouseAdminSecretArn').resource.Properties
      .Create as {
      'Fn::Join': [string, unknown[]];
    };
    expect(call['Fn::Join'][1]).toEqual([
      '{"service":"RedshiftServerless","action":"GetNamespace","parameters":{"namespaceName":"',
      getAtt(namespace, 'Namespace.NamespaceName'),
      '"},"physicalResourceId":{"id":"',
      getAtt(namespace, 'Namespace.NamespaceName'),
      '"},"outputPaths":["namespace.adminPasswordSecretArn"]}',
    ]);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'redshift-serverless:GetNamespace',
            Resource: getAtt(namespace, 'Namespace.NamespaceArn'),
          },
        ],
      },
    });
  });

  test('THEN destroying it leaves a final snapshot named uniquely per deployment', () => {
    synthesized().template.hasResourceProperties('AWS::RedshiftServerless::Namespace', {
      FinalSnapshotName: {
        'Fn::Join': [
          '',
          [
            Match.stringLikeRegexp('-namespace-final-$'),
            { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] },
          ],
        ],
      },
    });
  });

  test('WHEN removeDataOnDestroy=true THEN no final snapshot is taken', () => {
    kind('serverless', { removeDataOnDestroy: 'true' }).template.hasResourceProperties(
      'AWS::RedshiftServerless::Namespace',
      { FinalSnapshotName: Match.absent() },
    );
  });

  test('WHEN base capacity is 32 RPUs THEN the workgroup has it', () => {
    kind('serverless', { baseCapacity: '32' }).template.hasResourceProperties(
      'AWS::RedshiftServerless::Workgroup',
      {
        BaseCapacity: 32,
      },
    );
  });
});
