import { TASK_FUNCTION_KEYS } from '../../contract/functions';
import { canInvoke, canStartExecution } from '../../local/iam/pipeline-checks';
import { actionsOf, deployed, KINDS, withoutStatements, withRole, withStatements } from './support';

describe.each(KINDS)('GIVEN the %s template', (kind) => {
  const deployment = deployed(kind);

  test.each(TASK_FUNCTION_KEYS)('THEN the state machine may invoke %s', (key) => {
    expect(canInvoke(deployment, deployment.functions[key].arn)).toBeUndefined();
  });

  test('THEN it may not invoke the stop cleanup, which only EventBridge starts', () => {
    expect(canInvoke(deployment, deployment.functions.stopCleanup.arn)).toEqual({
      error: 'Lambda.AWSLambdaException',
      cause: expect.stringContaining(
        `lambda:InvokeFunction on resource: ${deployment.functions.stopCleanup.arn} because no identity-based policy`,
      ) as unknown,
    });
  });

  test('THEN every Lambda Task of the definition names a function the state machine may invoke', () => {
    const resources = [
      ...JSON.stringify(deployment.stateMachine.definition).matchAll(/"Resource":"([^"]+)"/g),
    ].map((match) => match[1]!);
    expect(resources.length).toBeGreaterThan(3);
    for (const resource of resources) expect(canInvoke(deployment, resource)).toBeUndefined();
  });

  test('THEN a function outside the stack may not be invoked', () => {
    const stranger = `arn:aws:lambda:${deployment.region}:000000000000:function:someone-elses`;
    expect(canInvoke(deployment, stranger)?.cause).toMatch(
      /lambda:InvokeFunction on resource: .*someone-elses/,
    );
  });

  test('THEN without the poll function in the invoke statement, its Task fails as Step Functions reports it', () => {
    const { pollStatement } = deployment.functions;
    const role = withStatements(deployment.stateMachine.role, (statement) =>
      actionsOf(statement).includes('lambda:InvokeFunction')
        ? {
            ...statement,
            Resource: ([] as string[])
              .concat(statement.Resource ?? [])
              .filter((arn) => !arn.startsWith(pollStatement.arn)),
          }
        : statement,
    );
    const broken = withRole(deployment, role);
    expect(canInvoke(broken, deployment.functions.submitStatement.arn)).toBeUndefined();
    expect(canInvoke(broken, pollStatement.arn)).toEqual({
      error: 'Lambda.AWSLambdaException',
      cause:
        `User: arn:aws:sts::000000000000:assumed-role/${role.name}/StepFunctionsSession is not authorized to ` +
        `perform: lambda:InvokeFunction on resource: ${pollStatement.arn} because no identity-based policy ` +
        'allows the lambda:InvokeFunction action (Service: Lambda, Status Code: 403)',
    });
  });

  test('THEN the schedule may start the state machine, and not once its statement is gone', () => {
    expect(canStartExecution(deployment)).toBeUndefined();
    const broken = withRole(
      deployment,
      withoutStatements(deployment.schedule.role, (statement) =>
        actionsOf(statement).includes('states:StartExecution'),
      ),
    );
    expect(canStartExecution(broken)).toEqual({
      error: 'AccessDeniedException',
      cause: expect.stringContaining(
        `is not authorized to perform: states:StartExecution on resource: ${deployment.stateMachine.arn}`,
      ) as string,
    });
  });
});
