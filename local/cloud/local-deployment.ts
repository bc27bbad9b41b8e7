import { ETL_FUNCTION_KEYS, type EtlFunctionKey } from '../../contract/functions';
import type { BuiltApp } from '../../lib/app';
import { eventRulesOf, invokePermissionsOf, type InvokePermission, type LocalEventRule } from './event-rules';
import {
  resolve,
  resolveString,
  UnresolvableError,
  type CfnTemplate,
  type PhysicalValues,
} from './intrinsics';
import { LOCAL_ACCOUNT, physicalValues, type StackIdentity } from './physical-values';
import { sdkCalls } from './sdk-calls';

/** An IAM policy document as the template states it, intrinsics resolved. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: unknown;
}

export interface AttachedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
  /** Where the template attaches it: the role's own `Policies`, an AWS::IAM::Policy, or a managed policy. */
  readonly source: 'inline' | 'AWS::IAM::Policy' | 'AWS::IAM::ManagedPolicy';
}

export interface LocalRole {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** `AROA…`: the unique id `aws:userid` starts with for the role's sessions. */
  readonly roleId: string;
  /** Who may assume it (`AssumeRolePolicyDocument`). */
  readonly trustPolicy: PolicyDocument;
  readonly policies: readonly AttachedPolicy[];
  /**
   * AWS managed policies (`arn:aws:iam::aws:policy/…`) the role names: their documents are not in
   * the template, so a check that needs them fails rather than passes.
   */
  readonly awsManagedPolicyArns: readonly string[];
}

export interface LocalFunction {
  readonly key: EtlFunctionKey;
  readonly logicalId: string;
  /** Also the role session name Lambda gives the function's credentials. */
  readonly name: string;
  readonly arn: string;
  readonly role: LocalRole;
  /** `Environment.Variables` with local values. */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  /** Its resource policy: who else (EventBridge, for one) may invoke it. */
  readonly invokePermissions: readonly InvokePermission[];
}

export interface LocalStateMachine {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly role: LocalRole;
  /** The Amazon States Language definition, every function ARN a local one. */
  readonly definition: Record<string, unknown>;
}

export interface LocalSchedule {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly enabled: boolean;
  readonly scheduleExpression: string;
  /** The role EventBridge assumes to start the execution. */
  readonly role: LocalRole;
  readonly stateMachineArn: string;
}

interface WarehouseCommon {
  readonly database: string;
  /** The admin user, whose sessions run the Data API's statements with the admin secret. */
  readonly adminUsername: string;
  /** The resource `redshift-data:ExecuteStatement` is authorized on. */
  readonly dataApiResourceArn: string;
  readonly adminSecretArn: string;
  /** The roles COPY may name in IAM_ROLE. */
  readonly iamRoleArns: readonly string[];
  /** The role `IAM_ROLE default` means, if one is set. */
  readonly defaultIamRoleArn?: string;
}

export type DeployedWarehouse =
  | (WarehouseCommon & {
      readonly kind: 'serverless';
      readonly workgroupName: string;
      readonly namespaceName: string;
    })
  | (WarehouseCommon & { readonly kind: 'provisioned'; readonly clusterIdentifier: string });

/** The synthesized stack as if deployed into account 000000000000: what the local run enforces. */
export interface LocalDeployment {
  readonly account: string;
  readonly region: string;
  readonly stackName: string;
  /** The roles the pipeline's resources use, by ARN. */
  readonly roles: ReadonlyMap<string, LocalRole>;
  readonly functions: Readonly<Record<EtlFunctionKey, LocalFunction>>;
  readonly stateMachine: LocalStateMachine;
  readonly schedule: LocalSchedule;
  /** The rules that match events, such as the stop cleanup's. */
  readonly eventRules: readonly LocalEventRule[];
  readonly warehouse: DeployedWarehouse;
}

/** The app's stack synthesized (cdk-nag and template checks included) and deployed locally. */
export function localDeployment(built: BuiltApp): LocalDeployment {
  const { app, stack, config } = built;
  const template = app.synth().getStackByName(stack.stackName).template as CfnTemplate;
  return deploymentFromTemplate(template, { stackName: stack.stackName, region: config.region });
}

