import { runSimulation } from '@cloud-copilot/iam-simulate';
import { buildApp } from '../../lib/app';
import { evaluate, type AuthorizationRequest, type Decision } from '../../local/iam/evaluator';
import { localDeployment, type LocalDeployment, type LocalRole } from '../../local/cloud/local-deployment';

export const KINDS = ['serverless', 'provisioned'] as const;
export type Kind = (typeof KINDS)[number];

const deployments = new Map<Kind, LocalDeployment>();

/** The synthesized stack of a warehouse kind, deployed locally (built once per test file). */
export function deployed(kind: Kind): LocalDeployment {
  let deployment = deployments.get(kind);
  if (!deployment) {
    deployment = localDeployment(buildApp({ context: { warehouse: kind }, bundle: false }));
    deployments.set(kind, deployment);
  }
  return deployment;
}

/**
 * A copy of a role whose statements `edit` rewrites (undefined drops one): what a broken template
 * would deploy. Fails when `edit` changed nothing, so a test cannot pass by missing its target.
 */
export function withStatements(
  role: LocalRole,
  edit: (statement: Statement) => Statement | undefined,
): LocalRole {
  let changed = false;
  const policies = role.policies.map((policy) => {
    const statements = ([] as Statement[]).concat(policy.document.Statement as Statement | Statement[]);
    const edited = statements.flatMap((statement) => {
      const result = edit(statement);
      if (result !== statement) changed = true;
      return result === undefined ? [] : [result];
    });
    return { ...policy, document: { ...policy.document, Statement: edited } };
  });
  if (!changed) throw new Error(`no statement of ${role.arn} changed`);
  return { ...role, policies };
}

export const withoutStatements = (role: LocalRole, drop: (statement: Statement) => boolean): LocalRole =>
  withStatements(role, (statement) => (drop(statement) ? undefined : statement));

export interface Statement {
  readonly Effect: string;
  readonly Action?: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export const actionsOf = (statement: Statement): string[] => ([] as string[]).concat(statement.Action ?? []);

/** The deployment with one role replaced, everywhere it is used. */
export function withRole(deployment: LocalDeployment, role: LocalRole): LocalDeployment {
  const swap = <T extends { readonly role: LocalRole }>(holder: T): T =>
    holder.role.arn === role.arn ? { ...holder, role } : holder;
  return {
    ...deployment,
    roles: new Map([...deployment.roles].map(([arn, known]) => [arn, arn === role.arn ? role : known])),
    functions: {
      planRun: swap(deployment.functions.planRun),
      submitStatement: swap(deployment.functions.submitStatement),
      pollStatement: swap(deployment.functions.pollStatement),
      stopCleanup: swap(deployment.functions.stopCleanup),
    },
    stateMachine: swap(deployment.stateMachine),
    schedule: swap(deployment.schedule),
  };
}

/**
 * The evaluator's decision, after replaying the same simulation through iam-simulate's validating
 * entry: it must know the action, the resource type and every condition key, and agree.
 */
export async function decide(role: LocalRole, request: AuthorizationRequest): Promise<Decision> {
  const evaluation = evaluate(role, request);
  const validated = await runSimulation(evaluation.simulation, {});
  if (validated.resultType === 'error') throw new Error(JSON.stringify(validated.errors));
  expect(validated.overallResult).toBe(evaluation.decision);
  return evaluation.decision;
}
