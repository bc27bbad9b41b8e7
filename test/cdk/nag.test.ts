import { Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../../lib/app';
import type { SparkifyContext } from '../../lib/config';
import { collectingConsoleError } from '../support/console';
import { synthesize, type Synthesized } from './support/app';

interface Report {
  pluginReports: { pluginName: string; violations: { ruleName: string; severity: string }[] }[];
}

// Asked for: removeDataOnDestroy=true warns at synth, on purpose.
const DATA_REMOVAL_WARNING = 'Annotation::sparkify:removeDataOnDestroy';

const report = ({ app }: Synthesized): Report =>
  JSON.parse(readFileSync(join(app.synth().directory, 'validation-report.json'), 'utf8'));

/** Every acknowledgment in the stack: where it is, the rule it names, and why. */
function acknowledgments({ stack }: Synthesized) {
  return stack.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([rule, reason]) => ({
        path: construct.node.path,
        rule: rule.replace(/^Annotation::/, ''),
        reason,
      })),
  );
}

// Each kind, and each optional part switched on: the e-mail subscription, an enabled schedule and
// its alarms, data removal on destroy, a stage.
const VARIANTS: Record<string, SparkifyContext> = {
  serverless: { warehouse: 'serverless' },
  provisioned: { warehouse: 'provisioned' },
  'serverless, everything on': {
    warehouse: 'serverless',
    schedule: 'rate(1 day)',
    alarmEmail: 'ops@example.com',
    removeDataOnDestroy: 'true',
  },
  'provisioned, everything on': {
    warehouse: 'provisioned',
    numberOfNodes: '2',
    schedule: 'rate(1 day)',
    alarmEmail: 'ops@example.com',
    removeDataOnDestroy: 'true',
    stage: 'dev',
  },
};

// The reviewed acknowledgments. A new one must be added here, on purpose, with its reason in code.
const EXPECTED = [
  'SparkifyDwh/DataAccess/Role AwsSolutions-IAM5[Resource::arn:aws:s3:::udacity-dend/song_data*]',
  'SparkifyDwh/DataAccess/Role AwsSolutions-IAM5[Resource::arn:aws:s3:::udacity-dend/log_data*]',
  'SparkifyDwh/EtlFunctions/StatementRole AwsSolutions-IAM5[Resource::*]',
  'SparkifyDwh/EtlFunctions/PlanRole AwsSolutions-IAM5[Resource::*]',
  'SparkifyDwh/Pipeline/StateMachine AwsSolutions-SF1',
  'SparkifyDwh/Schedule/DeadLetterQueue AwsSolutions-SQS3',
  'SparkifyDwh/StopCleanup/DeadLetterQueue AwsSolutions-SQS3',
  'SparkifyDwh/Pipeline/StateMachine/Role AwsSolutions-IAM5[Resource::*]',
  'SparkifyDwh/Pipeline/StateMachine/Role AwsSolutions-IAM5[Resource::<EtlFunctionsPlanRun0453A920.Arn>:*]',
  'SparkifyDwh/Pipeline/StateMachine/Role AwsSolutions-IAM5[Resource::<EtlFunctionsSubmitStatementCA4C715E.Arn>:*]',
  'SparkifyDwh/Pipeline/StateMachine/Role AwsSolutions-IAM5[Resource::<EtlFunctionsPollStatement46790F89.Arn>:*]',
];

describe.each(Object.entries(VARIANTS))(
  'GIVEN the %s app under the cdk-nag AWS Solutions checks',
  (_name, context) => {
    let synthesized: Synthesized;
    let printed: string;
    beforeAll(() => {
      // WHEN: synthesis runs the checks and throws on any unacknowledged finding.
      ({ result: synthesized, printed } = collectingConsoleError(() => synthesize(context)));
    });

    test('THEN no plugin reports a violation beyond the data-removal warning asked for', () => {
      const violations = report(synthesized).pluginReports.flatMap((plugin) => plugin.violations);

      const asked =
        context.removeDataOnDestroy === 'true'
          ? [{ ruleName: DATA_REMOVAL_WARNING, severity: 'warning' }]
          : [];
      expect(violations).toEqual(asked.map((violation) => expect.objectContaining(violation)));
      // The validation report is printed exactly when it has something to say.
      expect(printed.includes(DATA_REMOVAL_WARNING)).toBe(asked.length > 0);
    });

    test('THEN the only acknowledged AWS Solutions findings are the reviewed ones, each with a one-line reason', () => {
      const found = acknowledgments(synthesized).filter((ack) => ack.rule.startsWith('AwsSolutions-'));

      const expected = [...EXPECTED];
      if (context.warehouse === 'provisioned')
        expected.push('SparkifyDwh/Warehouse/Cluster AwsSolutions-RS4');
      else expected.push('SparkifyDwh/Warehouse/SnapshotSchedule AwsSolutions-IAM5[Resource::*]');
      const stackPath = synthesized.stack.node.path;
      expect(found.map((ack) => `${ack.path} ${ack.rule}`).sort()).toEqual(
        expected.map((ack) => ack.replace(/^SparkifyDwh\//, `${stackPath}/`)).sort(),
      );
      for (const { reason } of found) expect(reason).toMatch(/^[^\n]{20,200}$/);
    });
  },
);

describe('GIVEN a finding nobody acknowledged', () => {
  test('WHEN the app is synthesized THEN the AWS Solutions checks fail it', () => {
    // GIVEN: an unencrypted queue without a dead-letter queue, which the checks flag.
    const { app, stack } = buildApp({ context: {}, bundle: false });
    new sqs.Queue(stack, 'Unchecked');

    // WHEN / THEN
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });
});