/** Each function's logical id, less the hash the CDK appends: its construct path, joined. */
export const ETL_FUNCTION_IDS: Readonly<Record<EtlFunctionKey, string>> = {
  planRun: 'EtlFunctionsPlanRun',
  submitStatement: 'EtlFunctionsSubmitStatement',
  pollStatement: 'EtlFunctionsPollStatement',
  stopCleanup: 'StopCleanupFunction',
};

export function deploymentFromTemplate(template: CfnTemplate, stack: StackIdentity): LocalDeployment {
  const physical = physicalValues(template, stack);
  const resources = Object.entries(template.Resources);
  const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);
  const onlyOne = (type: string, matching: (logicalId: string) => boolean = () => true): string => {
    const found = ofType(type).filter(([logicalId]) => matching(logicalId));
    if (found.length !== 1)
      throw new UnresolvableError(`expected one ${type}, the template has ${found.length}`);
    return found[0]![0];
  };
  const props = (logicalId: string) => template.Resources[logicalId]?.Properties ?? {};
  const str = (value: unknown, what: string) => resolveString(value, physical, what);

  const roles = new Map<string, LocalRole>();
  const roleByArn = (arn: string): LocalRole => {
    const known = roles.get(arn);
    if (known) return known;
    const logicalId = onlyOne('AWS::IAM::Role', (id) => physical.getAtt(id, 'Arn') === arn);
    const role = buildRole(template, physical, logicalId);
    roles.set(arn, role);
    return role;
  };

  const functions = Object.fromEntries(
    ETL_FUNCTION_KEYS.map((key) => {
      const pattern = new RegExp(`^${ETL_FUNCTION_IDS[key]}[0-9A-F]{8}$`);
      const logicalId = onlyOne('AWS::Lambda::Function', (id) => pattern.test(id));
      const { Environment, Role, Timeout } = props(logicalId);
      const variables = resolve(
        (Environment as { Variables?: unknown } | undefined)?.Variables ?? {},
        physical,
      );
      const name = physical.ref(logicalId);
      const arn = physical.getAtt(logicalId, 'Arn');
      const fn: LocalFunction = {
        key,
        logicalId,
        name,
        arn,
        role: roleByArn(str(Role, `${logicalId}.Role`)),
        environment: variables as Record<string, string>,
        timeoutSeconds: Timeout === undefined ? 3 : Number(Timeout),
        invokePermissions: invokePermissionsOf(template, physical, { name, arn }),
      };
      return [key, fn];
    }),
  ) as Record<EtlFunctionKey, LocalFunction>;

  const machineId = onlyOne('AWS::StepFunctions::StateMachine');
  const machine = props(machineId);
  if (machine.DefinitionSubstitutions !== undefined || machine.DefinitionS3Location !== undefined) {
    throw new UnresolvableError(`${machineId}: only DefinitionString or Definition is resolved locally`);
  }
  const stateMachine: LocalStateMachine = {
    logicalId: machineId,
    name: physical.getAtt(machineId, 'Name'),
    arn: physical.ref(machineId),
    role: roleByArn(str(machine.RoleArn, `${machineId}.RoleArn`)),
    definition:
      machine.Definition === undefined
        ? (JSON.parse(str(machine.DefinitionString, `${machineId}.DefinitionString`)) as Record<
            string,
            unknown
          >)
        : (resolve(machine.Definition, physical) as Record<string, unknown>),
  };

  const schedule = scheduleOf(template, physical, stateMachine.arn, roleByArn);
  const warehouse = warehouseOf(template, physical, onlyOne);
  for (const arn of warehouse.iamRoleArns) roleByArn(arn);

  return {
    account: LOCAL_ACCOUNT,
    region: stack.region,
    stackName: stack.stackName,
    roles,
    functions,
    stateMachine,
    schedule,
    eventRules: eventRulesOf(template, physical),
    warehouse,
  };
}

