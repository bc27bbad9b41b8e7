import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { LocalDeployment, LocalRole } from '../cloud/local-deployment';

/**
 * Whether a service principal may assume the role, by the role's trust policy. `sourceArn` is the
 * resource the service acts for, which it states (with the account) so that trust policies can
 * guard against the confused deputy.
 */
export async function trustsService(
  role: LocalRole,
  service: string,
  account: string,
  sourceArn?: string,
): Promise<boolean> {
  const result = await runSimulation(
    {
      request: {
        principal: service,
        action: 'sts:AssumeRole',
        resource: { resource: role.arn, accountId: account },
        contextVariables: {
          'aws:SourceAccount': account,
          ...(sourceArn === undefined ? {} : { 'aws:SourceArn': sourceArn }),
        },
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: role.trustPolicy,
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`${role.arn}: ${JSON.stringify(result.errors)}`);
  return result.overallResult === 'Allowed';
}

/** The service that assumes the warehouse's IAM roles for COPY. */
export const warehouseService = (deployment: LocalDeployment): string =>
  deployment.warehouse.kind === 'serverless' ? 'redshift-serverless.amazonaws.com' : 'redshift.amazonaws.com';

/**
 * Each role the pipeline's services must assume that its trust policy does not let them: Lambda
 * the functions' roles, Step Functions the state machine's, EventBridge the schedule's, Redshift
 * the warehouse's. On AWS each fails at create or at run time; empty when all is well.
 */
export async function untrustedRoles(deployment: LocalDeployment): Promise<string[]> {
  const uses = [
    ...Object.values(deployment.functions).map((fn) => ({
      role: fn.role,
      service: 'lambda.amazonaws.com',
      source: undefined,
    })),
    {
      role: deployment.stateMachine.role,
      service: 'states.amazonaws.com',
      source: deployment.stateMachine.arn,
    },
    { role: deployment.schedule.role, service: 'events.amazonaws.com', source: deployment.schedule.arn },
    ...deployment.warehouse.iamRoleArns.map((arn) => ({
      role: deployment.roles.get(arn)!,
      service: warehouseService(deployment),
      source: undefined,
    })),
  ];
  const problems: string[] = [];
  for (const { role, service, source } of uses) {
    if (!(await trustsService(role, service, deployment.account, source))) {
      problems.push(`${service} is not trusted to assume ${role.arn}`);
    }
  }
  return [...new Set(problems)];
}
