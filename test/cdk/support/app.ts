import { Match, Template } from 'aws-cdk-lib/assertions';
import type { App } from 'aws-cdk-lib';
import { buildApp } from '../../../lib/app';
import type { SparkifyContext } from '../../../lib/config';
import type { SparkifyDwhStack } from '../../../lib/sparkify-dwh-stack';

export interface Synthesized {
  readonly app: App;
  readonly stack: SparkifyDwhStack;
  readonly template: Template;
}

/**
 * Builds the app the way bin/ does (cdk.json context, then `-c`-style overrides, then the config
 * check) and synthesizes it, which runs the cdk-nag and CloudFormation validations: an
 * unacknowledged finding throws here. Lambda bundling is skipped unless asked for.
 */
export function synthesize(overrides: SparkifyContext = {}, options: { bundle?: boolean } = {}): Synthesized {
  const { app, stack } = buildApp({ context: { ...overrides }, bundle: options.bundle === true });
  return { app, stack, template: Template.fromStack(stack) };
}

export const KINDS = ['serverless', 'provisioned'] as const;

/** The one resource of a type, with its logical id; fails when there is not exactly one. */
export function only(template: Template, type: string, props?: unknown): { id: string; resource: Resource } {
  const found = Object.entries(template.findResources(type, props));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  const [id, resource] = found[0]!;
  return { id, resource: resource as Resource };
}

/** The one resource of a type whose logical id starts with `idPrefix` (its construct path). */
export function onlyWithId(
  template: Template,
  type: string,
  idPrefix: string,
): { id: string; resource: Resource } {
  const found = Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(idPrefix));
  if (found.length !== 1) throw new Error(`expected one ${type} ${idPrefix}…, found ${found.length}`);
  const [id, resource] = found[0]!;
  return { id, resource: resource as Resource };
}

/**
 * A deploy-time SDK call as the AwsCustomResource handler receives it: the JSON of its
 * `Fn::Join`, each reference to another resource written as `<logicalId.attribute>`.
 */
export function sdkCall(property: unknown): { action: string; parameters: Record<string, unknown> } {
  const join = property as string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof join === 'string'
      ? join
      : join['Fn::Join'][1]
          .map((part) =>
            typeof part === 'string'
              ? part
              : `<${((part as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'] ?? [(part as { Ref: string }).Ref]).join('.')}>`,
          )
          .join('');
  return JSON.parse(text) as { action: string; parameters: Record<string, unknown> };
}

export interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export const getAtt = (logicalId: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId, attribute] });
export const ref = (logicalId: string) => ({ Ref: logicalId });

/**
 * A rule target's dead-letter queue as deadLetterQueue() makes it: SQS-encrypted, kept 14 days,
 * SSL only, and open to EventBridge for that rule alone.
 */
export function expectRuleDeadLetterQueue(template: Template, queueId: string, ruleId: string): void {
  const queue = template.toJSON().Resources[queueId] as Resource;
  expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
  template.hasResourceProperties('AWS::SQS::QueuePolicy', {
    Queues: [ref(queueId)],
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        Match.objectLike({
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': getAtt(ruleId) } },
        }),
      ]),
    },
  });
}
