import { readDataLocations } from '../../contract/environment';
import type { RunPlan } from '../../contract/run-plan';
import { STEP_NAMES, type StepName } from '../../contract/steps';
import { describeDays } from '../../contract/missing-days';
import { CATALOGUE_LOAD_STATE } from '../../lib/constructs/etl-state-machine';
import type { VisitedState } from '../execution/local-execution';
import type { LocalPipeline } from '../execution/local-pipeline';
import { formatCount, formatDuration } from './report';
import { describeEffects, statementEffects } from './step-summary';

function isStepName(name: string): name is StepName {
  return (STEP_NAMES as readonly string[]).includes(name);
}

/**
 * Progress as it happens, one line per SQL step when its statement finishes (submit and the polls
 * before it are folded into that line; `--json` lists every state), plus retries and failures.
 */
export function progressPrinter(
  pipeline: LocalPipeline,
  write: (line: string) => void = console.log,
): (state: VisitedState) => void {
  const locations = readDataLocations(pipeline.deployment.functions.submitStatement.environment);
  const stepStarted = new Map<string, number>();
  let plan: RunPlan | undefined;
  const line = (mark: string, name: string, ms: number, detail: string) =>
    write(`  ${mark} ${name.padEnd(18)} ${formatDuration(ms).padStart(9)}   ${detail}`);
  const finished = (step: string, result: Record<string, unknown>): string => {
    if (result.claimed === false) return 'the run lock is held by another run: waiting';
    if (result.claimed === true) return 'run lock claimed';
    const checks = Array.isArray(result.checks) ? result.checks.length : undefined;
    const rows = result.rowsAffected as number[];
    const effects = plan && isStepName(step) ? statementEffects(step, plan, locations, rows) : undefined;
    return effects ? describeEffects(effects, checks) : `rows ${rows.map(formatCount).join(' · ')}`;
  };
  return (state) => {
    const [step, part] = state.name.split(': ');
    const result = (state.result ?? {}) as Record<string, unknown>;
    if (state.outcome === 'failed' || state.outcome === 'caught') {
      line('✗', state.name, state.durationMs, state.error?.error ?? 'caught');
    } else if (state.outcome === 'retried') {
      line('↻', state.name, state.durationMs, 'retried');
    } else if (state.name === CATALOGUE_LOAD_STATE && plan) {
      plan = { ...plan, reloadSongs: true };
      line('✓', 'song catalogue', state.durationMs, 'empty: this run loads it, as "songs": true would');
    } else if (state.type !== 'Task' || step === undefined) {
      return;
    } else if (part === 'submit') {
      stepStarted.set(step, performance.now() - state.durationMs);
      if (result.statementCount === 0) line('–', step, state.durationMs, 'nothing to do in this run');
    } else if (part === 'poll' && result.finished === true) {
      const elapsed = performance.now() - (stepStarted.get(step) ?? performance.now());
      line('✓', step, elapsed, finished(step, result));
    } else if (part === undefined && typeof result.runId === 'string') {
      plan = result as unknown as RunPlan;
      const range = plan.from === undefined ? '' : ` ${plan.from}..${String(plan.to)}`;
      const songs = plan.reloadSongs ? ', songs reloaded' : '';
      const missing =
        plan.missingDays.length > 0 ? `; no log data, skipped: ${describeDays(plan.missingDays)}` : '';
      line('✓', state.name, state.durationMs, `run ${plan.runId}: ${plan.mode}${range}${songs}${missing}`);
    }
  };
}
