import { Aws, Fn, Names, RemovalPolicy } from 'aws-cdk-lib';
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

/** A Redshift Serverless namespace (the data) and workgroup (the compute), private and encrypted. */
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

function physicalName(scope: Construct, suffix: string): string {
  return `${Names.uniqueResourceName(scope, { maxLength: 50, separator: '-' })}-${suffix}`.toLowerCase();
}
