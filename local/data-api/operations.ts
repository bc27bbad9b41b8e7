import { ValidationException } from './errors';
import {
  constraintViolation,
  optionalInteger,
  optionalParameters,
  optionalString,
  requiredString,
  requiredStringList,
  type Input,
} from './input';
import { bindParameters } from './parameters';
import {
  type Caller,
  type Statement,
  type StatementQueue,
  type SubStatement,
  type Submission,
  type Target,
} from './statement-queue';

/** The Data API's limits on what a request may carry. */
export const MAX_SQL_BYTES = 100 * 1024;
export const MAX_BATCH_STATEMENTS = 40;
export const MAX_LIST_RESULTS = 100;
export const MAX_CLIENT_TOKEN_LENGTH = 64;
/** A GetStatementResult page ends at this many records or after this many bytes of values. */
export const RESULT_PAGE_RECORDS = 1000;
export const RESULT_PAGE_BYTES = 4 * 1024 * 1024;

const ID_PATTERN = /^[a-z0-9]{8}(-[a-z0-9]{4}){3}-[a-z0-9]{12}(:\d+)?$/;
const STATUSES = new Set(['SUBMITTED', 'PICKED', 'STARTED', 'FINISHED', 'FAILED', 'ABORTED', 'ALL']);

export type { Caller };

/** `caller` is who signed the request, when the server authorizes callers. */
export type Handler = (input: Input, caller?: Caller) => object;

/**
 * The six operations, by the name `X-Amz-Target` gives them, taking and returning the AWS JSON 1.1
 * shapes (timestamps as epoch seconds). Members the local endpoint has no use for are ignored:
 * WithEvent (there is no EventBridge), WaitTimeSeconds (the answer comes at once, which a waiting
 * caller must handle anyway). RoleLevel matters only when the server authorizes callers: without
 * signed callers, ListStatements lists every statement.
 */
export function dataApiHandlers(queue: StatementQueue): Readonly<Record<string, Handler>> {
  return {
    ExecuteStatement: (input, caller) =>
      submitted(queue.submit(submission(input, [requiredString(input, 'Sql')], false, caller))),

    BatchExecuteStatement: (input, caller) => {
      const sqls = requiredStringList(input, 'Sqls');
      if (sqls.length < 1 || sqls.length > MAX_BATCH_STATEMENTS) {
        throw constraintViolation(
          'Sqls',
          `${sqls.length} statements`,
          `Member must have length between 1 and ${MAX_BATCH_STATEMENTS}`,
        );
      }
      if (optionalString(input, 'ExecutionMode') === 'AUTO_COMMIT') {
        throw new ValidationException(
          'ExecutionMode AUTO_COMMIT is not served locally: batches run as one transaction.',
        );
      }
      return submitted(queue.submit(submission(input, sqls, true, caller)));
    },

    DescribeStatement: (input) => {
      const { statement, subStatement } = queue.find(readId(input));
      return subStatement ? describeSubStatement(statement, subStatement) : describeStatement(statement);
    },

    GetStatementResult: (input) => {
      const id = readId(input);
      const { statement, subStatement } = queue.find(id);
      if (statement.isBatch && !subStatement) {
        throw new ValidationException(
          `Query ${id} is a batch: fetch a result by its statement's id, ${id}:1 to ${id}:${statement.subStatements.length}.`,
        );
      }
      if (statement.status !== 'FINISHED') {
        throw new ValidationException(`Query has not finished. Query status is ${statement.status}.`);
      }
      const { result } = subStatement ?? statement.subStatements[0]!;
      if (!result) {
        throw new ValidationException(
          'Query does not have result. Please check query status with DescribeStatement.',
        );
      }
      const start = readResultToken(input, id, result.records.length);
      let end = start;
      for (let bytes = 0; end < result.records.length && end - start < RESULT_PAGE_RECORDS; end++) {
        bytes += result.recordSizes[end]!;
        if (bytes > RESULT_PAGE_BYTES && end > start) break;
      }
      return {
        Records: result.records.slice(start, end),
        ColumnMetadata: result.columns,
        TotalNumRows: result.records.length,
        NextToken: end < result.records.length ? encodeToken({ id, offset: end }) : undefined,
      };
    },

    ListStatements: (input, caller) => {
      const status = optionalString(input, 'Status') ?? 'ALL';
      if (!STATUSES.has(status)) {
        throw constraintViolation(
          'Status',
          status,
          `Member must satisfy enum value set: [${[...STATUSES].join(', ')}]`,
        );
      }
      const maxResults = optionalInteger(input, 'MaxResults') || MAX_LIST_RESULTS;
      if (maxResults < 0 || maxResults > MAX_LIST_RESULTS) {
        throw constraintViolation(
          'MaxResults',
          maxResults,
          `Member must have value between 0 and ${MAX_LIST_RESULTS}`,
        );
      }
      const namePrefix = optionalString(input, 'StatementName');
      const cluster = optionalString(input, 'ClusterIdentifier');
      const workgroup = optionalString(input, 'WorkgroupName');
      const database = optionalString(input, 'Database');
      const before = readListToken(input);
      const matching = queue
        .list()
        .filter(
          (statement) =>
            statement.sequence < before &&
            (status === 'ALL' || statement.status === status) &&
            (namePrefix === undefined || (statement.statementName ?? '').startsWith(namePrefix)) &&
            (cluster === undefined || statement.target.clusterIdentifier === cluster) &&
            (workgroup === undefined || statement.target.workgroupName === workgroup) &&
            (database === undefined || statement.target.database === database) &&
            (caller === undefined || listedFor(caller, statement, input.RoleLevel !== false)),
        );
      const page = matching.slice(0, maxResults);
      const last = page.at(-1);
      return {
        Statements: page.map(statementData),
        NextToken: matching.length > page.length && last ? encodeToken({ before: last.sequence }) : undefined,
      };
    },

    CancelStatement: (input) => {
      queue.cancel(readId(input));
      return { Status: true };
    },
  };
}

