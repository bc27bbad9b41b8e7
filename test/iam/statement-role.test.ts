import { LocalSts, type RolePrincipal } from '../../local/iam/sts';
import type { LocalRole } from '../../local/cloud/local-deployment';
import { decide, deployed, KINDS } from './support';

const FOLLOW_UP = ['DescribeStatement', 'GetStatementResult', 'CancelStatement', 'ListStatements'] as const;

function session(sts: LocalSts, role: LocalRole, sessionName: string): RolePrincipal {
  return sts.principalOf(sts.assumeRole(role, sessionName).accessKeyId)!;
}

describe.each(KINDS)('GIVEN the %s stack: one role, a Lambda session per function', (kind) => {
  const deployment = deployed(kind);
  const sts = new LocalSts(deployment.account);
  const { submitStatement, pollStatement, planRun } = deployment.functions;
  const role = submitStatement.role;
  const submitter = session(sts, role, submitStatement.name);
  const poller = session(sts, role, pollStatement.name);

  test('THEN the submit function may run statements on the warehouse and read its secret', async () => {
    for (const action of ['redshift-data:ExecuteStatement', 'redshift-data:BatchExecuteStatement']) {
      expect(
        await decide(role, {
          principal: submitter,
          action,
          resource: deployment.warehouse.dataApiResourceArn,
        }),
      ).toBe('Allowed');
    }
    expect(
      await decide(role, {
        principal: submitter,
        action: 'secretsmanager:GetSecretValue',
        resource: deployment.warehouse.adminSecretArn,
      }),
    ).toBe('Allowed');
  });

  test.each(FOLLOW_UP)(
    'THEN the poll function may %s a statement the submit function ran (its aws:userid differs)',
    async (operation) => {
      expect(submitter.userid).not.toBe(poller.userid);
      const request = {
        principal: poller,
        action: `redshift-data:${operation}`,
        resource: '*',
        context: { 'redshift-data:statement-owner-iam-userid': submitter.userid },
      };
      expect(await decide(role, request)).toBe('Allowed');
    },
  );

  test.each(FOLLOW_UP)('THEN it may not %s a statement a session of another role ran', async (operation) => {
    const stranger = session(sts, planRun.role, planRun.name);
    const request = {
      principal: poller,
      action: `redshift-data:${operation}`,
      resource: '*',
      context: { 'redshift-data:statement-owner-iam-userid': stranger.userid },
    };
    expect(await decide(role, request)).toBe('ImplicitlyDenied');
  });

  test("THEN the condition AWS's examples show (owner = ${aws:userid}) would have denied every poll", async () => {
    const equalsOwnUserid: LocalRole = {
      ...role,
      policies: [
        {
          name: 'owner-equals-caller',
          source: 'inline',
          document: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: FOLLOW_UP.map((operation) => `redshift-data:${operation}`),
                Resource: '*',
                Condition: { StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' } },
              },
            ],
          },
        },
      ],
    };
    const request = (principal: RolePrincipal) => ({
      principal,
      action: 'redshift-data:DescribeStatement',
      resource: '*',
      context: { 'redshift-data:statement-owner-iam-userid': submitter.userid },
    });
    expect(await decide(equalsOwnUserid, request(submitter))).toBe('Allowed');
    expect(await decide(equalsOwnUserid, request(poller))).toBe('ImplicitlyDenied');
  });
});
