import { Aws, Fn, Names, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as serverless from 'aws-cdk-lib/aws-redshiftserverless';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import {
  ADMIN_USERNAME,
  AUDIT_LOG_EXPORTS,
  REDSHIFT_PORT,
  type Warehouse,
  type WarehouseProps,
} from './warehouse';
import { warehouseApiCall } from './warehouse-api-call';

export interface ServerlessWarehouseProps extends WarehouseProps {
  /** Base capacity in Redshift Processing Units. */
  readonly baseCapacity: number;
}

/**
 * When the namespace's daily snapshot is taken (UTC): an hour before the pipeline's default 03:00
 * run, so that a bad night's load can be undone by restoring the state just before it.
 */
export const SNAPSHOT_CRON = 'cron(0 2 * * ? *)';

/**
 * A Redshift Serverless namespace (the data) and workgroup (the compute), private and encrypted,
 * with a daily snapshot kept as long as a provisioned cluster keeps its automated ones.
 */
export class ServerlessWarehouse extends Construct implements Warehouse {
  readonly namespace: serverless.CfnNamespace;
  readonly workgroup: serverless.CfnWorkgroup;
  readonly target: Warehouse['target'];
  readonly dataApiResourceArn: string;
  readonly databaseName: string;
  readonly adminSecretArn: string;
  readonly endpointAddress: string;

  constructor(scope: Construct, id: string, props: ServerlessWarehouseProps) {
    super(scope, id);
    const { network, dataAccessRole } = props;

    // Namespaces and workgroups need names; derive them from the construct path so that two stacks
    // in one account do not collide.
    const namespaceName = physicalName(this, 'namespace');
    this.namespace = new serverless.CfnNamespace(this, 'Namespace', {
      namespaceName,
      dbName: props.databaseName,
      adminUsername: ADMIN_USERNAME,
      manageAdminPassword: true,
      kmsKeyId: props.encryptionKey.keyArn,
      iamRoles: [dataAccessRole.roleArn],
      defaultIamRoleArn: dataAccessRole.roleArn,
      logExports: AUDIT_LOG_EXPORTS,
      // The stack id's UUID makes the name unique per deployment, so destroying a redeployed stack
      // does not collide with the snapshot an earlier destroy left behind.
      ...(props.removeDataOnDestroy
        ? {}
        : { finalSnapshotName: `${namespaceName}-final-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}` }),
    });
    this.namespace.applyRemovalPolicy(RemovalPolicy.DESTROY);

    this.workgroup = new serverless.CfnWorkgroup(this, 'Workgroup', {
      workgroupName: physicalName(this, 'workgroup'),
      namespaceName,
      baseCapacity: props.baseCapacity,
      port: REDSHIFT_PORT,
      publiclyAccessible: false,
      enhancedVpcRouting: true,
      subnetIds: network.vpc.isolatedSubnets.map((subnet) => subnet.subnetId),
      securityGroupIds: [network.warehouseSecurityGroup.securityGroupId],
      configParameters: [
        { parameterKey: 'require_ssl', parameterValue: 'true' },
        { parameterKey: 'enable_user_activity_logging', parameterValue: 'true' },
      ],
    });
    this.workgroup.node.addDependency(this.namespace);
    this.workgroup.applyRemovalPolicy(RemovalPolicy.DESTROY);

    this.target = { kind: 'serverless', workgroupName: this.workgroup.attrWorkgroupWorkgroupName };
    this.dataApiResourceArn = this.workgroup.attrWorkgroupWorkgroupArn;
    this.databaseName = props.databaseName;
    this.adminSecretArn = this.readAdminSecretArn();
    this.endpointAddress = this.workgroup.attrWorkgroupEndpointAddress;
    this.scheduleSnapshots(props.snapshotRetentionDays);
  }

  /**
   * Serverless keeps its automatic recovery points only 24 hours, and CloudFormation has no
   * resource for a snapshot schedule (AWS::RedshiftServerless::Snapshot is one snapshot, taken
   * once). Redshift Serverless's own scheduled action does what a provisioned cluster's automated
   * snapshots do: a snapshot a day, named from a prefix and deleted after the retention period.
   */
  private scheduleSnapshots(retentionDays: number): void {
    const namespaceName = this.namespace.attrNamespaceNamespaceName;
    const scheduledActionName = physicalName(this, 'snapshots');
    // Redshift appends the time to the prefix, within the 64 characters of a snapshot name.
    const snapshotNamePrefix = physicalName(this, 'daily', 30);
    const role = new iam.Role(this, 'SnapshotScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.redshift.amazonaws.com'),
      description: 'Sparkify warehouse: take the daily snapshot',
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['redshift-serverless:CreateSnapshot'],
        resources: [this.namespace.attrNamespaceNamespaceArn],
      }),
    );
    const action = {
      scheduledActionName,
      roleArn: role.roleArn,
      schedule: { cron: SNAPSHOT_CRON },
      targetAction: {
        createSnapshot: {
          namespaceName,
          snapshotNamePrefix,
          retentionPeriod: retentionDays,
        },
      },
      enabled: true,
    };
    const call = (name: string, parameters: object): cr.AwsSdkCall => ({
      service: 'RedshiftServerless',
      action: name,
      parameters,
      physicalResourceId: cr.PhysicalResourceId.of(scheduledActionName),
    });
    // Runs in the stack's AwsCustomResource function that readAdminSecretArn created first, under
    // its role; this policy is added to that role.
    const schedule = new cr.AwsCustomResource(this, 'SnapshotSchedule', {
      onCreate: call('CreateScheduledAction', {
        ...action,
        namespaceName,
        scheduledActionDescription: `Daily snapshot of the Sparkify warehouse, kept ${retentionDays} days`,
      }),
      onUpdate: call('UpdateScheduledAction', action),
      onDelete: call('DeleteScheduledAction', { scheduledActionName }),
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: [
            'redshift-serverless:CreateScheduledAction',
            'redshift-serverless:UpdateScheduledAction',
            'redshift-serverless:DeleteScheduledAction',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [role.roleArn] }),
      ]),
      installLatestAwsSdk: false,
    });
    // Redshift checks the role when the action is created, so the role's policy must exist first.
    schedule.node.addDependency(role);
    Validations.of(schedule).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'A scheduled action has no ARN before it exists, so its create, update and delete take any.',
    });
  }

  /**
   * CloudFormation does not return a namespace's managed admin secret (aws/aws-cdk#29930,
   * cloudformation-coverage-roadmap#2021), so ask the Redshift Serverless API for it.
   */
  private readAdminSecretArn(): string {
    const namespaceName = this.namespace.attrNamespaceNamespaceName;
    const lookup = warehouseApiCall(this, 'AdminSecretArn', {
      call: {
        service: 'RedshiftServerless',
        action: 'GetNamespace',
        parameters: { namespaceName },
        physicalResourceId: cr.PhysicalResourceId.of(namespaceName),
        outputPaths: ['namespace.adminPasswordSecretArn'],
      },
      policy: [
        new iam.PolicyStatement({
          actions: ['redshift-serverless:GetNamespace'],
          resources: [this.namespace.attrNamespaceNamespaceArn],
        }),
      ],
    });
    return lookup.getResponseField('namespace.adminPasswordSecretArn');
  }
}

function physicalName(scope: Construct, suffix: string, maxLength = 50): string {
  return `${Names.uniqueResourceName(scope, { maxLength, separator: '-' })}-${suffix}`.toLowerCase();
}
