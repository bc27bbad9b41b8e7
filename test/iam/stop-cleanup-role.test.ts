import { LocalSts, type RolePrincipal } from '../../local/iam/sts';
import type { LocalFunction } from '../../local/cloud/local-deployment';
import { decide, deployed, KINDS } from './support';

const OWNER = 'redshift-data:statement-owner-iam-userid';

function lambdaSession(sts: LocalSts, fn: LocalFunction): RolePrincipal {
  return sts.principalOf(sts.assumeRole(fn.role, fn.name).accessKeyId)!;
}

describe.each(KINDS)('GIVEN the %s stack: the stop cleanup in a Lambda session of its own', (kind) => {
  const deployment = deployed(kind);
  const sts = new LocalSts(deployment.account);
  const { stopCleanup, submitStatement, planRun } = deployment.functions;
  const cleanup = lambdaSession(sts, stopCleanup);
  const submitter = lambdaSession(sts, submitStatement);
  const allowed = (action: string, resource: string, context?: Record<string, string>) =>
    decide(stopCleanup.role, { principal: cleanup, action, resource, ...(context ? { context } : {}) });

  test("THEN it may list and cancel the statements the submit function's session ran", async () => {
    expect(cleanup.userid).not.toBe(submitter.userid);
    // ListStatements is authorized with the caller's own userid as the owner.
    expect(await allowed('redshift-data:ListStatements', '*', { [OWNER]: cleanup.userid })).toBe('Allowed');
    for (const action of ['redshift-data:CancelStatement', 'redshift-data:DescribeStatement']) {
      expect(await allowed(action, '*', { [OWNER]: submitter.userid })).toBe('Allowed');
    }
  });

  test('THEN it may submit the audit update on the warehouse, with the admin secret', async () => {
    const { warehouse } = deployment;
    expect(await allowed('redshift-data:BatchExecuteStatement', warehouse.dataApiResourceArn)).toBe(
      'Allowed',
    );
    expect(await allowed('secretsmanager:GetSecretValue', warehouse.adminSecretArn)).toBe('Allowed');
  });

  test('THEN it may not cancel a statement a session of another role ran', async () => {
    const stranger = lambdaSession(sts, planRun);
    expect(await allowed('redshift-data:CancelStatement', '*', { [OWNER]: stranger.userid })).toBe(
      'ImplicitlyDenied',
    );
  });

  test('THEN it may send its failed invocations to its own dead-letter queue, and to no other queue', async () => {
    const queue = `arn:aws:sqs:${deployment.region}:${deployment.account}:`;
    const dlq = JSON.stringify(stopCleanup.role.policies).match(new RegExp(`${queue}[\\w-]+`))?.[0];
    expect(dlq).toMatch(/StopCleanupDeadLetterQueue/);
    expect(await allowed('sqs:SendMessage', dlq!)).toBe('Allowed');
    expect(await allowed('sqs:SendMessage', `${queue}someone-elses`)).toBe('ImplicitlyDenied');
  });

  test('THEN it may not start an execution, nor invoke the pipeline functions', async () => {
    expect(await allowed('states:StartExecution', deployment.stateMachine.arn)).toBe('ImplicitlyDenied');
    expect(await allowed('lambda:InvokeFunction', submitStatement.arn)).toBe('ImplicitlyDenied');
  });
});
