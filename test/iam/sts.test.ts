import { lambdaCredentialsEnvironment, LocalSts } from '../../local/iam/sts';
import { deployed } from './support';

describe('GIVEN the local STS', () => {
  const deployment = deployed('serverless');
  const { submitStatement, pollStatement } = deployment.functions;

  test("THEN a Lambda's credentials map back to its role session, named after the function", () => {
    const sts = new LocalSts(deployment.account);
    const environment = lambdaCredentialsEnvironment(sts, pollStatement);
    expect(environment.AWS_ACCESS_KEY_ID).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(environment.AWS_SECRET_ACCESS_KEY).toHaveLength(40);
    expect(environment.AWS_SESSION_TOKEN!.length).toBeGreaterThan(100);
    const { role } = pollStatement;
    expect(sts.principalOf(environment.AWS_ACCESS_KEY_ID!)).toEqual({
      account: '000000000000',
      roleArn: role.arn,
      roleId: role.roleId,
      roleName: role.name,
      sessionName: pollStatement.name,
      userid: `${role.roleId}:${pollStatement.name}`,
      arn: `arn:aws:sts::000000000000:assumed-role/${role.name}/${pollStatement.name}`,
    });
  });

  test('THEN two functions of one role get different keys and different aws:userid', () => {
    const sts = new LocalSts(deployment.account);
    const submit = lambdaCredentialsEnvironment(sts, submitStatement);
    const poll = lambdaCredentialsEnvironment(sts, pollStatement);
    expect(submit.AWS_ACCESS_KEY_ID).not.toBe(poll.AWS_ACCESS_KEY_ID);
    expect(sts.principalOf(submit.AWS_ACCESS_KEY_ID!)?.userid).not.toBe(
      sts.principalOf(poll.AWS_ACCESS_KEY_ID!)?.userid,
    );
  });

  test('THEN a key it never issued, or another STS issued, maps to nobody', () => {
    const issued = lambdaCredentialsEnvironment(new LocalSts(deployment.account), submitStatement);
    expect(new LocalSts(deployment.account).principalOf(issued.AWS_ACCESS_KEY_ID!)).toBeUndefined();
  });
});
