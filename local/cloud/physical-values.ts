import { createHash } from 'node:crypto';
import {
  resolve,
  resolveString,
  UnresolvableError,
  type CfnResource,
  type CfnTemplate,
  type PhysicalValues,
} from './intrinsics';
import { sdkCallOf } from './sdk-calls';

/** The account every local deployment lives in: no real account has this id. */
export const LOCAL_ACCOUNT = '000000000000';

export interface StackIdentity {
  readonly stackName: string;
  readonly region: string;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `length` characters of `alphabet` derived from `seed`: the same stack always gets the same ids. */
export function deterministicId(seed: string, length: number, alphabet = ALPHANUMERIC): string {
  const bytes = createHash('sha256').update(seed).digest();
  return Array.from({ length }, (_, index) => alphabet[bytes[index % bytes.length]! % alphabet.length]).join(
    '',
  );
}

function deterministicUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Each resource's physical name, ARN and attributes as CloudFormation would give them: the name
 * the template sets, or one generated the way CloudFormation does (`<stack>-<logical id>-<suffix>`),
 * and ARNs in the account LOCAL_ACCOUNT and the stack's region. A Ref or attribute of a type not
 * listed here is refused, naming it, rather than guessed.
 */
export function physicalValues(template: CfnTemplate, stack: StackIdentity): PhysicalValues {
  const { region, stackName } = stack;
  const account = LOCAL_ACCOUNT;
  const arn = (service: string, rest: string, where = `${region}:${account}`) =>
    `arn:aws:${service}:${where}:${rest}`;

  const resourceOf = (logicalId: string): CfnResource => {
    const resource = template.Resources[logicalId];
    if (!resource) throw new UnresolvableError(`the template has no resource ${logicalId}`);
    return resource;
  };
  const property = (logicalId: string, name: string): unknown => resourceOf(logicalId).Properties?.[name];
  const generated = (logicalId: string, maxLength: number, lowerCase = false) => {
    const suffix = deterministicId(
      `${stackName}/${logicalId}`,
      12,
      lowerCase ? 'abcdefghijklmnopqrstuvwxyz0123456789' : ALPHANUMERIC,
    );
    const head = `${stackName}-${logicalId}`.slice(0, maxLength - suffix.length - 1);
    const name = `${head}-${suffix}`;
    return lowerCase ? name.toLowerCase() : name;
  };
  const named = (logicalId: string, nameProperty: string, maxLength: number, lowerCase = false): string => {
    const name = property(logicalId, nameProperty);
    return name === undefined
      ? generated(logicalId, maxLength, lowerCase)
      : resolveString(name, values, `${logicalId}.${nameProperty}`);
  };

  const names: Record<string, (logicalId: string) => string> = {
    'AWS::IAM::Role': (id) => named(id, 'RoleName', 64),
    'AWS::IAM::Policy': (id) => named(id, 'PolicyName', 128),
    'AWS::IAM::ManagedPolicy': (id) => named(id, 'ManagedPolicyName', 128),
    'AWS::Lambda::Function': (id) => named(id, 'FunctionName', 64),
    'AWS::Logs::LogGroup': (id) => named(id, 'LogGroupName', 512),
    'AWS::StepFunctions::StateMachine': (id) => named(id, 'StateMachineName', 80),
    'AWS::Events::Rule': (id) => named(id, 'Name', 64),
    'AWS::RedshiftServerless::Workgroup': (id) => named(id, 'WorkgroupName', 64, true),
    'AWS::RedshiftServerless::Namespace': (id) => named(id, 'NamespaceName', 64, true),
    'AWS::Redshift::Cluster': (id) => named(id, 'ClusterIdentifier', 63, true),
    'AWS::Redshift::ClusterSubnetGroup': (id) => generated(id, 255, true),
    'AWS::Redshift::ClusterParameterGroup': (id) => named(id, 'ParameterGroupName', 255, true),
    'AWS::SNS::Topic': (id) => named(id, 'TopicName', 256),
    'AWS::SQS::Queue': (id) => named(id, 'QueueName', 80),
    'AWS::KMS::Key': (id) => deterministicUuid(`${stackName}/${id}`),
    'AWS::SecretsManager::Secret': (id) => named(id, 'Name', 512),
  };
  const nameOf = (logicalId: string): string => {
    const { Type } = resourceOf(logicalId);
    const name = names[Type];
    if (!name) throw new UnresolvableError(`${logicalId} (${Type}) has no local physical name`);
    return name(logicalId);
  };

  /** Redshift-managed admin secrets are named after their warehouse; AWS adds a 6-character suffix. */
  const managedSecretArn = (owner: string) =>
    arn('secretsmanager', `secret:redshift!${owner}-admin-${deterministicId(owner, 6)}`);

  const refs: Record<string, (logicalId: string) => string> = {
    'AWS::IAM::ManagedPolicy': (id) => arn('iam', `policy/${nameOf(id)}`, `:${account}`),
    'AWS::StepFunctions::StateMachine': (id) => attributes['AWS::StepFunctions::StateMachine']!.Arn!(id),
    'AWS::SNS::Topic': (id) => arn('sns', nameOf(id)),
    'AWS::SecretsManager::Secret': (id) =>
      arn('secretsmanager', `secret:${nameOf(id)}-${deterministicId(id, 6)}`),
  };

  const attributes: Record<string, Record<string, (logicalId: string) => string>> = {
    'AWS::IAM::Role': {
      Arn: (id) => arn('iam', `role/${nameOf(id)}`, `:${account}`),
      RoleId: (id) => `AROA${deterministicId(`${stackName}/${id}`, 17, UPPER_ALPHANUMERIC)}`,
    },
    'AWS::IAM::ManagedPolicy': { PolicyArn: (id) => refs['AWS::IAM::ManagedPolicy']!(id) },
    'AWS::Lambda::Function': { Arn: (id) => arn('lambda', `function:${nameOf(id)}`) },
    'AWS::Logs::LogGroup': { Arn: (id) => arn('logs', `log-group:${nameOf(id)}:*`) },
    'AWS::StepFunctions::StateMachine': {
      Arn: (id) => arn('states', `stateMachine:${nameOf(id)}`),
      Name: nameOf,
    },
    'AWS::Events::Rule': { Arn: (id) => arn('events', `rule/${nameOf(id)}`) },
    'AWS::SQS::Queue': { Arn: (id) => arn('sqs', nameOf(id)), QueueName: nameOf },
    'AWS::KMS::Key': { Arn: (id) => arn('kms', `key/${nameOf(id)}`), KeyId: nameOf },
    'AWS::RedshiftServerless::Workgroup': {
      'Workgroup.WorkgroupName': nameOf,
      'Workgroup.WorkgroupId': (id) => deterministicUuid(`${stackName}/${id}`),
      'Workgroup.WorkgroupArn': (id) =>
        arn('redshift-serverless', `workgroup/${deterministicUuid(`${stackName}/${id}`)}`),
    },
    'AWS::RedshiftServerless::Namespace': {
      'Namespace.NamespaceName': nameOf,
      'Namespace.NamespaceId': (id) => deterministicUuid(`${stackName}/${id}`),
      'Namespace.NamespaceArn': (id) =>
        arn('redshift-serverless', `namespace/${deterministicUuid(`${stackName}/${id}`)}`),
    },
    'AWS::Redshift::Cluster': { MasterPasswordSecretArn: (id) => managedSecretArn(nameOf(id)) },
    'Custom::AWS': { 'namespace.adminPasswordSecretArn': (id) => managedSecretArn(getNamespaceCall(id)) },
  };

  /** The namespace a `GetNamespace` custom resource (the CDK's AwsCustomResource) reads. */
  const getNamespaceCall = (logicalId: string): string => {
    const call = sdkCallOf(template, values, logicalId);
    const namespace = call.parameters?.namespaceName;
    if (
      call.service !== 'RedshiftServerless' ||
      call.action !== 'GetNamespace' ||
      typeof namespace !== 'string'
    ) {
      throw new UnresolvableError(`${logicalId} is not a RedshiftServerless GetNamespace call`);
    }
    return namespace;
  };

  const stackId = arn('cloudformation', `stack/${stackName}/${deterministicUuid(stackName)}`);
  const pseudo: Record<string, string> = {
    'AWS::AccountId': account,
    'AWS::Region': region,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': stackName,
    'AWS::StackId': stackId,
  };

  const values: PhysicalValues = {
    ref(logicalId) {
      const parameter = template.Parameters?.[logicalId];
      if (parameter) return String(resolve(parameter.Default, values));
      const ref = refs[resourceOf(logicalId).Type];
      return ref ? ref(logicalId) : nameOf(logicalId);
    },
    getAtt(logicalId, attribute) {
      const { Type } = resourceOf(logicalId);
      const get = attributes[Type]?.[attribute];
      if (!get)
        throw new UnresolvableError(`Fn::GetAtt [${logicalId}, ${attribute}] (${Type}) has no local value`);
      return get(logicalId);
    },
    pseudo(name) {
      const value = pseudo[name];
      if (value === undefined) throw new UnresolvableError(`the pseudo parameter ${name} has no local value`);
      return value;
    },
  };
  return values;
}
