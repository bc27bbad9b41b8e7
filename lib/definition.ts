import type { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { TASK_FUNCTION_KEYS, type EtlFunctionKey } from '../contract/functions';
import type { SparkifyDwhStack } from './sparkify-dwh-stack';

/** A stand-in ARN whose function name is the handler's key: `…:function:planRun`. */
export function placeholderFunctionArn(key: EtlFunctionKey): string {
  return `arn:aws:lambda:us-east-1:123456789012:function:${key}`;
}

/**
 * The state machine's Amazon States Language definition as a plain object, with each Task's
 * function ARN (a CloudFormation token in the template) replaced by `functionArn(key)`. This is
 * what a local runner executes and what the tests validate; no synth or bundling is needed.
 */
export function renderDefinition(
  stack: SparkifyDwhStack,
  functionArn: (key: EtlFunctionKey) => string = placeholderFunctionArn,
): Record<string, unknown> {
  const arnByLogicalId = new Map(
    TASK_FUNCTION_KEYS.map((key) => {
      const cfn = stack.functions[key].node.defaultChild as CfnFunction;
      return [stack.resolve(cfn.logicalId) as string, functionArn(key)];
    }),
  );
  const cfn = stack.pipeline.stateMachine.node.defaultChild as CfnStateMachine;
  const resolved: unknown = stack.resolve(cfn.definitionString);
  const parts = isJoin(resolved) ? resolved['Fn::Join'][1] : [resolved];
  const text = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const logicalId = getAttArn(part);
      const arn = logicalId === undefined ? undefined : arnByLogicalId.get(logicalId);
      if (arn === undefined)
        throw new Error(`unexpected token in the state machine definition: ${JSON.stringify(part)}`);
      return arn;
    })
    .join('');
  return JSON.parse(text) as Record<string, unknown>;
}

function isJoin(value: unknown): value is { 'Fn::Join': [string, unknown[]] } {
  const join = (value as { 'Fn::Join'?: unknown } | null)?.['Fn::Join'];
  return Array.isArray(join) && join[0] === '' && Array.isArray(join[1]);
}

function getAttArn(value: unknown): string | undefined {
  const getAtt = (value as { 'Fn::GetAtt'?: unknown } | null)?.['Fn::GetAtt'];
  return Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string'
    ? getAtt[0]
    : undefined;
}
