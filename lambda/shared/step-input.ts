import { InvalidInputError } from '../../contract/errors';
import { isStepName, type StepName } from '../../contract/steps';

/** Reads a handler event field by field, so a malformed event names what is wrong. */
export function readStep(event: Record<string, unknown>): StepName {
  if (!isStepName(event.step)) {
    throw new InvalidInputError(`event.step must name a SQL step, got ${JSON.stringify(event.step)}`);
  }
  return event.step;
}

export function readString(event: Record<string, unknown>, field: string): string {
  const value = event[field];
  if (typeof value !== 'string' || value === '') {
    throw new InvalidInputError(`event.${field} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function asRecord(event: unknown, what: string): Record<string, unknown> {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InvalidInputError(`${what} must be a JSON object, got ${JSON.stringify(event)}`);
  }
  return event as Record<string, unknown>;
}
