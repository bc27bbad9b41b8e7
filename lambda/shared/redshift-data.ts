import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
  type DescribeStatementResponse,
  type Field,
} from '@aws-sdk/client-redshift-data';
import type { WarehouseEnvironment } from '../../contract/environment';

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

  /** One statement, or a batch: the Data API runs a batch serially as one transaction. */
  async submit(statements: readonly string[], statementName: string): Promise<string> {
    const common = { ...this.target, StatementName: statementName, WithEvent: true };
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

  /** All result rows, following NextToken. */
  async records(statementId: string): Promise<Field[][]> {
    const rows: Field[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new GetStatementResultCommand({ Id: statementId, NextToken: nextToken }),
      );
      rows.push(...(page.Records ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return rows;
  }
}