function buildRole(template: CfnTemplate, physical: PhysicalValues, logicalId: string): LocalRole {
  const properties = template.Resources[logicalId]?.Properties ?? {};
  const document = (value: unknown, what: string) => {
    const resolved = resolve(value, physical) as PolicyDocument | undefined;
    if (!resolved || resolved.Statement === undefined)
      throw new UnresolvableError(`${what} has no policy document`);
    return resolved;
  };
  const attachedTo = (roles: unknown) =>
    Array.isArray(roles) && roles.some((role) => (role as { Ref?: unknown }).Ref === logicalId);

  const inline = (
    (properties.Policies as { PolicyName: unknown; PolicyDocument: unknown }[] | undefined) ?? []
  ).map((policy): AttachedPolicy => {
    const name = resolveString(policy.PolicyName, physical, `${logicalId}.Policies`);
    return {
      name,
      document: document(policy.PolicyDocument, `${logicalId}.Policies.${name}`),
      source: 'inline',
    };
  });
  const separate = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy' && attachedTo(resource.Properties?.Roles))
    .map(([id, resource]): AttachedPolicy => ({
      name: physical.ref(id),
      document: document(resource.Properties?.PolicyDocument, id),
      source: 'AWS::IAM::Policy',
    }));
  const managedArns = ((resolve(properties.ManagedPolicyArns ?? [], physical) as string[]) ?? []).map(String);
  const customerManaged = Object.entries(template.Resources)
    .filter(
      ([id, resource]) =>
        resource.Type === 'AWS::IAM::ManagedPolicy' &&
        (attachedTo(resource.Properties?.Roles) || managedArns.includes(physical.ref(id))),
    )
    .map(([id, resource]): AttachedPolicy => ({
      name: physical.ref(id),
      document: document(resource.Properties?.PolicyDocument, id),
      source: 'AWS::IAM::ManagedPolicy',
    }));
  const customerArns = new Set(customerManaged.map((policy) => policy.name));
  return {
    logicalId,
    name: physical.ref(logicalId),
    arn: physical.getAtt(logicalId, 'Arn'),
    roleId: physical.getAtt(logicalId, 'RoleId'),
    trustPolicy: document(properties.AssumeRolePolicyDocument, `${logicalId}.AssumeRolePolicyDocument`),
    policies: [...inline, ...separate, ...customerManaged],
    awsManagedPolicyArns: managedArns.filter((arn) => !customerArns.has(arn)),
  };
}

function scheduleOf(
  template: CfnTemplate,
  physical: PhysicalValues,
  stateMachineArn: string,
  roleByArn: (arn: string) => LocalRole,
): LocalSchedule {
  const found = Object.entries(template.Resources).flatMap(([logicalId, resource]) => {
    if (resource.Type !== 'AWS::Events::Rule') return [];
    const targets = (resource.Properties?.Targets as { Arn: unknown; RoleArn?: unknown }[] | undefined) ?? [];
    return targets
      .filter((target) => resolve(target.Arn, physical) === stateMachineArn)
      .map((target) => ({ logicalId, properties: resource.Properties ?? {}, target }));
  });
  const [rule, ...others] = found;
  if (!rule || others.length > 0) {
    throw new UnresolvableError(
      `expected one rule targeting the state machine, the template has ${found.length}`,
    );
  }
  const { logicalId, properties, target } = rule;
  if (target.RoleArn === undefined) throw new UnresolvableError(`${logicalId}: its target has no RoleArn`);
  return {
    logicalId,
    name: physical.ref(logicalId),
    arn: physical.getAtt(logicalId, 'Arn'),
    enabled: properties.State === undefined || properties.State === 'ENABLED',
    scheduleExpression: resolveString(
      properties.ScheduleExpression,
      physical,
      `${logicalId}.ScheduleExpression`,
    ),
    role: roleByArn(resolveString(target.RoleArn, physical, `${logicalId} target RoleArn`)),
    stateMachineArn,
  };
}

