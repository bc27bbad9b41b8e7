import { BatchExecuteStatementCommand } from '@aws-sdk/client-redshift-data';
import { dataApiHarnessPerTest, TARGET } from './support';

// The local COPY hands rows to the engine's bulk COPY, as text (where a backslash, a tab or a line
// break means something) or in binary (where lengths frame the bytes): every value must still
// arrive exactly as the JSON said, through the real client and endpoint, on both engines.

const h = dataApiHarnessPerTest();

const lines = (...objects: unknown[]) => objects.map((o) => JSON.stringify(o)).join('\n');
const copy = (prefix: string, options = '') =>
  `COPY t FROM 's3://test-bucket/${prefix}/' IAM_ROLE default JSON 'auto' ${options}`;

async function loaded(sql: string): Promise<string | undefined> {
  const { Status, Error } = await h.settled(await h.submit(sql), 60_000);
  return Status === 'FINISHED' ? undefined : Error;
}

test.each([
  ['a tab and a newline', 'a\tb\nc'],
  ['a carriage return', 'line\r\nnext'],
  ['backslashes', 'C:\\data\\new\\table'],
  ['a string that reads \\N', '\\N'],
  ['a string that reads \\\\N', '\\\\N'],
  ['a lone backslash at the end', 'end\\'],
  ['an escape sequence spelled out', '\\t\\n\\r'],
  ['multibyte text', 'Zénith 東京 🎧'],
  ['other control characters', 'bell\u0007 form\u000c vt\u000b'],
  ['an empty string', ''],
])('%s loads exactly as the JSON says', async (_, value) => {
  h.bucket.write('v/a.json', lines({ id: 1, s: value }));
  await h.run('CREATE TABLE t (id INTEGER, s VARCHAR(64))');
  expect(await loaded(copy('v'))).toBeUndefined();
  await expect(h.query('SELECT s, s IS NULL AS missing FROM t')).resolves.toEqual([
    [{ stringValue: value }, { booleanValue: false }],
  ]);
});

test('NULL and the empty string stay apart, and JSON values keep their escapes', async () => {
  h.bucket.write('v/a.json', lines({ id: 1, s: null, j: { path: 'a\\b', tab: '\t' } }, { id: 2, s: '' }));
  await h.run('CREATE TABLE t (id INTEGER, s VARCHAR(8), j VARCHAR(64))');
  expect(await loaded(copy('v'))).toBeUndefined();
  await expect(h.query('SELECT id, s IS NULL AS missing, s, j FROM t ORDER BY id')).resolves.toEqual([
    [
      { longValue: 1 },
      { booleanValue: true },
      { isNull: true },
      { stringValue: '{"path":"a\\\\b","tab":"\\t"}' },
    ],
    [{ longValue: 2 }, { booleanValue: false }, { stringValue: '' }, { isNull: true }],
  ]);
});

test('VARCHAR(n) counts the bytes of the value, not of its escaped form', async () => {
  h.bucket.write(
    'bytes/a.json',
    lines(
      { id: 1, s: 'a\tb\\' }, // 4 bytes; 6 characters once escaped for COPY
      { id: 2, s: '🎧' }, // 4 bytes
      { id: 3, s: 'ééé' }, // 6 bytes
      { id: 4, s: '\\\\\\\\\\' }, // 5 bytes
    ),
  );
  await h.run('CREATE TABLE t (id INTEGER, s VARCHAR(4))');
  expect(await loaded(copy('bytes', 'MAXERROR 2'))).toBeUndefined();
  await expect(h.query('SELECT id, s FROM t ORDER BY id')).resolves.toEqual([
    [{ longValue: 1 }, { stringValue: 'a\tb\\' }],
    [{ longValue: 2 }, { stringValue: '🎧' }],
  ]);
  await expect(
    h.query(
      `SELECT line_number, error_code, trim(error_message) FROM sys_load_error_detail
        WHERE file_name = 's3://test-bucket/bytes/a.json' ORDER BY line_number`,
    ),
  ).resolves.toEqual([
    [{ longValue: 3 }, { longValue: 1204 }, { stringValue: "6 bytes exceed the column's VARCHAR(4)" }],
    [{ longValue: 4 }, { longValue: 1204 }, { stringValue: "5 bytes exceed the column's VARCHAR(4)" }],
  ]);
});

test.each([
  ['NUL', 'nul', 'nul\u0000inside', 'nul?inside'],
  ['an unpaired surrogate', 'surrogate', 'half \ud83c pair', 'half ? pair'],
])(
  'text with %s is rejected (1220) naming the line and column; the rest loads',
  async (_, prefix, bad, shown) => {
    // The load-error views outlive the test's schema: each case reads its own file's rows.
    h.bucket.write(`${prefix}/a.json`, lines({ id: 1, s: 'fine' }, { id: 2, s: bad }));
    await h.run('CREATE TABLE t (id INTEGER, s VARCHAR(64))');
    expect(await loaded(copy(prefix, 'MAXERROR 1'))).toBeUndefined();
    await expect(h.query('SELECT id, s FROM t')).resolves.toEqual([
      [{ longValue: 1 }, { stringValue: 'fine' }],
    ]);
    await expect(
      h.query(
        `SELECT line_number, trim(colname) AS col, err_code, trim(raw_field_value) AS value FROM stl_load_errors
        WHERE filename = 's3://test-bucket/${prefix}/a.json'`,
      ),
    ).resolves.toEqual([
      [{ longValue: 2 }, { stringValue: 's' }, { longValue: 1220 }, { stringValue: shown }],
    ]);

    const error = await loaded(copy(prefix));
    expect(error).toContain(
      `s3://test-bucket/${prefix}/a.json line 2, field "s" (column s): String contains invalid`,
    );
  },
);

test('a load larger than one chunk of COPY text arrives whole, and a later failure in the batch undoes it', async () => {
  // About 3 MB of COPY text, so rows cross the loader's chunk boundaries; every value needs escapes.
  const rows = Array.from({ length: 6000 }, (_, id) => ({
    id,
    s: `${id}\t${'\\'.repeat(200)}\n${'x'.repeat(250)}`,
  }));
  h.bucket.write('big/a.json', lines(...rows.slice(0, 3000))).write('big/b.json', lines(...rows.slice(3000)));
  await h.run('CREATE TABLE t (id INTEGER, s VARCHAR(512))');
  const checksum = `SELECT COUNT(*) AS n, SUM(id) AS ids,
      SUM(CASE WHEN s = CAST(id AS VARCHAR) || CHR(9) || REPEAT(CHR(92), 200) || CHR(10) || REPEAT('x', 250)
          THEN 1 ELSE 0 END) AS exact FROM t`;

  const { Id } = await h.client.send(
    new BatchExecuteStatementCommand({ ...TARGET, Sqls: [copy('big'), checksum, 'SELECT 1 / 0'] }),
  );
  expect((await h.settled(Id!, 60_000)).Status).toBe('FAILED');
  await expect(h.query('SELECT COUNT(*) FROM t')).resolves.toEqual([[{ longValue: 0 }]]);

  expect(await loaded(copy('big'))).toBeUndefined();
  await expect(h.query(checksum)).resolves.toEqual([
    [{ longValue: 6000 }, { longValue: (5999 * 6000) / 2 }, { longValue: 6000 }],
  ]);
});
