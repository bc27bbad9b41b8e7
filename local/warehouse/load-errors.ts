import type { Rejection } from '../copy/copy-loader';
import type { SqlSession } from '../engine/engine';

/** What Redshift's load-error views say about the COPY a rejection came from. */
export interface CopyQuery {
  readonly queryId: number;
  readonly transactionId: number;
  readonly sessionId: number;
  readonly tableId: number | null;
  readonly startTime: string;
}

export interface LoadErrors {
  readonly query: CopyQuery;
  readonly rejections: readonly Rejection[];
}

/** Numbers a COPY from a sequence, which no rollback takes back, as Redshift's query ids are. */
export async function startCopyQuery(session: SqlSession, table: string): Promise<CopyQuery> {
  const { rows } = await session.query(
    `SELECT nextval('redshift_local.query_ids') AS query_id, txid_current() AS transaction_id,
            pg_backend_pid() AS session_id, to_regclass($1)::oid::integer AS table_id,
            (statement_timestamp() AT TIME ZONE 'UTC')::text AS start_time`,
    [table],
  );
  const row = rows[0]!;
  return {
    queryId: Number(row.query_id),
    transactionId: Number(row.transaction_id),
    sessionId: Number(row.session_id),
    tableId: row.table_id === null ? null : Number(row.table_id),
    startTime: String(row.start_time),
  };
}

/**
 * Redshift's load-error views are not transactional. Within the COPY's transaction its rejections
 * go to a temporary table, which takes no part in PostgreSQL's serializable conflict checks: two
 * transactions that COPY and read the views side by side must not fail with 1023, as on Redshift
 * they do not. Once the transaction ends, committed or rolled back, keepLoadErrors stores them.
 */
const PENDING_TABLE = 'redshift_local_pending_load_errors';

/** Within the COPY's transaction: visible to the rest of it, gone with it. */
export async function recordPendingLoadErrors(session: SqlSession, errors: LoadErrors): Promise<void> {
  if (errors.rejections.length === 0) return;
  await session.query(
    `CREATE TEMPORARY TABLE IF NOT EXISTS ${PENDING_TABLE} (LIKE redshift_local.load_errors) ON COMMIT DROP`,
  );
  await insertLoadErrors(session, `pg_temp.${PENDING_TABLE}`, errors);
}

/** After the COPY's transaction, in one of its own: kept whatever became of the COPY's. */
export async function keepLoadErrors(session: SqlSession, errors: LoadErrors): Promise<void> {
  if (errors.rejections.length === 0) return;
  await insertLoadErrors(session, 'redshift_local.load_errors', errors);
}

async function insertLoadErrors(
  session: SqlSession,
  table: string,
  { query, rejections }: LoadErrors,
): Promise<void> {
  const rows = rejections.map((rejection) => ({
    query_id: query.queryId,
    transaction_id: query.transactionId,
    session_id: query.sessionId,
    table_id: query.tableId,
    start_time: query.startTime,
    file_name: rejection.uri,
    line_number: rejection.line,
    column_name: rejection.column,
    column_type: rejection.columnType,
    column_length: rejection.columnLength,
    error_code: rejection.code,
    error_message: rejection.reason,
    raw_line: rejection.rawLine,
    raw_field_value: rejection.rawValue,
  }));
  await session.query(
    `INSERT INTO ${table}
     SELECT * FROM json_populate_recordset(NULL::redshift_local.load_errors, $1::json)`,
    [JSON.stringify(rows)],
  );
}

/** What pg_last_copy_id() and pg_last_copy_count() return for the rest of this session. */
export async function rememberLastCopy(
  session: SqlSession,
  query: CopyQuery,
  rowsLoaded: number,
): Promise<void> {
  await session.query(
    `SELECT set_config('redshift_local.last_copy_id', $1, true), set_config('redshift_local.last_copy_count', $2, true)`,
    [String(query.queryId), String(rowsLoaded)],
  );
}
