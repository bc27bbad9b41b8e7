import type { TargetColumn } from '../../local/copy/column-converters';
import { copyFormatFor } from '../../local/copy/copy-rows';
import { translate, type CopyCommand } from '../../local/warehouse/dialect';
import { dataApiHarnessPerTest } from './support';

// The local COPY hands a table's rows to the engine in binary where every column has a binary form,
// and as text otherwise. Whichever format carries them, the same JSON must store the same values:
// each case loads one file into two tables alike but for a DATE column, which only text carries.

const h = dataApiHarnessPerTest();

const lines = (...objects: unknown[]) => objects.map((o) => JSON.stringify(o)).join('\n');

const COLUMNS = `i2 SMALLINT, i4 INTEGER, i8 BIGINT, f8 DOUBLE PRECISION, b BOOLEAN, v VARCHAR(64), ts TIMESTAMP`;
const COMPARED = 'i2, i4, i8, f8, CAST(f8 AS VARCHAR) AS f8_text, b, v, ts';
const copyStatement = (table: string, options = '') =>
  `COPY ${table} FROM 's3://test-bucket/v/' IAM_ROLE default JSON 'auto' ${options}`;

const column = (name: string, dataType: string): TargetColumn => ({
  name,
  dataType,
  typeName: dataType,
  maxLength: null,
  nullable: true,
});
const parsed = (sql: string): CopyCommand => {
  const statement = translate(sql);
  if (statement.kind !== 'copy') throw new Error('not a COPY');
  return statement.copy;
};

test('a table of integers, floats, booleans, text and epoch timestamps loads in binary; a DATE, a NUMERIC or timestamp text makes it text', () => {
  const epoch = parsed(copyStatement('t', "TIMEFORMAT 'epochmillisecs'"));
  const binaryColumns = [
    column('i2', 'smallint'),
    column('i4', 'integer'),
    column('i8', 'bigint'),
    column('f8', 'double precision'),
    column('b', 'boolean'),
    column('v', 'character varying'),
    column('ts', 'timestamp without time zone'),
  ];
  expect(copyFormatFor(binaryColumns, epoch)).toBe('binary');
  for (const textOnly of ['date', 'numeric', 'real', 'character', 'timestamp with time zone']) {
    expect(copyFormatFor([...binaryColumns, column('x', textOnly)], epoch)).toBe('text');
  }
  expect(copyFormatFor(binaryColumns, parsed(copyStatement('t')))).toBe('text');
});

async function loadBothWays(rows: readonly unknown[], options: string): Promise<void> {
  h.bucket.write('v/a.json', lines(...rows));
  await h.run(`CREATE TABLE in_binary (${COLUMNS})`);
  await h.run(`CREATE TABLE in_text (${COLUMNS}, only_text_has DATE)`);
  for (const table of ['in_binary', 'in_text']) {
    const { Status, Error } = await h.settled(await h.submit(copyStatement(table, options)), 30_000);
    expect({ table, Status, Error }).toEqual({ table, Status: 'FINISHED', Error: undefined });
  }
}

const sameRows = async () => {
  const count = await h.query(
    'SELECT (SELECT COUNT(*) FROM in_binary) AS binary_rows, (SELECT COUNT(*) FROM in_text) AS text_rows',
  );
  const differing = await h.query(
    `(SELECT ${COMPARED} FROM in_binary EXCEPT SELECT ${COMPARED} FROM in_text)
     UNION ALL (SELECT ${COMPARED} FROM in_text EXCEPT SELECT ${COMPARED} FROM in_binary)`,
  );
  return { count, differing };
};

