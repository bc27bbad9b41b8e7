import { isStepName, type StepName } from '../contract/steps';
import type { VisitedState } from '../local/execution/local-execution';

/**
 * Each SQL step's time from an execution's visited states: the statement's own duration, as the
 * Data API's DescribeStatement reports it to the poll handler, so the state machine's waits between
 * polls are not counted. A step the run skipped is absent; a step submitted again (a claim after
 * waiting for the run lock) counts every finished statement.
 */
export function stepTimes(states: readonly VisitedState[]): Partial<Record<StepName, number>> {
  const times: Partial<Record<StepName, number>> = {};
  for (const state of states) {
    const [step, part] = state.name.split(': ');
    const result = state.result as { finished?: unknown; durationMs?: unknown } | undefined;
    if (part !== 'poll' || !isStepName(step) || result?.finished !== true) continue;
    if (typeof result.durationMs !== 'number') continue;
    times[step] = (times[step] ?? 0) + result.durationMs;
  }
  return times;
}
