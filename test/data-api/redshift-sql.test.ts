import { GetStatementResultCommand } from '@aws-sdk/client-redshift-data';
import { dataApiHarnessPerTest } from './support';

// Redshift's functions and syntax, answered with Redshift's values and result types, through the
// real SDK client against the local endpoint (PGlite, and the server when one is configured).

const h = dataApiHarnessPerTest();

/** Each result column's Data API type name and the first record's values. */
async function typedRow(sql: string): Promise<{ types: string[]; values: unknown[] }> {
  const description = await h.run(sql);
  if (description.Status !== 'FINISHED') throw new Error(`${sql}: ${description.Error}`);
  const result = await h.client.send(new GetStatementResultCommand({ Id: description.Id }));
  return {
    types: result.ColumnMetadata?.map((column) => column.typeName ?? '') ?? [],
    values: (result.Records?.[0] ?? []).map((field) => Object.values(field).find((v) => v !== undefined)),
  };
}

describe('aggregates over integers', () => {
  beforeEach(async () => {
    await h.run('CREATE TABLE plays (s SMALLINT, i INTEGER, b BIGINT)');
    await h.run('INSERT INTO plays VALUES (1, 1, 1), (2, 2, 2), (2, 2, 4), (NULL, NULL, NULL)');
  });

  test('SUM and COUNT are BIGINT, and AVG is a truncated BIGINT, as on Redshift', async () => {
    await expect(
      typedRow(
        'SELECT SUM(s) AS s1, SUM(i) AS s2, SUM(b) AS s3, AVG(s) AS a1, AVG(i) AS a2, AVG(b) AS a3, COUNT(*) AS c1, COUNT(b) AS c2 FROM plays',
      ),
    ).resolves.toEqual({
      types: ['int8', 'int8', 'int8', 'int8', 'int8', 'int8', 'int8', 'int8'],
      values: [5, 5, 7, 1, 1, 2, 4, 3],
    });
  });

  test('AVG of decimals and floats keeps its fraction', async () => {
    await expect(
      typedRow('SELECT AVG(b::DECIMAL(10,2)) AS d, AVG(b::FLOAT8) AS f FROM plays'),
    ).resolves.toEqual({
      types: ['numeric', 'float8'],
      values: ['2.3333333333333333', 7 / 3],
    });
  });

  test('MEDIAN is DECIMAL over integers and DOUBLE over floats, and ignores NULL', async () => {
    const { types, values } = await typedRow(
      'SELECT MEDIAN(i) AS m, MEDIAN(b) AS even, MEDIAN(b::FLOAT8) AS f FROM plays',
    );
    expect(types).toEqual(['numeric', 'numeric', 'float8']);
    expect(values.map(Number)).toEqual([2, 2, 2]);
    const twoValues = await typedRow('SELECT MEDIAN(b) FROM plays WHERE b > 1');
    expect(Number(twoValues.values[0])).toBe(3);
  });

  test('APPROXIMATE COUNT(DISTINCT …) and LISTAGG … WITHIN GROUP', async () => {
    await expect(
      typedRow(
        "SELECT APPROXIMATE COUNT(DISTINCT i) AS n, LISTAGG(b, ', ') WITHIN GROUP (ORDER BY b DESC) AS l, LISTAGG(i) AS plain FROM plays",
      ),
    ).resolves.toMatchObject({ types: ['int8', 'varchar', 'varchar'], values: [2, '4, 2, 1', '122'] });
  });

  test('LISTAGG names its column listagg and refuses a result past 65535 bytes, as Redshift does', async () => {
    const { Id } = await h.run("SELECT LISTAGG(b, '-') WITHIN GROUP (ORDER BY b) FROM plays");
    const result = await h.client.send(new GetStatementResultCommand({ Id }));
    expect(result.ColumnMetadata?.map((column) => column.name)).toEqual(['listagg']);
    expect(result.Records).toEqual([[{ stringValue: '1-2-4' }]]);
    const tooLong = await h.run("SELECT LISTAGG(REPEAT('x', 1000)) FROM generate_series(1, 66)");
    expect(tooLong.Status).toBe('FAILED');
    expect(tooLong.Error).toMatch(/Result size exceeds LISTAGG limit/);
  });

  test('SELECT TOP n, also in a subquery', async () => {
    await expect(h.query('SELECT TOP 2 b FROM plays ORDER BY b DESC NULLS LAST')).resolves.toEqual([
      [{ longValue: 4 }],
      [{ longValue: 2 }],
    ]);
    await expect(
      h.query('SELECT COUNT(*) FROM (SELECT TOP 1 b FROM plays ORDER BY b) AS first_play'),
    ).resolves.toEqual([[{ longValue: 1 }]]);
  });
});

