import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { S3Location, WarehouseKind } from '../config';

export interface DataAccessRoleProps {
  readonly warehouseKind: WarehouseKind;
  /** Locations COPY reads by key prefix (`FROM 's3://bucket/prefix'`). */
  readonly prefixes: readonly S3Location[];
  /** Single objects COPY reads, such as the JSONPaths file. */
  readonly objects: readonly S3Location[];
}

/**
 * The role the warehouse assumes for COPY (its default IAM role, and COPY's IAM_ROLE): read the
 * configured prefixes and objects, list only under those prefixes, nothing else.
 */
export class DataAccessRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: DataAccessRoleProps) {
    super(scope, id);
    const partition = Stack.of(this).partition;
    const arn = (resource: string) => `arn:${partition}:s3:::${resource}`;

    const services = ['redshift.amazonaws.com'];
    if (props.warehouseKind === 'serverless') services.push('redshift-serverless.amazonaws.com');
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.CompositePrincipal(...services.map((service) => new iam.ServicePrincipal(service))),
      description: 'Redshift COPY: read the Sparkify data prefixes',
    });

    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [
          ...props.prefixes.map((location) => arn(`${location.bucket}/${location.key}*`)),
          ...props.objects.map((location) => arn(`${location.bucket}/${location.key}`)),
        ],
      }),
    );
    // COPY lists each FROM prefix to find its files.
    for (const [bucket, prefixes] of groupByBucket(props.prefixes)) {
      this.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [arn(bucket)],
          conditions: { StringLike: { 's3:prefix': prefixes.map((prefix) => `${prefix}*`) } },
        }),
      );
    }

    // cdk-nag names each finding by the resource as it prints it, a partition token as below.
    const printed = Token.isUnresolved(partition) ? '<AWS::Partition>' : partition;
    for (const location of props.prefixes) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:${printed}:s3:::${location.bucket}/${location.key}*]`,
        reason: 'COPY FROM reads every object under its key prefix; the wildcard is exactly that prefix.',
      });
    }
  }
}

function groupByBucket(locations: readonly S3Location[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const { bucket, key } of locations) groups.set(bucket, [...(groups.get(bucket) ?? []), key]);
  return groups;
}
