import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
  type DescribeStatementResponse,
  type ExecuteStatementInput,
  type Field,
} from '@aws-sdk/client-redshift-data';
import { startDataApiServer, type DataApiServer } from '../../local/data-api/server';
import type { Engine, SqlSession, TransactionOptions } from '../../local/engine/engine';
import { LocalWarehouse } from '../../local/warehouse/local-warehouse';
import { TestBucket } from '../support/dataset';
import { WarehouseHarness } from '../support/warehouse-harness';

/** Where the requests say they go; the local endpoint records it and runs everything on one engine. */
export const TARGET = { WorkgroupName: 'local', Database: 'dev' } as const;

const TERMINAL = new Set(['FINISHED', 'FAILED', 'ABORTED']);

/** Marks the statement a Pause holds: it stays running, mid-transaction, until released. */
export const PAUSE = '/* pause */';

export interface Pause {
  /** Resolves once a statement containing PAUSE has started running. */
  readonly reached: Promise<void>;
  release(): void;
}

/**
 * The engine with a handle on time: PGlite runs each statement on this thread in one go, so a test
 * could never catch one running; here a statement marked PAUSE waits, with its transaction open,
 * until the test releases it.
 */
class PausingEngine implements Engine {
  private pause?: { readonly reached: () => void; readonly released: Promise<void> };

  constructor(
    private readonly inner: Engine,
    /** At most this many transactions at once: 1 makes statements queue behind a running one. */
    readonly concurrency = inner.concurrency,
  ) {}

  get description(): string {
    return this.inner.description;
  }

  get threadsInThisProcess(): number {
    return this.inner.threadsInThisProcess;
  }

  pauseNext(): Pause {
    let reach!: () => void;
    let release!: () => void;
    const reached = new Promise<void>((resolve) => (reach = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.pause = { reached: reach, released };
    return { reached, release };
  }

  transaction<T>(work: (session: SqlSession) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return this.inner.transaction(
      (session) =>
        work({
          ...session,
          query: async (sql, params) => {
            const pause = this.pause;
            if (pause && sql.includes(PAUSE)) {
              this.pause = undefined;
              pause.reached();
              await pause.released;
            }
            return session.query(sql, params);
          },
        }),
      options,
    );
  }

  runMaintenance(sql: string): Promise<void> {
    return this.inner.runMaintenance(sql);
  }

  /** The inner engine belongs to the WarehouseHarness, which closes it. */
  async close(): Promise<void> {}
}

/** A harness started before each test of the file and stopped after it, closed after the file. */
export function dataApiHarnessPerTest(): DataApiHarness {
  const h = new DataApiHarness();
  beforeEach(() => h.start());
  afterEach(() => h.stop());
  afterAll(() => h.close());
  return h;
}

/**
 * One engine per test file; per test a fresh schema, a TestBucket mapped to s3://test-bucket, a
 * Data API server on it and the real SDK client pointed at that server.
 */
export class DataApiHarness {
  private readonly warehouses = new WarehouseHarness();
  /** Added to the server's clock: a test moves time forward with it. */
  skewMs = 0;
  bucket!: TestBucket;
  warehouse!: LocalWarehouse;
  private engine!: PausingEngine;
  server!: DataApiServer;
  client!: RedshiftDataClient;

  /** `concurrency: 1` queues statements behind a running one on every engine, as a full WLM queue does. */
  async start(options: { readonly concurrency?: number } = {}): Promise<void> {
    this.skewMs = 0;
    this.bucket = new TestBucket();
    const { engine, s3 } = await this.warehouses.warehouse(this.bucket.dir);
    this.engine = new PausingEngine(engine, options.concurrency);
    this.warehouse = new LocalWarehouse(this.engine, s3);
    this.server = await startDataApiServer({
      warehouse: this.warehouse,
      now: () => Date.now() + this.skewMs,
    });
    this.client = new RedshiftDataClient({
      endpoint: this.server.endpoint,
      region: 'us-west-2',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  }

  /**
   * Restarts with a warehouse that runs one statement at a time, so that a statement queues
   * behind a running one on every engine (on a server they would otherwise run side by side).
   */
  async serial(): Promise<void> {
    await this.stop();
    await this.start({ concurrency: 1 });
  }

  async stop(): Promise<void> {
    this.client.destroy();
    await this.server.close();
    this.bucket.cleanup();
  }

  close(): Promise<void> {
    return this.warehouses.close();
  }

  /** Holds the next statement containing PAUSE, mid-transaction, until released. */
  pauseNext(): Pause {
    return this.engine.pauseNext();
  }

  async submit(sql: string, input: Partial<ExecuteStatementInput> = {}): Promise<string> {
    const { Id } = await this.client.send(new ExecuteStatementCommand({ ...TARGET, Sql: sql, ...input }));
    return Id!;
  }

  describe(id: string): Promise<DescribeStatementResponse> {
    return this.client.send(new DescribeStatementCommand({ Id: id }));
  }

  /** Polls until the statement is FINISHED, FAILED or ABORTED; fails the test after `timeoutMs`. */
  async settled(id: string, timeoutMs = 5000): Promise<DescribeStatementResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const description = await this.describe(id);
      if (TERMINAL.has(description.Status ?? '')) return description;
      if (Date.now() > deadline)
        throw new Error(`${id} is still ${description.Status} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Runs one statement to completion and returns its description, whatever the outcome. */
  async run(sql: string, input: Partial<ExecuteStatementInput> = {}): Promise<DescribeStatementResponse> {
    return this.settled(await this.submit(sql, input));
  }

  /** Every record of a FINISHED statement's result, following NextToken. */
  async records(id: string): Promise<Field[][]> {
    const records: Field[][] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new GetStatementResultCommand({ Id: id, NextToken: token }));
      records.push(...(page.Records ?? []));
      token = page.NextToken;
    } while (token);
    return records;
  }

  /** The records of a query that must finish. */
  async query(sql: string, input: Partial<ExecuteStatementInput> = {}): Promise<Field[][]> {
    const description = await this.run(sql, input);
    if (description.Status !== 'FINISHED')
      throw new Error(`${sql}: ${description.Status} ${description.Error}`);
    return this.records(description.Id!);
  }
}
