import type { LocalDeployment, LocalRole } from '../../local/cloud/local-deployment';
import { copyS3Authorizer } from '../../local/iam/copy-authorizer';
import { untrustedRoles } from '../../local/iam/trust';
import { deployed, KINDS, withRole } from './support';

const trusting = (role: LocalRole, services: string[]): LocalRole => ({
  ...role,
  trustPolicy: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: services } }],
  },
});

const copyRoleOf = (deployment: LocalDeployment) =>
  deployment.roles.get(deployment.warehouse.defaultIamRoleArn!)!;

const listing = {
  action: 's3:ListBucket',
  resource: 'arn:aws:s3:::udacity-dend',
  context: { 's3:prefix': 'song_data' },
  description: 'Listing bucket=udacity-dend prefix=song_data',
} as const;

describe.each(KINDS)('GIVEN the %s template', (kind) => {
  const deployment = deployed(kind);
  const service = kind === 'serverless' ? 'redshift-serverless.amazonaws.com' : 'redshift.amazonaws.com';
  const otherService = kind === 'serverless' ? 'redshift.amazonaws.com' : 'redshift-serverless.amazonaws.com';

  test('THEN every role trusts the service that assumes it', async () => {
    expect(await untrustedRoles(deployment)).toEqual([]);
  });

  test('THEN a function role that trusts only Step Functions is reported', async () => {
    const role = trusting(deployment.functions.planRun.role, ['states.amazonaws.com']);
    expect(await untrustedRoles(withRole(deployment, role))).toEqual([
      `lambda.amazonaws.com is not trusted to assume ${role.arn}`,
    ]);
  });

  test(`THEN a copy role that trusts only ${otherService} cannot be assumed by COPY`, async () => {
    const role = trusting(copyRoleOf(deployment), [otherService]);
    const broken = withRole(deployment, role);
    expect(await untrustedRoles(broken)).toEqual([`${service} is not trusted to assume ${role.arn}`]);
    const authorize = await copyS3Authorizer(broken);
    expect(() => authorize('default', listing)).toThrow(
      kind === 'serverless'
        ? `Not authorized to get credentials of role ${role.arn}`
        : `is not authorized to assume IAM Role ${role.arn}`,
    );
    expect(() => authorize(role.arn, listing)).toThrow(/not authorized/i);
  });

  test('THEN with the trust the template gives, the same listing is allowed', async () => {
    const authorize = await copyS3Authorizer(deployment);
    expect(() => authorize('default', listing)).not.toThrow();
  });
});
