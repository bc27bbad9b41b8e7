import { ENV } from '../../contract/environment';
import { STOP_CLEANUP_RETRY } from '../../lib/constructs/stop-cleanup';
import { getAtt, onlyWithId, ref, synthesize, expectRuleDeadLetterQueue } from './support/app';

describe('GIVEN the stack with its stop cleanup', () => {
  const { template } = synthesize({ warehouse: 'serverless' });
  const fn = onlyWithId(template, 'AWS::Lambda::Function', 'StopCleanupFunction');
  const rule = onlyWithId(template, 'AWS::Events::Rule', 'StopCleanupRule');
  const queue = onlyWithId(template, 'AWS::SQS::Queue', 'StopCleanupDeadLetterQueue');
  const stateMachine = onlyWithId(template, 'AWS::StepFunctions::StateMachine', 'PipelineStateMachine');

  test("THEN the rule matches this state machine's executions that end ABORTED, TIMED_OUT or FAILED", () => {
    expect(rule.resource.Properties.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { stateMachineArn: [ref(stateMachine.id)], status: ['ABORTED', 'TIMED_OUT', 'FAILED'] },
    });
    expect(rule.resource.Properties.State).toBe('ENABLED');
  });

  test('THEN it invokes the cleanup, retrying for an hour, then hands the event to an encrypted dead-letter queue', () => {
    expect(rule.resource.Properties.Targets).toEqual([
      {
        Id: expect.any(String) as unknown,
        Arn: getAtt(fn.id),
        RetryPolicy: {
          MaximumEventAgeInSeconds: STOP_CLEANUP_RETRY.maxEventAge.toSeconds(),
          MaximumRetryAttempts: STOP_CLEANUP_RETRY.retryAttempts,
        },
        DeadLetterConfig: { Arn: getAtt(queue.id) },
      },
    ]);
    expectRuleDeadLetterQueue(template, queue.id, rule.id);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: getAtt(fn.id),
      Principal: 'events.amazonaws.com',
      SourceArn: getAtt(rule.id),
    });
  });

  test('THEN a cleanup that still fails after Lambda retried it lands in the same dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(fn.id),
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: STOP_CLEANUP_RETRY.maxEventAge.toSeconds(),
      DestinationConfig: { OnFailure: { Destination: getAtt(queue.id) } },
    });
  });

  test('THEN the cleanup runs with the statement role and reads only the warehouse settings', () => {
    const submit = onlyWithId(template, 'AWS::Lambda::Function', 'EtlFunctionsSubmitStatement');
    expect(fn.resource.Properties.Role).toEqual(submit.resource.Properties.Role);
    const variables = Object.keys((fn.resource.Properties.Environment as { Variables: object }).Variables);
    expect(variables.sort()).toEqual(
      [ENV.warehouseKind, ENV.workgroupName, ENV.database, ENV.secretArn, 'NODE_OPTIONS'].sort(),
    );
    expect(fn.resource.Properties.Timeout).toBe(120);
  });
});
