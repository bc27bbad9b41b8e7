/** A synthesized CloudFormation template, as much of it as a local deployment reads. */
export interface CfnTemplate {
  readonly Resources: Readonly<Record<string, CfnResource>>;
  readonly Parameters?: Readonly<Record<string, { readonly Default?: unknown }>>;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
}

/** What a resource's `Ref` and `Fn::GetAtt` give once it is "deployed". */
export interface PhysicalValues {
  ref(logicalId: string): string;
  getAtt(logicalId: string, attribute: string): string;
  pseudo(name: string): string;
}

/** An intrinsic function or value the local deployment cannot give a local value to. */
export class UnresolvableError extends Error {
  override readonly name = 'UnresolvableError';
}

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Resolves the CloudFormation intrinsics in a template value to the local deployment's physical
 * values. Anything else (Fn::If, Fn::ImportValue, Fn::FindInMap, Fn::GetAZs…) is refused by name:
 * a value guessed here would be a value AWS never gives.
 */
export function resolve(value: unknown, physical: PhysicalValues): unknown {
  const resolved = resolveValue(value, physical);
  return resolved === NO_VALUE ? undefined : resolved;
}

/** Resolves a value that must come out as a string (an ARN, a name). */
export function resolveString(value: unknown, physical: PhysicalValues, what: string): string {
  const resolved = resolve(value, physical);
  if (typeof resolved !== 'string') {
    throw new UnresolvableError(`${what} resolves to ${JSON.stringify(resolved)}, not a string`);
  }
  return resolved;
}

function resolveValue(value: unknown, physical: PhysicalValues): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => resolveValue(item, physical)).filter((item) => item !== NO_VALUE);
  }
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const [key, argument] = entries[0] ?? [];
  if (entries.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::'))) {
    return intrinsic(key, argument, physical);
  }
  return Object.fromEntries(
    entries
      .map(([name, item]) => [name, resolveValue(item, physical)] as const)
      .filter(([, item]) => item !== NO_VALUE),
  );
}

function intrinsic(name: string, argument: unknown, physical: PhysicalValues): unknown {
  const strings = (value: unknown, what: string): string[] => {
    const resolved = resolveValue(value, physical);
    if (!Array.isArray(resolved) || !resolved.every((item) => typeof item === 'string')) {
      throw new UnresolvableError(`${name}: ${what} must resolve to a list of strings`);
    }
    return resolved as string[];
  };
  const string = (value: unknown, what: string): string => {
    const resolved = resolveValue(value, physical);
    if (typeof resolved !== 'string')
      throw new UnresolvableError(`${name}: ${what} must resolve to a string`);
    return resolved;
  };
  switch (name) {
    case 'Ref': {
      if (typeof argument !== 'string')
        throw new UnresolvableError(`Ref takes a name, not ${JSON.stringify(argument)}`);
      if (argument === 'AWS::NoValue') return NO_VALUE;
      return argument.startsWith('AWS::') ? physical.pseudo(argument) : physical.ref(argument);
    }
    case 'Fn::GetAtt': {
      const [logicalId, ...path] =
        typeof argument === 'string' ? argument.split('.') : (argument as unknown[]);
      const attribute = path.map((part) => string(part, 'the attribute')).join('.');
      if (typeof logicalId !== 'string' || attribute === '') {
        throw new UnresolvableError(
          `Fn::GetAtt takes [logicalId, attribute], not ${JSON.stringify(argument)}`,
        );
      }
      return physical.getAtt(logicalId, attribute);
    }
    case 'Fn::Join': {
      const [delimiter, list] = argument as [unknown, unknown];
      return strings(list, 'the list').join(string(delimiter, 'the delimiter'));
    }
    case 'Fn::Split': {
      const [delimiter, source] = argument as [unknown, unknown];
      return string(source, 'the source').split(string(delimiter, 'the delimiter'));
    }
    case 'Fn::Select': {
      const [index, list] = argument as [unknown, unknown];
      const items = strings(list, 'the list');
      const position = Number(resolveValue(index, physical));
      const item = items[position];
      if (!Number.isInteger(position) || item === undefined) {
        throw new UnresolvableError(`Fn::Select: index ${position} is outside a list of ${items.length}`);
      }
      return item;
    }
    case 'Fn::Sub': {
      const [template, variables] =
        typeof argument === 'string' ? [argument, {}] : (argument as [unknown, unknown]);
      const values = resolveValue(variables ?? {}, physical) as Record<string, unknown>;
      return string(template, 'the template').replace(
        /\$\{(!?)([^}]+)\}/g,
        (_match, literal: string, ref: string) => {
          if (literal) return `\${${ref}}`;
          if (Object.hasOwn(values, ref)) return String(values[ref]);
          const [logicalId, ...attribute] = ref.split('.');
          if (attribute.length > 0) return physical.getAtt(logicalId!, attribute.join('.'));
          return ref.startsWith('AWS::') ? physical.pseudo(ref) : physical.ref(ref);
        },
      );
    }
    default:
      throw new UnresolvableError(`${name} has no local value: the local deployment does not resolve it`);
  }
}
