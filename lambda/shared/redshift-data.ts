import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  ListStatementsCommand,
  RedshiftDataClient,
  type DescribeStatementResponse,
  type Field,
  type StatementData,
} from '@aws-sdk/client-redshift-data';
import { createHash } from 'node:crypto';
import type { WarehouseEnvironment } from '../../contract/environment';

/**
 * The ClientToken of one step of one run, UUID-shaped (the Data API takes 1 to 64 characters): a
 * submit that Step Functions invokes again gets back the statement it submitted the first time,
 * instead of running the step's SQL twice.
 */
export function statementToken(runId: string, step: string): string {
  const hex = createHash('sha256').update(`${runId}\n${step}`).digest('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join(
    '-',
  );
}

/**
 * The Data API calls the pipeline makes, bound to one warehouse. The client honours
 * AWS_ENDPOINT_URL_REDSHIFT_DATA, which is how the local runner points it at its own endpoint.
 */
export class WarehouseClient {
  constructor(
    private readonly warehouse: WarehouseEnvironment,
    private readonly client: RedshiftDataClient = new RedshiftDataClient({}),
  ) {}

  private get target() {
    const { target, database, secretArn } = this.warehouse;
    const where =
      target.kind === 'provisioned'
        ? { ClusterIdentifier: target.clusterIdentifier }
        : { WorkgroupName: target.workgroupName };
    return { ...where, Database: database, SecretArn: secretArn };
  }

  /**
   * One statement, or a batch: the Data API runs a batch serially as one transaction. The same
   * `clientToken` again returns the same statement, which runs once.
   */
  async submit(statements: readonly string[], statementName: string, clientToken?: string): Promise<string> {
    const common = {
      ...this.target,
      StatementName: statementName,
      WithEvent: true,
      ...(clientToken === undefined ? {} : { ClientToken: clientToken }),
    };
    const response =
      statements.length === 1
        ? await this.client.send(new ExecuteStatementCommand({ ...common, Sql: statements[0] }))
        : await this.client.send(new BatchExecuteStatementCommand({ ...common, Sqls: [...statements] }));
    if (!response.Id) throw new Error('the Data API returned no statement id');
    return response.Id;
  }

  describe(statementId: string): Promise<DescribeStatementResponse> {
    return this.client.send(new DescribeStatementCommand({ Id: statementId }));
  }

  async cancel(statementId: string): Promise<void> {
    await this.client.send(new CancelStatementCommand({ Id: statementId }));
  }

  /**
   * The statements of the last 24 hours whose name starts with `namePrefix`, following NextToken.
   * RoleLevel (the default) lists those of every session of the caller's role, not only its own.
   */
  async listStatements(namePrefix: string): Promise<StatementData[]> {
    const statements: StatementData[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListStatementsCommand({ StatementName: namePrefix, RoleLevel: true, NextToken: nextToken }),
      );
      statements.push(...(page.Statements ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return statements;
  }

  /** All result rows, following NextToken. */
  async records(statementId: string): Promise<Field[][]> {
    return (await this.result(statementId)).records;
  }

  /** The result's column names (from the first page) and all its rows, following NextToken. */
  async result(statementId: string): Promise<{ columns: string[]; records: Field[][] }> {
    const records: Field[][] = [];
    let columns: string[] | undefined;
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new GetStatementResultCommand({ Id: statementId, NextToken: nextToken }),
      );
      columns ??= (page.ColumnMetadata ?? []).map((column, index) => column.name ?? `column${index + 1}`);
      records.push(...(page.Records ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return { columns: columns ?? [], records };
  }
}
