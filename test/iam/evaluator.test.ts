import { TASK_FUNCTION_KEYS } from '../../contract/functions';
import { COPY_SESSION_NAME } from '../../local/iam/copy-authorizer';
import { rolePrincipal } from '../../local/iam/sts';
import { decide, deployed, KINDS } from './support';

describe.each(KINDS)('GIVEN the %s template, every request shape the local stand-in evaluates', (kind) => {
  const deployment = deployed(kind);
  const { account, stateMachine, schedule, warehouse } = deployment;
  const copyRole = deployment.roles.get(warehouse.defaultIamRoleArn!)!;
  const copier = rolePrincipal(copyRole, COPY_SESSION_NAME, account);

  test('THEN iam-simulate validates and allows Lambda invoke and StartExecution', async () => {
    for (const key of TASK_FUNCTION_KEYS) {
      const fn = deployment.functions[key];
      const principal = rolePrincipal(stateMachine.role, 'session', account);
      expect(
        await decide(stateMachine.role, { principal, action: 'lambda:InvokeFunction', resource: fn.arn }),
      ).toBe('Allowed');
    }
    const principal = rolePrincipal(schedule.role, 'session', account);
    expect(
      await decide(schedule.role, {
        principal,
        action: 'states:StartExecution',
        resource: schedule.stateMachineArn,
      }),
    ).toBe('Allowed');
  });

  test.each([
    ['song_data', 'Allowed'],
    ['log_data/2018/11/2018-11-1', 'Allowed'],
    ['', 'ImplicitlyDenied'],
    ['other/', 'ImplicitlyDenied'],
  ])('THEN s3:ListBucket with s3:prefix %j is %s', async (prefix, decision) => {
    expect(
      await decide(copyRole, {
        principal: copier,
        action: 's3:ListBucket',
        resource: 'arn:aws:s3:::udacity-dend',
        context: { 's3:prefix': prefix },
      }),
    ).toBe(decision);
  });

  test.each([
    ['song_data/A/B/C/TRABC.json', 'Allowed'],
    ['log_json_path.json', 'Allowed'],
    ['secrets/key.json', 'ImplicitlyDenied'],
  ])('THEN s3:GetObject on %s is %s', async (key, decision) => {
    expect(
      await decide(copyRole, {
        principal: copier,
        action: 's3:GetObject',
        resource: `arn:aws:s3:::udacity-dend/${key}`,
      }),
    ).toBe(decision);
  });

  test('THEN the temporary-credential actions the Data API checks without a secret are known, and not granted', async () => {
    const { submitStatement } = deployment.functions;
    const principal = rolePrincipal(submitStatement.role, submitStatement.name, account);
    const arn = warehouse.dataApiResourceArn;
    const requests =
      warehouse.kind === 'serverless'
        ? [{ action: 'redshift-serverless:GetCredentials', resource: arn }]
        : [
            {
              action: 'redshift:GetClusterCredentialsWithIAM',
              resource: `${arn.replace(':cluster:', ':dbname:')}/sparkify`,
            },
            {
              action: 'redshift:GetClusterCredentials',
              resource: `${arn.replace(':cluster:', ':dbuser:')}/etl`,
            },
          ];
    for (const request of requests) {
      expect(await decide(submitStatement.role, { principal, ...request })).toBe('ImplicitlyDenied');
    }
  });
});
