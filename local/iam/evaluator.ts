import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import type { LocalRole } from '../cloud/local-deployment';
import type { RolePrincipal } from './sts';

export type ContextValues = Readonly<Record<string, string | readonly string[]>>;

/** One request as IAM evaluates it: who, which action, on what, with which condition keys. */
export interface AuthorizationRequest {
  readonly principal: RolePrincipal;
  readonly action: string;
  readonly resource: string;
  /** Service condition keys; the global ones of the principal are added. */
  readonly context?: ContextValues;
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface Evaluation {
  readonly decision: Decision;
  /** The exact inputs given to the simulator, so a test can replay them through its validating entry. */
  readonly simulation: Parameters<typeof runUnsafeSimulation>[0];
}

/**
 * Evaluates a request against the identity policies of the principal's role with
 * @cloud-copilot/iam-simulate (AGPL-3.0, a development-only dependency: the local runtime and the
 * tests run it, nothing deployed contains it). Same-account, identity policies only: the stack
 * sets no resource policies, permission boundaries or session policies on the calls checked here.
 *
 * The synchronous entry skips the simulator's request validation so that COPY's S3 reads can be
 * checked inline; test/iam replays every request shape through `runSimulation`, which validates
 * the action, the resource type and every condition key.
 */
export function evaluate(role: LocalRole, request: AuthorizationRequest): Evaluation {
  if (role.awsManagedPolicyArns.length > 0) {
    throw new Error(
      `${role.arn} uses AWS managed policies (${role.awsManagedPolicyArns.join(', ')}) whose documents are not in the template`,
    );
  }
  const { principal } = request;
  const { account } = principal;
  const simulation = {
    request: {
      principal: principal.arn,
      action: request.action,
      resource: { resource: request.resource, accountId: account },
      contextVariables: {
        'aws:userid': principal.userid,
        'aws:PrincipalArn': principal.roleArn,
        'aws:PrincipalAccount': account,
        'aws:PrincipalType': 'AssumedRole',
        ...Object.fromEntries(
          Object.entries(request.context ?? {}).map(([key, value]) => [
            key,
            typeof value === 'string' ? value : [...value],
          ]),
        ),
      },
    },
    identityPolicies: role.policies.map((policy) => ({ name: policy.name, policy: policy.document })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
  return { decision: runUnsafeSimulation(simulation, {}) as Decision, simulation };
}

/** AWS's AccessDenied wording for an identity-policy decision. */
export function accessDeniedMessage(
  request: AuthorizationRequest,
  decision: Exclude<Decision, 'Allowed'>,
): string {
  const why =
    decision === 'ExplicitlyDenied'
      ? 'with an explicit deny in an identity-based policy'
      : `because no identity-based policy allows the ${request.action} action`;
  return `User: ${request.principal.arn} is not authorized to perform: ${request.action} on resource: ${request.resource} ${why}`;
}
