import { KINDS, only, synthesize, type Synthesized } from './support/app';

// The top-level properties that name a resource in the account: two stacks giving one of them the
// same value would collide on deploy.
const PHYSICAL_NAMES = [
  'AlarmName',
  'AliasName',
  'BucketName',
  'ClusterIdentifier',
  'FinalSnapshotName',
  'FunctionName',
  'LogGroupName',
  'Name',
  'NamespaceName',
  'QueueName',
  'RoleName',
  'ScheduleIdentifier',
  'SecretName',
  'SnapshotName',
  'StateMachineName',
  'TopicName',
  'WorkgroupName',
];

/** A reference to another resource of the stack takes that resource's generated name. */
const isReference = (value: unknown) =>
  typeof value === 'object' && value !== null && ('Ref' in value || 'Fn::GetAtt' in value);

/**
 * Every physical name the template sets itself, as JSON so that names built with intrinsics
 * compare too.
 */
function physicalNames({ template }: Synthesized): string[] {
  return Object.values(template.toJSON().Resources as Record<string, { Properties?: object }>).flatMap(
    ({ Properties = {} }) =>
      Object.entries(Properties)
        .filter(([key, value]) => PHYSICAL_NAMES.includes(key) && !isReference(value))
        .map(([, value]) => JSON.stringify(value)),
  );
}

describe.each(KINDS)('GIVEN a %s warehouse', (warehouse) => {
  const byDefault = synthesize({ warehouse });
  const staged = synthesize({ warehouse, stage: 'dev' });

  test('WHEN no stage is set THEN the stack is the one it always was, SparkifyDwh', () => {
    expect(byDefault.stack.stackName).toBe('SparkifyDwh');
    expect(byDefault.stack.node.path).toBe('SparkifyDwh');
  });

  test('WHEN stage=dev THEN the stack is SparkifyDwh-dev', () => {
    expect(staged.stack.stackName).toBe('SparkifyDwh-dev');
    expect(staged.stack.templateOptions.description).toMatch(/, stage dev$/);
  });

  test('WHEN stage=dev THEN no physical name equals one of the default stack', () => {
    const defaultNames = physicalNames(byDefault);

    expect(physicalNames(staged).filter((name) => defaultNames.includes(name))).toEqual([]);
  });
});

describe('GIVEN a serverless warehouse', () => {
  test('WHEN no stage is set THEN the namespace and workgroup keep the names deployed stacks have', () => {
    const { template } = synthesize({ warehouse: 'serverless' });

    expect(only(template, 'AWS::RedshiftServerless::Namespace').resource.Properties.NamespaceName).toBe(
      'sparkifydwh-warehouse-669af3c1-namespace',
    );
    expect(only(template, 'AWS::RedshiftServerless::Workgroup').resource.Properties.WorkgroupName).toBe(
      'sparkifydwh-warehouse-669af3c1-workgroup',
    );
  });

  test.each(['dev', 'a-twenty-char-stage1'])(
    'WHEN stage=%s THEN the namespace and workgroup names carry the whole stage',
    (stage) => {
      const { template } = synthesize({ warehouse: 'serverless', stage });
      const names = [
        only(template, 'AWS::RedshiftServerless::Namespace').resource.Properties.NamespaceName,
        only(template, 'AWS::RedshiftServerless::Workgroup').resource.Properties.WorkgroupName,
      ];

      for (const name of names) expect(name).toContain(`sparkifydwh${stage.replaceAll('-', '')}-warehouse-`);
    },
  );
});
