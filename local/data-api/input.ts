import { SerializationException, ValidationException } from './errors';
import type { SqlParameter } from './parameters';

/** A request body: the operation's input structure. */
export type Input = Readonly<Record<string, unknown>>;

/** A constraint violation worded the way AWS words them, with the member in lowerCamelCase. */
export function constraintViolation(member: string, value: unknown, constraint: string): ValidationException {
  const shown = value === undefined ? 'null' : `'${String(value)}'`;
  const name = member.charAt(0).toLowerCase() + member.slice(1);
  return new ValidationException(
    `1 validation error detected: Value ${shown} at '${name}' failed to satisfy constraint: ${constraint}`,
  );
}

function typed<T>(
  input: Input,
  member: string,
  type: string,
  is: (value: unknown) => value is T,
): T | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!is(value)) throw new SerializationException(`${member} must be ${type}, got ${JSON.stringify(value)}`);
  return value;
}

const isString = (value: unknown): value is string => typeof value === 'string';

export const optionalString = (input: Input, member: string): string | undefined =>
  typed(input, member, 'a string', isString);

export const optionalInteger = (input: Input, member: string): number | undefined =>
  typed(input, member, 'an integer', (value): value is number => Number.isInteger(value));

export function requiredString(input: Input, member: string): string {
  const value = optionalString(input, member);
  if (value === undefined) throw constraintViolation(member, value, 'Member must not be null');
  return value;
}

export function requiredStringList(input: Input, member: string): string[] {
  const value = typed(
    input,
    member,
    'a list of strings',
    (list): list is string[] => Array.isArray(list) && list.every(isString),
  );
  if (value === undefined) throw constraintViolation(member, value, 'Member must not be null');
  return value;
}

/** `Parameters`, which the Data API requires to hold at least one parameter when given. */
export function optionalParameters(input: Input): SqlParameter[] | undefined {
  const value = typed(
    input,
    'Parameters',
    'a list of {name, value} strings',
    (list): list is SqlParameter[] =>
      Array.isArray(list) &&
      list.every(
        (item: { name?: unknown; value?: unknown } | null) => isString(item?.name) && isString(item?.value),
      ),
  );
  if (value?.length === 0)
    throw constraintViolation('Parameters', '[]', 'Member must have length greater than or equal to 1');
  return value;
}
