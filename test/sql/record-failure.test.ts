import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planRun } from '../../contract/run-plan';
import { SQL_STEPS, stepParameters, type SqlStep } from '../../lambda/shared/sql-steps';
import { renderStatements } from '../../lambda/shared/sql-template';
import type { LocalWarehouse } from '../../local/warehouse/local-warehouse';
import { TEST_LOCATIONS, WarehouseHarness, select } from '../support/warehouse-harness';

// The audit keeps a failed run's error text as the handler renders it into record_failure.sql:
// a literal Redshift reads with backslash escapes, cut to the column's 4,096 bytes.

const harness = new WarehouseHarness();
const dir = mkdtempSync(join(tmpdir(), 'sparkify-record-failure-'));
afterAll(async () => {
  await harness.close();
  rmSync(dir, { recursive: true, force: true });
});

const plan = planRun({ mode: 'incremental', date: '2018-11-01' }, 'run-with-a-hard-error');

async function recordFailure(warehouse: LocalWarehouse, cause: string): Promise<string> {
  const run = async (
    step: 'create_tables' | 'claim_run' | 'record_failure',
    failure?: { Error: string; Cause: string },
  ) =>
    warehouse.run(
      renderStatements(
        (SQL_STEPS[step] as SqlStep).files(plan),
        stepParameters(TEST_LOCATIONS, plan, failure),
      ),
    );
  await run('create_tables');
  await run('claim_run');
  await run('record_failure', { Error: 'StatementFailed', Cause: cause });
  const [row] = await select(warehouse, `SELECT status, error FROM etl_runs WHERE run_id = '${plan.runId}'`);
  expect(row?.status).toBe('FAILED');
  return String(row?.error);
}

test("a message holding \\, ' and a newline is stored exactly", async () => {
  const cause = "COPY failed: path C:\\data\\ isn't valid\nsecond line \\' end";
  expect(await recordFailure(await harness.warehouse(dir), cause)).toBe(`StatementFailed: ${cause}`);
});

test('a multibyte message is cut to 4,096 bytes between characters, and the run is still marked', async () => {
  const cause = '€'.repeat(3000); // 9,000 bytes
  const stored = await recordFailure(await harness.warehouse(dir), cause);
  expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(4096);
  expect(Buffer.byteLength(stored)).toBeGreaterThan(4090);
  expect(stored).toBe(`StatementFailed: ${cause}`.slice(0, stored.length));
});
