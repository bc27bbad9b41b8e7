import type { Field } from '@aws-sdk/client-redshift-data';
import type { WarehouseClient } from '../lambda/shared/redshift-data';
import { interpretStatus } from '../lambda/shared/statement-status';

/** A cell as JSON carries it: the Data API's typed Field, unwrapped. */
export type Value = string | number | boolean | null;
export type Row = Readonly<Record<string, Value>>;

export interface Answer {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

// A report query takes milliseconds locally and seconds on Redshift: poll fast first, then back off.
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 1000;

function unwrap(field: Field | undefined): Value {
  if (field === undefined || field.isNull === true) return null;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.stringValue !== undefined) return field.stringValue;
  throw new Error(`the Data API returned a field of an unexpected type: ${JSON.stringify(field)}`);
}

export class InterruptedError extends Error {
  override readonly name = 'Interrupted';
}

/**
 * Runs one query through the Data API: submit, poll until it ends, read every result page. A
 * statement that fails or is aborted throws with Redshift's own error text, naming the query.
 * Once `signal` aborts, the statement is cancelled: a warehouse would otherwise run it to the end.
 */
export async function runQuery(
  client: WarehouseClient,
  name: string,
  sql: string,
  signal?: AbortSignal,
): Promise<Answer> {
  const id = await client.submit([sql], `sparkify-analytics-${name}`);
  for (let waitMs = FIRST_POLL_MS; ; waitMs = Math.min(MAX_POLL_MS, waitMs * 2)) {
    const progress = interpretStatus(name, await client.describe(id));
    if (progress.finished) break;
    if (signal?.aborted) {
      // A statement that finished meanwhile cannot be cancelled; either way it is no longer running.
      await client.cancel(id).catch(() => undefined);
      throw new InterruptedError(`${name} cancelled`);
    }
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  const { columns, records } = await client.result(id);
  const rows = records.map((record) =>
    Object.fromEntries(columns.map((column, index) => [column, unwrap(record[index])])),
  );
  return { columns, rows };
}