/**
 * A signed caller lists the statements of its own role's sessions (RoleLevel, the default) or of
 * its own session only.
 */
function listedFor(caller: Caller, statement: Statement, roleLevel: boolean): boolean {
  const owner = statement.owner;
  if (!owner) return false;
  return roleLevel ? owner.roleId === caller.roleId : owner.userid === caller.userid;
}

function submission(input: Input, queryStrings: string[], isBatch: boolean, owner?: Caller): Submission {
  if (optionalString(input, 'SessionId') !== undefined || input.SessionKeepAliveSeconds !== undefined) {
    throw new ValidationException(
      'Sessions (SessionId, SessionKeepAliveSeconds) are not served locally: every call runs in a session of its own.',
    );
  }
  const format = optionalString(input, 'ResultFormat');
  if (format !== undefined && format !== 'JSON') {
    throw new ValidationException(
      `ResultFormat ${format} is not served locally (no GetStatementResultV2): use JSON.`,
    );
  }
  for (const sql of queryStrings) {
    const bytes = Buffer.byteLength(sql);
    if (bytes === 0)
      throw constraintViolation(
        isBatch ? 'Sqls' : 'Sql',
        '',
        'Member must have length greater than or equal to 1',
      );
    if (bytes > MAX_SQL_BYTES) {
      throw new ValidationException(
        `The SQL statement is ${bytes} bytes; the Data API accepts at most 100 KB.`,
      );
    }
  }
  const parameters = optionalParameters(input);
  return {
    target: readTarget(input),
    clientToken: readClientToken(input),
    statementName: optionalString(input, 'StatementName'),
    isBatch,
    queryStrings,
    parameters,
    statements: parameters ? bindParameters(queryStrings, parameters) : queryStrings,
    owner,
  };
}

// Who may call is the server's authorizer's business; the request must still name its warehouse
// and database as the real API requires.
function readTarget(input: Input): Target {
  const clusterIdentifier = optionalString(input, 'ClusterIdentifier');
  const workgroupName = optionalString(input, 'WorkgroupName');
  if ((clusterIdentifier === undefined) === (workgroupName === undefined)) {
    throw new ValidationException('Specify either ClusterIdentifier or WorkgroupName, but not both.');
  }
  const database = optionalString(input, 'Database');
  if (!database) throw new ValidationException('Database is required.');
  return {
    clusterIdentifier,
    workgroupName,
    database,
    dbUser: optionalString(input, 'DbUser'),
    secretArn: optionalString(input, 'SecretArn'),
  };
}

/** The SDKs send a fresh token with every call that has none of its caller's. */
function readClientToken(input: Input): string | undefined {
  const token = optionalString(input, 'ClientToken');
  if (token !== undefined && (token.length < 1 || token.length > MAX_CLIENT_TOKEN_LENGTH)) {
    throw constraintViolation(
      'ClientToken',
      token,
      `Member must have length between 1 and ${MAX_CLIENT_TOKEN_LENGTH}`,
    );
  }
  return token;
}

