import {
  resolve,
  resolveString,
  UnresolvableError,
  type CfnTemplate,
  type PhysicalValues,
} from './intrinsics';

/** An EventBridge rule of the template that matches events (not a schedule), intrinsics resolved. */
export interface LocalEventRule {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly enabled: boolean;
  readonly eventPattern: Readonly<Record<string, unknown>>;
  /** The ARNs its targets name. */
  readonly targetArns: readonly string[];
}

/** A statement of a function's resource policy (AWS::Lambda::Permission), intrinsics resolved. */
export interface InvokePermission {
  readonly action: string;
  readonly principal: string;
  readonly sourceArn?: string;
}

export function eventRulesOf(template: CfnTemplate, physical: PhysicalValues): LocalEventRule[] {
  return Object.entries(template.Resources).flatMap(([logicalId, resource]) => {
    const properties = resource.Properties ?? {};
    if (resource.Type !== 'AWS::Events::Rule' || properties.EventPattern === undefined) return [];
    const targets = (properties.Targets as { Arn: unknown }[] | undefined) ?? [];
    return [
      {
        logicalId,
        name: physical.ref(logicalId),
        arn: physical.getAtt(logicalId, 'Arn'),
        enabled: properties.State === undefined || properties.State === 'ENABLED',
        eventPattern: resolve(properties.EventPattern, physical) as Record<string, unknown>,
        targetArns: targets.map((target) => resolveString(target.Arn, physical, `${logicalId} target Arn`)),
      },
    ];
  });
}

/** The permissions whose FunctionName (a name or an ARN) is this function's. */
export function invokePermissionsOf(
  template: CfnTemplate,
  physical: PhysicalValues,
  fn: { readonly name: string; readonly arn: string },
): InvokePermission[] {
  return Object.entries(template.Resources).flatMap(([logicalId, resource]) => {
    if (resource.Type !== 'AWS::Lambda::Permission') return [];
    const properties = resource.Properties ?? {};
    const functionName = resolveString(properties.FunctionName, physical, `${logicalId}.FunctionName`);
    if (functionName !== fn.name && functionName !== fn.arn) return [];
    const str = (name: string) => resolveString(properties[name], physical, `${logicalId}.${name}`);
    return [
      {
        action: str('Action'),
        principal: str('Principal'),
        ...(properties.SourceArn === undefined ? {} : { sourceArn: str('SourceArn') }),
      },
    ];
  });
}

/**
 * Whether an event matches an EventBridge pattern: every field the pattern names must be in the
 * event, a nested object matching the nested pattern, a value equal to one of the listed ones
 * (an array in the event matches if one of its elements does). Content filters (prefix,
 * anything-but, numeric…) are refused: the stack uses none, and guessing would let a typo pass.
 */
export function matchesEventPattern(pattern: Readonly<Record<string, unknown>>, event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const fields = event as Record<string, unknown>;
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = fields[key];
    if (Array.isArray(expected)) {
      for (const value of expected) {
        if (typeof value === 'object' && value !== null) {
          throw new UnresolvableError(`event pattern field ${key}: content filters are not matched locally`);
        }
      }
      const values: unknown[] = Array.isArray(actual) ? actual : [actual];
      return values.some((value) => value !== undefined && expected.includes(value));
    }
    if (typeof expected === 'object' && expected !== null) {
      return matchesEventPattern(expected as Record<string, unknown>, actual);
    }
    throw new UnresolvableError(`event pattern field ${key} must be an array or an object`);
  });
}
