import { ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as redshift from 'aws-cdk-lib/aws-redshift';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { NodeType } from '../config';
import {
  ADMIN_USERNAME,
  AUDIT_LOG_EXPORTS,
  REDSHIFT_PORT,
  type Warehouse,
  type WarehouseProps,
} from './warehouse';
import { warehouseApiCall } from './warehouse-api-call';

export interface ProvisionedWarehouseProps extends WarehouseProps {
  readonly nodeType: NodeType;
  /** 1 makes a single-node cluster. */
  readonly numberOfNodes: number;
}

/** A private, encrypted Redshift cluster in the isolated subnets, reached through the Data API. */
export class ProvisionedWarehouse extends Construct implements Warehouse {
  readonly cluster: redshift.CfnCluster;
  readonly target: Warehouse['target'];
  readonly dataApiResourceArn: string;
  readonly databaseName: string;
  readonly adminSecretArn: string;
  readonly endpointAddress: string;

  constructor(scope: Construct, id: string, props: ProvisionedWarehouseProps) {
    super(scope, id);
    const { network, dataAccessRole } = props;

    const subnetGroup = new redshift.CfnClusterSubnetGroup(this, 'Subnets', {
      description: 'Isolated subnets of the Sparkify warehouse VPC',
      subnetIds: network.vpc.isolatedSubnets.map((subnet) => subnet.subnetId),
    });
    const parameters = new redshift.CfnClusterParameterGroup(this, 'Parameters', {
      description: 'Sparkify warehouse: TLS only, user activity logged',
      parameterGroupFamily: 'redshift-1.0',
      parameters: [
        { parameterName: 'require_ssl', parameterValue: 'true' },
        { parameterName: 'enable_user_activity_logging', parameterValue: 'true' },
      ],
    });

    const singleNode = props.numberOfNodes === 1;
    this.cluster = new redshift.CfnCluster(this, 'Cluster', {
      clusterType: singleNode ? 'single-node' : 'multi-node',
      nodeType: props.nodeType,
      ...(singleNode ? {} : { numberOfNodes: props.numberOfNodes }),
      dbName: props.databaseName,
      masterUsername: ADMIN_USERNAME,
      manageMasterPassword: true,
      encrypted: true,
      kmsKeyId: props.encryptionKey.keyArn,
      port: REDSHIFT_PORT,
      publiclyAccessible: false,
      enhancedVpcRouting: true,
      clusterSubnetGroupName: subnetGroup.ref,
      vpcSecurityGroupIds: [network.warehouseSecurityGroup.securityGroupId],
      clusterParameterGroupName: parameters.ref,
      iamRoles: [dataAccessRole.roleArn],
      loggingProperties: { logDestinationType: 'cloudwatch', logExports: AUDIT_LOG_EXPORTS },
      automatedSnapshotRetentionPeriod: props.snapshotRetentionDays,
      allowVersionUpgrade: true,
      preferredMaintenanceWindow: 'sun:10:00-sun:10:30',
    });
    this.cluster.applyRemovalPolicy(
      props.removeDataOnDestroy ? RemovalPolicy.DESTROY : RemovalPolicy.SNAPSHOT,
    );

    Validations.of(this.cluster).acknowledge({
      id: 'AwsSolutions-RS4',
      reason:
        'Nothing can reach the port (no ingress rule, not public); statements arrive through the Data API.',
    });

    this.target = { kind: 'provisioned', clusterIdentifier: this.cluster.ref };
    this.dataApiResourceArn = Stack.of(this).formatArn({
      service: 'redshift',
      resource: 'cluster',
      resourceName: this.cluster.ref,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    // CloudFormation has no property for a cluster's default IAM role (aws/aws-cdk#22551).
    warehouseApiCall(this, 'DefaultIamRole', {
      call: {
        service: 'Redshift',
        action: 'ModifyClusterIamRoles',
        parameters: { ClusterIdentifier: this.cluster.ref, DefaultIamRoleArn: dataAccessRole.roleArn },
        physicalResourceId: cr.PhysicalResourceId.of(this.cluster.ref),
      },
      policy: [
        new iam.PolicyStatement({
          actions: ['redshift:ModifyClusterIamRoles'],
          resources: [this.dataApiResourceArn],
        }),
        new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [dataAccessRole.roleArn] }),
      ],
    });

    this.databaseName = props.databaseName;
    this.adminSecretArn = this.cluster.attrMasterPasswordSecretArn;
    this.endpointAddress = this.cluster.attrEndpointAddress;
  }
}