function readId(input: Input): string {
  const id = requiredString(input, 'Id');
  if (!ID_PATTERN.test(id)) {
    throw constraintViolation(
      'Id',
      id,
      `Member must satisfy regular expression pattern: ${ID_PATTERN.source}`,
    );
  }
  return id;
}

const epochSeconds = (date: Date) => date.getTime() / 1000;

function targetData(target: Target) {
  return {
    ClusterIdentifier: target.clusterIdentifier,
    WorkgroupName: target.workgroupName,
    Database: target.database,
    DbUser: target.dbUser,
    SecretArn: target.secretArn,
  };
}

function submitted(statement: Statement) {
  return {
    Id: statement.id,
    Status: statement.status,
    CreatedAt: epochSeconds(statement.createdAt),
    ...targetData(statement.target),
  };
}

function subStatementData(statement: Statement, sub: SubStatement) {
  return {
    Id: sub.id,
    Status: sub.status,
    Error: sub.error,
    CreatedAt: epochSeconds(statement.createdAt),
    UpdatedAt: epochSeconds(sub.updatedAt),
    Duration: sub.durationNs,
    QueryString: sub.queryString,
    RedshiftQueryId: sub.redshiftQueryId,
    HasResultSet: sub.result !== undefined,
    ResultRows: sub.resultRows,
    ResultSize: sub.resultSize,
  };
}

function describeSubStatement(statement: Statement, sub: SubStatement) {
  return {
    ...targetData(statement.target),
    ...subStatementData(statement, sub),
    RedshiftPid: statement.redshiftPid,
    QueryParameters: statement.parameters,
    ResultFormat: 'JSON',
  };
}

/**
 * A batch reads as its sub-statements' sum, with each one under SubStatements; a single statement
 * reads as its one sub-statement.
 */
function describeStatement(statement: Statement) {
  const subs = statement.subStatements;
  const finished = statement.status === 'FINISHED';
  const sum = (value: (sub: SubStatement) => number) => subs.reduce((total, sub) => total + value(sub), 0);
  const own = {
    ...targetData(statement.target),
    Id: statement.id,
    Status: statement.status,
    Error: statement.error,
    CreatedAt: epochSeconds(statement.createdAt),
    UpdatedAt: epochSeconds(statement.updatedAt),
    Duration: statement.durationNs,
    RedshiftPid: statement.redshiftPid,
    HasResultSet: subs.some((sub) => sub.result !== undefined),
    ResultRows: finished ? sum((sub) => sub.resultRows) : -1,
    ResultSize: finished ? sum((sub) => sub.resultSize) : -1,
    QueryParameters: statement.parameters,
    ResultFormat: 'JSON',
  };
  return statement.isBatch
    ? { ...own, RedshiftQueryId: 0, SubStatements: subs.map((sub) => subStatementData(statement, sub)) }
    : { ...own, RedshiftQueryId: subs[0]!.redshiftQueryId, QueryString: subs[0]!.queryString };
}

function statementData(statement: Statement) {
  return {
    Id: statement.id,
    Status: statement.status,
    StatementName: statement.statementName,
    SecretArn: statement.target.secretArn,
    CreatedAt: epochSeconds(statement.createdAt),
    UpdatedAt: epochSeconds(statement.updatedAt),
    IsBatchStatement: statement.isBatch,
    ...(statement.isBatch
      ? { QueryStrings: statement.queryStrings }
      : { QueryString: statement.queryStrings[0] }),
    QueryParameters: statement.parameters,
    ResultFormat: 'JSON',
  };
}

// Paging tokens are opaque to clients: base64url JSON, checked on the way back in.

function encodeToken(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeToken(input: Input): Record<string, unknown> | undefined {
  const token = optionalString(input, 'NextToken');
  if (token === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null) return value as Record<string, unknown>;
  } catch {
    // falls through to the error below
  }
  throw new ValidationException('Invalid NextToken.');
}

function readResultToken(input: Input, id: string, total: number): number {
  const token = decodeToken(input);
  if (token === undefined) return 0;
  const { id: tokenId, offset } = token;
  if (tokenId !== id || !Number.isInteger(offset) || (offset as number) < 0 || (offset as number) > total) {
    throw new ValidationException('Invalid NextToken.');
  }
  return offset as number;
}

function readListToken(input: Input): number {
  const token = decodeToken(input);
  if (token === undefined) return Number.POSITIVE_INFINITY;
  if (!Number.isInteger(token.before)) throw new ValidationException('Invalid NextToken.');
  return token.before as number;
}