test('edges of every binary type store the same values as their text', async () => {
  const rows = [
    { i2: -32768, i4: -2147483648, i8: -9007199254740991, f8: -1.7976931348623157e308, b: false },
    { i2: 32767, i4: 2147483647, i8: 9007199254740991, f8: 5e-324, b: true },
    { i2: 0, i4: -1, i8: -4294967296, f8: 0.1, v: 'a\tb\nc\\N \\ Zénith 東京 🎧' },
    { i2: '-7', i4: '42', i8: '4294967297', f8: '1e999', b: 't', v: '' },
    { i2: null, f8: -0, b: '0', v: 12.5, ts: 0 },
    { f8: '-0.0', v: { nested: ['x'] }, ts: -1 },
    { f8: 123456789.12345679, ts: 1541105830796 },
    { ts: '1541105830796.9' },
    { ts: -62135596800000 },
    { ts: 253402300799999 },
    { ts: 9007199254740 },
    { ts: 9007199254741 },
  ];
  await loadBothWays(rows, "TIMEFORMAT 'epochmillisecs'");
  await expect(sameRows()).resolves.toEqual({
    count: [[{ longValue: rows.length }, { longValue: rows.length }]],
    differing: [],
  });
  // The values themselves, read back as text, from the binary table.
  await expect(
    h.query(
      `SELECT CAST(f8 AS VARCHAR), CAST(ts AS VARCHAR) FROM in_binary
        WHERE ts IN ('1970-01-01 00:00:00', '0001-01-01 00:00:00', '9999-12-31 23:59:59.999')
           OR f8 IN (0, 'Infinity') ORDER BY ts NULLS FIRST, f8`,
    ),
  ).resolves.toEqual([
    [{ stringValue: 'Infinity' }, { isNull: true }],
    [{ isNull: true }, { stringValue: '0001-01-01 00:00:00' }],
    [{ stringValue: '0' }, { stringValue: '1969-12-31 23:59:59.999' }],
    [{ stringValue: '0' }, { stringValue: '1970-01-01 00:00:00' }],
    [{ isNull: true }, { stringValue: '9999-12-31 23:59:59.999' }],
  ]);
});

test('epoch seconds keep their milliseconds and drop what is finer, in both formats', async () => {
  const rows = [{ ts: 1541105830.7969 }, { ts: -0.0015 }, { ts: '1541105830' }];
  await loadBothWays(rows, "TIMEFORMAT 'epochsecs'");
  await expect(sameRows()).resolves.toEqual({
    count: [[{ longValue: 3 }, { longValue: 3 }]],
    differing: [],
  });
  await expect(h.query('SELECT CAST(ts AS VARCHAR) FROM in_binary ORDER BY ts')).resolves.toEqual([
    [{ stringValue: '1969-12-31 23:59:59.999' }],
    [{ stringValue: '2018-11-01 20:57:10' }],
    [{ stringValue: '2018-11-01 20:57:10.796' }],
  ]);
});

test('an epoch timestamp beyond the years 1 to 9999 is rejected on its row, naming its line, in both formats', async () => {
  const rows = [
    { i4: 1, ts: 0 },
    { i4: 2, ts: 253402300800000 },
    { i4: 3, ts: -62135596800001 },
  ];
  await loadBothWays(rows, "TIMEFORMAT 'epochmillisecs' MAXERROR 2");
  await expect(h.query('SELECT i4 FROM in_binary UNION ALL SELECT i4 FROM in_text')).resolves.toEqual([
    [{ longValue: 1 }],
    [{ longValue: 1 }],
  ]);
  await expect(
    h.query(
      `SELECT line_number, trim(colname) AS col, err_code, trim(err_reason) AS reason FROM stl_load_errors
        WHERE filename = 's3://test-bucket/v/a.json' ORDER BY query, line_number`,
    ),
  ).resolves.toEqual(
    [1, 2].flatMap(() => [
      [
        { longValue: 2 },
        { stringValue: 'ts' },
        { longValue: 1204 },
        { stringValue: '253402300800000 is out of range for a timestamp (years 1 to 9999 here)' },
      ],
      [
        { longValue: 3 },
        { stringValue: 'ts' },
        { longValue: 1204 },
        { stringValue: '-62135596800001 is out of range for a timestamp (years 1 to 9999 here)' },
      ],
    ]),
  );
});