function warehouseOf(
  template: CfnTemplate,
  physical: PhysicalValues,
  onlyOne: (type: string, matching?: (logicalId: string) => boolean) => string,
): DeployedWarehouse {
  const resources = template.Resources;
  const props = (logicalId: string) => resources[logicalId]?.Properties ?? {};
  const arns = (value: unknown) => ((resolve(value ?? [], physical) as unknown[]) ?? []).map(String);
  const optional = (value: unknown, what: string) =>
    value === undefined ? undefined : resolveString(value, physical, what);
  const serverless = Object.values(resources).some(
    (resource) => resource.Type === 'AWS::RedshiftServerless::Workgroup',
  );

  if (serverless) {
    const workgroupId = onlyOne('AWS::RedshiftServerless::Workgroup');
    const namespaceName = resolveString(
      props(workgroupId).NamespaceName,
      physical,
      `${workgroupId}.NamespaceName`,
    );
    const namespaceId = onlyOne(
      'AWS::RedshiftServerless::Namespace',
      (id) => physical.getAtt(id, 'Namespace.NamespaceName') === namespaceName,
    );
    const namespace = props(namespaceId);
    return {
      kind: 'serverless',
      workgroupName: physical.getAtt(workgroupId, 'Workgroup.WorkgroupName'),
      namespaceName,
      database: String(namespace.DbName ?? 'dev'),
      adminUsername: String(namespace.AdminUsername ?? 'admin'),
      dataApiResourceArn: physical.getAtt(workgroupId, 'Workgroup.WorkgroupArn'),
      adminSecretArn: managedSecretOf(template, physical, namespaceName),
      iamRoleArns: arns(namespace.IamRoles),
      defaultIamRoleArn: optional(namespace.DefaultIamRoleArn, `${namespaceId}.DefaultIamRoleArn`),
    };
  }

  const clusterId = onlyOne('AWS::Redshift::Cluster');
  const cluster = props(clusterId);
  const clusterIdentifier = physical.ref(clusterId);
  return {
    kind: 'provisioned',
    clusterIdentifier,
    database: String(cluster.DBName ?? 'dev'),
    adminUsername: String(cluster.MasterUsername),
    dataApiResourceArn: `arn:aws:redshift:${physical.pseudo('AWS::Region')}:${LOCAL_ACCOUNT}:cluster:${clusterIdentifier}`,
    adminSecretArn: physical.getAtt(clusterId, 'MasterPasswordSecretArn'),
    iamRoleArns: arns(cluster.IamRoles),
    defaultIamRoleArn:
      optional(cluster.DefaultIamRoleArn, `${clusterId}.DefaultIamRoleArn`) ??
      defaultRoleSetAfterwards(template, physical, clusterIdentifier),
  };
}

/**
 * A cluster's default IAM role can only be set by ModifyClusterIamRoles after it exists; the stack
 * does that with a custom resource, so the default is read from that call.
 */
function defaultRoleSetAfterwards(
  template: CfnTemplate,
  physical: PhysicalValues,
  clusterIdentifier: string,
): string | undefined {
  const call = sdkCalls(template, physical).find(
    ({ call }) =>
      call.service === 'Redshift' &&
      call.action === 'ModifyClusterIamRoles' &&
      call.parameters?.ClusterIdentifier === clusterIdentifier,
  );
  const role = call?.call.parameters?.DefaultIamRoleArn;
  return typeof role === 'string' ? role : undefined;
}

/** The admin secret Redshift manages for a namespace, as the stack reads it (GetNamespace). */
function managedSecretOf(template: CfnTemplate, physical: PhysicalValues, namespaceName: string): string {
  const reader = sdkCalls(template, physical).find(
    ({ call }) =>
      call.service === 'RedshiftServerless' &&
      call.action === 'GetNamespace' &&
      call.parameters?.namespaceName === namespaceName,
  );
  if (!reader) throw new UnresolvableError(`no GetNamespace call reads the admin secret of ${namespaceName}`);
  return physical.getAtt(reader.logicalId, 'namespace.adminPasswordSecretArn');
}
