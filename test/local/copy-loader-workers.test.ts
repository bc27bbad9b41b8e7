import { StatementError, LocalWarehouse } from '../../local/warehouse/local-warehouse';
import { TestBucket } from '../support/dataset';
import { WarehouseHarness, select } from '../support/warehouse-harness';

// A large COPY converts its files in worker threads (conversion-workers.ts). Whatever converts
// them, the load must be the same: the same rows, the same rejections in the same order with their
// files and lines, the same failures. Each case loads one bucket both ways and compares.

const harness = new WarehouseHarness();
let bucket: TestBucket;
afterEach(() => bucket.cleanup());
afterAll(() => harness.close());

/** Objects of about 4.5 MB each, so that each is a part of its own and the workers share them. */
const FILES = 3;
const ROWS_PER_FILE = 9000;
const PADDING = 'x'.repeat(480);

function writeFiles(bad: (file: number, row: number) => unknown = () => undefined): void {
  for (let file = 0; file < FILES; file++) {
    const lines: string[] = [];
    for (let row = 0; row < ROWS_PER_FILE; row++) {
      const replaced = bad(file, row);
      lines.push(replaced === undefined ? JSON.stringify({ file, row, padding: PADDING }) : String(replaced));
    }
    bucket.write(`log/part-${file}.json`, lines.join('\n'));
  }
}

const DDL = 'CREATE TABLE t (file INT NOT NULL, row INT NOT NULL, padding VARCHAR(500))';
const copy = (maxError: number) =>
  `COPY t FROM 's3://test-bucket/log/' IAM_ROLE default JSON 'auto' MAXERROR ${maxError}`;

interface Load {
  readonly rows: number;
  readonly rejected: number;
  readonly rejections: readonly string[];
  readonly error?: string;
  readonly checksum: unknown;
}

/** One load of the bucket into an empty table, through worker threads or in this thread. */
async function load(workers: boolean, maxError: number): Promise<Load> {
  const base = await harness.warehouse(bucket.dir);
  // Three threads whatever the machine's cores, so that parts always come from several of them.
  const options = workers ? { workersFromBytes: 0, conversionThreads: 3 } : {};
  const warehouse = new LocalWarehouse(base.engine, base.s3, options);
  await warehouse.run([DDL]);
  const [before] = await select(warehouse, 'SELECT COALESCE(MAX(query), 0) AS query FROM stl_load_errors');
  let outcome;
  let error: string | undefined;
  try {
    [outcome] = await warehouse.run([copy(maxError)]);
  } catch (caught) {
    if (!(caught instanceof StatementError)) throw caught;
    error = caught.message;
  }
  const [summary] = await select(
    warehouse,
    'SELECT COUNT(*) AS rows, SUM(file * 100000 + row) AS checksum FROM t',
  );
  const rejections = await select(
    warehouse,
    `SELECT TRIM(filename) AS file, line_number, TRIM(colname) AS colname, TRIM(err_reason) AS reason
       FROM stl_load_errors WHERE query > ${Number(before!.query)} ORDER BY filename, line_number`,
  );
  return {
    rows: Number(summary!.rows),
    checksum: summary!.checksum,
    rejected: outcome?.copy?.rowsRejected ?? -1,
    rejections: rejections.map((r) => `${r.file} line ${r.line_number} ${r.colname}: ${r.reason}`),
    ...(error === undefined ? {} : { error }),
  };
}

async function bothWays(maxError: number): Promise<Load> {
  const inThisThread = await load(false, maxError);
  const inWorkers = await load(true, maxError);
  expect(inWorkers).toEqual(inThisThread);
  return inWorkers;
}

beforeEach(() => (bucket = new TestBucket()));

test('every row of every part loads, in workers as in this thread', async () => {
  writeFiles();
  const loaded = await bothWays(0);
  expect(loaded.rows).toBe(FILES * ROWS_PER_FILE);
  expect(loaded.rejections).toEqual([]);
});

test('rejections keep their files and lines in source order across parts', async () => {
  writeFiles((file, row) =>
    row === 17 * (file + 1) ? JSON.stringify({ file, row: 'not a number', padding: PADDING }) : undefined,
  );
  const loaded = await bothWays(5);
  expect(loaded.rows).toBe(FILES * ROWS_PER_FILE - FILES);
  expect(loaded.rejected).toBe(FILES);
  expect(loaded.rejections).toHaveLength(FILES);
  expect(loaded.rejections).toEqual(
    [18, 35, 52].map((line, file) =>
      expect.stringMatching(new RegExp(`^s3://test-bucket/log/part-${file}\\.json line ${line} row: \\S`)),
    ),
  );
});

test('more rejections than MAXERROR fail the load the same way, and nothing stays loaded', async () => {
  writeFiles((file, row) => (row % 1000 === 999 ? JSON.stringify({ file, padding: PADDING }) : undefined));
  const loaded = await bothWays(4);
  expect(loaded.error).toContain(`${FILES * 9} row(s) rejected, more than MAXERROR 4`);
  expect(loaded.rows).toBe(0);
  expect(loaded.rejections).toHaveLength(FILES * 9);
});

test('a malformed object in a later part fails the load naming its file and line', async () => {
  writeFiles((file, row) => (file === 2 && row === 4000 ? '{"file": 2, "row": ' : undefined));
  const loaded = await bothWays(100);
  expect(loaded.error).toContain('s3://test-bucket/log/part-2.json line 4001');
  expect(loaded.rows).toBe(0);
});
