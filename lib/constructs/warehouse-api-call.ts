import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { diagnosticLogGroup } from './log-group';

export interface WarehouseApiCallProps {
  /** Made on create and on update; nothing happens on delete. */
  readonly call: cr.AwsSdkCall;
  /** Exactly what the call needs, nothing more. */
  readonly policy: readonly iam.PolicyStatement[];
}

/**
 * One Redshift API call at deploy time, for the settings CloudFormation does not cover (a cluster's
 * default IAM role, a namespace's managed admin secret). It runs in the CDK's per-stack
 * AwsCustomResource function with the SDK that the Lambda runtime ships, under a role given here
 * so that it carries no AWS-managed policy. That function takes the role of the first call in a
 * stack, so a stack makes one such call.
 */
export function warehouseApiCall(
  scope: Construct,
  id: string,
  props: WarehouseApiCallProps,
): cr.AwsCustomResource {
  const logGroup = diagnosticLogGroup(scope, `${id}Logs`);
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'Sparkify deploy-time Redshift API call',
  });
  logGroup.grantWrite(role);
  return new cr.AwsCustomResource(scope, id, {
    onCreate: props.call,
    onUpdate: props.call,
    policy: cr.AwsCustomResourcePolicy.fromStatements([...props.policy]),
    role,
    logGroup,
    installLatestAwsSdk: false,
  });
}