test('NVL, NVL2 and DECODE, where DECODE matches NULL with NULL', async () => {
  await h.run('CREATE TABLE users (level VARCHAR(4), gender CHAR(1))');
  await h.run("INSERT INTO users VALUES ('paid', 'F'), (NULL, NULL)");
  await expect(
    h.query(`SELECT NVL(level, 'none') AS l, NVL2(level, 1, 0) AS paid, DECODE(gender, 'F', 'female', NULL, 'unknown', 'other') AS g
               FROM users ORDER BY level NULLS LAST`),
  ).resolves.toEqual([
    [{ stringValue: 'paid' }, { longValue: 1 }, { stringValue: 'female' }],
    [{ stringValue: 'none' }, { longValue: 0 }, { stringValue: 'unknown' }],
  ]);
});

test('DATEDIFF counts boundaries crossed, with the part bare or quoted; DATEADD adds parts', async () => {
  await expect(
    typedRow(`SELECT DATEDIFF(day, '2018-11-01 23:59:59', '2018-11-02 00:00:01') AS day_boundary,
                     DATEDIFF('year', '2018-12-31', '2019-01-01') AS year_boundary,
                     DATEDIFF(hours, '2018-11-01 10:59', '2018-11-01 11:01') AS hours,
                     DATEDIFF(month, '2018-11-30', '2018-11-01') AS backwards,
                     DATEDIFF(qtr, '2018-03-31', '2018-04-01') AS quarter,
                     DATEADD(month, 1, '2018-01-31') AS month_end,
                     DATEADD(d, -1, '2018-03-01'::DATE) AS from_date`),
  ).resolves.toEqual({
    types: ['int8', 'int8', 'int8', 'int8', 'int8', 'timestamp', 'timestamp'],
    values: [1, 1, 1, 0, 1, '2018-02-28 00:00:00', '2018-02-28 00:00:00'],
  });
  const bad = await h.run("SELECT DATEDIFF(fortnight, '2018-01-01', '2018-02-01')");
  expect(bad.Status).toBe('FAILED');
  expect(bad.Error).toMatch(/Invalid datepart for datediff\(\): fortnight/);
});

test('GETDATE() is whole seconds, SYSDATE the transaction start, CONVERT_TIMEZONE a TIMESTAMP; LEN an INTEGER', async () => {
  const { types, values } = await typedRow(
    `SELECT GETDATE() AS now, SYSDATE AS transaction_start,
            CONVERT_TIMEZONE('UTC', 'America/New_York', '2018-11-01 12:00:00') AS three_args,
            CONVERT_TIMEZONE('Asia/Tokyo', '2018-11-01 12:00:00') AS two_args, LEN('abc') AS len`,
  );
  expect(types).toEqual(['timestamp', 'timestamp', 'timestamp', 'timestamp', 'int4']);
  expect(values[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  expect(Math.abs(Date.parse(`${String(values[1]).replace(' ', 'T')}Z`) - Date.now())).toBeLessThan(60_000);
  expect(values.slice(2)).toEqual(['2018-11-01 08:00:00', '2018-11-01 21:00:00', 3]);
});

test('PRIMARY KEY, UNIQUE and REFERENCES are not enforced; NOT NULL is', async () => {
  await h.run('CREATE TABLE artists (artist_id VARCHAR(18) PRIMARY KEY, name VARCHAR(64) NOT NULL UNIQUE)');
  await h.run(
    'CREATE TABLE songs (song_id VARCHAR(18) NOT NULL, artist_id VARCHAR(18) REFERENCES artists (artist_id), PRIMARY KEY (song_id))',
  );
  const duplicates = await h.run("INSERT INTO artists VALUES ('AR1', 'Same'), ('AR1', 'Same')");
  expect(duplicates).toMatchObject({ Status: 'FINISHED', ResultRows: 2 });
  await expect(h.run("INSERT INTO songs VALUES ('SO1', 'AR-missing'), ('SO1', NULL)")).resolves.toMatchObject(
    {
      Status: 'FINISHED',
    },
  );
  const nullName = await h.run("INSERT INTO artists VALUES ('AR2', NULL)");
  expect(nullName.Status).toBe('FAILED');
  expect(nullName.Error).toMatch(/null value in column "name"/);
});

test('a BIGINT beyond 2^53 travels as an exact JSON number', async () => {
  await h.run('CREATE TABLE big (b BIGINT)');
  await h.run('INSERT INTO big VALUES (9007199254740993), (-9223372036854775808), (9223372036854775807)');
  const { Id } = await h.run(
    'SELECT b, SUM(b) OVER (ORDER BY b ROWS UNBOUNDED PRECEDING) AS total FROM big ORDER BY b',
  );
  // The SDK parses longValue to a JS number, so the wire text is what proves the digits.
  const response = await fetch(h.server.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'RedshiftData.GetStatementResult',
    },
    body: JSON.stringify({ Id }),
  });
  const body = await response.text();
  expect(body).toContain(
    '"Records":[[{"longValue":-9223372036854775808},{"longValue":-9223372036854775808}],' +
      '[{"longValue":9007199254740993},{"longValue":-9214364837600034815}],' +
      '[{"longValue":9223372036854775807},{"longValue":9007199254740992}]]',
  );
});
