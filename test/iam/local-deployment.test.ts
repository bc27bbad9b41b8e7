import {
  readWarehouseEnvironment,
  readDataLocations,
  readStatementTimeoutMs,
} from '../../contract/environment';
import { ETL_FUNCTION_KEYS, TASK_FUNCTION_KEYS } from '../../contract/functions';
import { deploymentFromTemplate, ETL_FUNCTION_IDS } from '../../local/cloud/local-deployment';
import { resolve, UnresolvableError } from '../../local/cloud/intrinsics';
import { physicalValues } from '../../local/cloud/physical-values';
import { deployed, KINDS } from './support';

const ARN = {
  role: /^arn:aws:iam::000000000000:role\/[\w+=,.@-]{1,64}$/,
  function: /^arn:aws:lambda:us-west-2:000000000000:function:[\w-]{1,64}$/,
  stateMachine: /^arn:aws:states:us-west-2:000000000000:stateMachine:[\w-]{1,80}$/,
  secret: /^arn:aws:secretsmanager:us-west-2:000000000000:secret:redshift!.+-admin-\w{6}$/,
};

describe.each(KINDS)('GIVEN the %s stack deployed locally', (kind) => {
  const deployment = () => deployed(kind);

  test('THEN each ETL function has its name, ARN, role, timeout and an environment its handler reads', () => {
    const { functions } = deployment();
    expect(new Set(ETL_FUNCTION_KEYS.map((key) => functions[key].name)).size).toBe(4);
    for (const key of ETL_FUNCTION_KEYS) {
      const fn = functions[key];
      expect(fn.key).toBe(key);
      expect(fn.logicalId).toMatch(new RegExp(`^${ETL_FUNCTION_IDS[key]}[0-9A-F]{8}$`));
      expect(fn.arn).toMatch(ARN.function);
      expect(fn.arn.endsWith(`:function:${fn.name}`)).toBe(true);
      expect(fn.role.arn).toMatch(ARN.role);
      expect(fn.timeoutSeconds).toBeGreaterThan(0);
      expect(Object.values(fn.environment).every((value) => typeof value === 'string')).toBe(true);
    }
    const submit = functions.submitStatement.environment;
    const warehouse = readWarehouseEnvironment(submit);
    expect(warehouse.secretArn).toBe(deployment().warehouse.adminSecretArn);
    const deployedWarehouse = deployment().warehouse;
    expect(warehouse.target).toEqual(
      deployedWarehouse.kind === 'serverless'
        ? { kind, workgroupName: deployedWarehouse.workgroupName }
        : { kind, clusterIdentifier: deployedWarehouse.clusterIdentifier },
    );
    expect(readDataLocations(submit).iam_role).toBe(deployment().warehouse.defaultIamRoleArn);
    expect(readStatementTimeoutMs(functions.pollStatement.environment)).toBe(7_200_000);
    expect(functions.submitStatement.role).toBe(functions.pollStatement.role);
    expect(functions.planRun.role).not.toBe(functions.submitStatement.role);
    expect(functions.stopCleanup.role).toBe(functions.submitStatement.role);
    expect(readWarehouseEnvironment(functions.stopCleanup.environment)).toEqual(warehouse);
  });

  test('THEN roles carry their ARN, an AROA RoleId and their policies with local values', () => {
    const { roles, functions } = deployment();
    const role = functions.submitStatement.role;
    expect(roles.get(role.arn)).toBe(role);
    expect(role.roleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(role.awsManagedPolicyArns).toEqual([]);
    const text = JSON.stringify(role.policies);
    expect(text).toContain(deployment().warehouse.dataApiResourceArn);
    expect(text).toContain(`${role.roleId}:*`);
    expect(text).not.toMatch(/Fn::|"Ref"/);
  });

  test('THEN the state machine runs the local functions with its own role', () => {
    const { stateMachine, functions } = deployment();
    expect(stateMachine.arn).toMatch(ARN.stateMachine);
    const text = JSON.stringify(stateMachine.definition);
    for (const key of TASK_FUNCTION_KEYS) expect(text).toContain(`"Resource":"${functions[key].arn}"`);
    expect(text).not.toContain(functions.stopCleanup.arn);
    expect(stateMachine.definition.StartAt).toBe('plan run');
    expect(stateMachine.role.arn).not.toBe(functions.submitStatement.role.arn);
  });

  test('THEN the schedule rule starts that state machine with its own role, disabled by default', () => {
    const { schedule, stateMachine } = deployment();
    expect(schedule.stateMachineArn).toBe(stateMachine.arn);
    expect(schedule.enabled).toBe(false);
    expect(schedule.scheduleExpression).toBe('cron(0 3 * * ? *)');
    expect(schedule.role.arn).toMatch(ARN.role);
  });

  test('THEN the warehouse names its Data API resource, its secret and its COPY roles', () => {
    const { warehouse } = deployment();
    expect(warehouse.kind).toBe(kind);
    expect(warehouse.database).toBe('sparkify');
    expect(warehouse.adminSecretArn).toMatch(ARN.secret);
    expect(warehouse.dataApiResourceArn).toMatch(
      kind === 'serverless'
        ? /^arn:aws:redshift-serverless:us-west-2:000000000000:workgroup\/[0-9a-f-]{36}$/
        : /^arn:aws:redshift:us-west-2:000000000000:cluster:[a-z0-9-]+$/,
    );
    expect(warehouse.iamRoleArns).toHaveLength(1);
    expect(warehouse.defaultIamRoleArn).toBe(warehouse.iamRoleArns[0]);
    expect(deployment().roles.get(warehouse.iamRoleArns[0]!)?.policies.length).toBeGreaterThan(0);
  });
});

describe('GIVEN template values', () => {
  const template = {
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'named' } },
      Role: { Type: 'AWS::IAM::Role', Properties: {} },
      Vpc: { Type: 'AWS::EC2::VPC', Properties: {} },
    },
  };
  const physical = physicalValues(template, { stackName: 'Stack', region: 'eu-west-1' });

  test('THEN Join, Sub, Select, Split and the pseudo parameters resolve', () => {
    expect(
      resolve(
        {
          'Fn::Join': [
            '/',
            [
              {
                'Fn::Sub':
                  'arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:${Fn}:${Fn.Arn}:${!Literal}',
              },
              { 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] },
              { 'Fn::Sub': ['${v}.${AWS::URLSuffix}', { v: { Ref: 'Fn' } }] },
            ],
          ],
        },
        physical,
      ),
    ).toBe(
      'arn:aws:x:eu-west-1:000000000000:named:arn:aws:lambda:eu-west-1:000000000000:function:named:${Literal}/b/named.amazonaws.com',
    );
  });

  test('THEN a generated role name is deterministic and fits IAM', () => {
    const arn = physical.getAtt('Role', 'Arn');
    expect(arn).toMatch(/^arn:aws:iam::000000000000:role\/Stack-Role-\w{12}$/);
    expect(physicalValues(template, { stackName: 'Stack', region: 'eu-west-1' }).getAtt('Role', 'Arn')).toBe(
      arn,
    );
  });

  test('THEN an unknown intrinsic, attribute or resource fails naming it', () => {
    expect(() => resolve({ 'Fn::If': ['c', 'a', 'b'] }, physical)).toThrow(/Fn::If has no local value/);
    expect(() => resolve({ 'Fn::GetAtt': ['Vpc', 'DefaultSecurityGroup'] }, physical)).toThrow(
      /\[Vpc, DefaultSecurityGroup\] \(AWS::EC2::VPC\)/,
    );
    expect(() => resolve({ Ref: 'Missing' }, physical)).toThrow(UnresolvableError);
    expect(() => deploymentFromTemplate(template, { stackName: 'Stack', region: 'eu-west-1' })).toThrow(
      /expected one AWS::Lambda::Function/,
    );
  });
});
