import { SQL_STEPS, stepParameters, type SqlStep } from '../../lambda/shared/sql-steps';
import type { StepName } from '../../contract/steps';
import {
  quoteLiteral,
  truncateUtf8,
  renderParameters,
  renderStatements,
  splitStatements,
} from '../../lambda/shared/sql-template';
import {
  MAX_BATCH_STATEMENTS,
  MAX_LOG_PREFIXES,
  MAX_RANGE_DAYS,
  planRun,
  type RunPlan,
} from '../../contract/run-plan';
import { TEST_LOCATIONS } from '../support/locations';

describe('renderParameters', () => {
  test("replaces :'name' with the value as an escaped literal", () => {
    expect(
      renderParameters(
        "COPY t FROM :'uri' REGION :'region'",
        { uri: "s3://b/it's", region: 'us-west-2' },
        'f.sql',
      ),
    ).toBe("COPY t FROM 's3://b/it''s' REGION 'us-west-2'");
  });

  test('an apostrophe or a parameter inside a comment is neither a literal nor a parameter', () => {
    const sql = "SELECT :'a' -- the run's id, not :'b'\n/* it's :c */ , :'a'";
    expect(renderParameters(sql, { a: 'x' }, 'f.sql')).toBe(
      "SELECT 'x' -- the run's id, not :'b'\n/* it's :c */ , 'x'",
    );
  });

  test('leaves casts and text inside literals alone', () => {
    const sql = "SELECT ':''kept''' AS s, x::text, ':'  FROM t";
    expect(renderParameters(sql, {}, 'f.sql')).toBe(sql);
  });

  test('a parameter without a value names the file and the parameter', () => {
    expect(() => renderParameters("SELECT :'missing'", {}, 'insert_x.sql')).toThrow(
      "insert_x.sql: no value for parameter :'missing'",
    );
  });

  test(':name stands for a whole number, in digits, where the grammar wants a number', () => {
    expect(
      renderParameters(
        "COPY t FROM :'uri' MAXERROR :max_errors",
        { uri: 's3://b/', max_errors: 25 },
        'f.sql',
      ),
    ).toBe("COPY t FROM 's3://b/' MAXERROR 25");
  });

  test('text is never spliced in bare, nor a number quoted', () => {
    expect(() => renderParameters('MAXERROR :n', { n: '1; DROP TABLE users' }, 'f.sql')).toThrow(
      'f.sql: parameter :n stands for a whole number, got "1; DROP TABLE users"',
    );
    expect(() => renderParameters('MAXERROR :n', { n: 1.5 }, 'f.sql')).toThrow(/stands for a whole number/);
    expect(() => renderParameters("MAXERROR :'n'", { n: 1 }, 'f.sql')).toThrow(
      "f.sql: parameter :'n' is a number; write :n",
    );
    expect(() => renderParameters('MAXERROR :n', {}, 'f.sql')).toThrow('f.sql: no value for parameter :n');
  });

  test('casts, and colons inside quoted literals and identifiers, are not parameters', () => {
    const sql = `SELECT x::text, ':n', "a:n" FROM t`;
    expect(renderParameters(sql, { n: 1, text: 2 }, 'f.sql')).toBe(sql);
  });

  test('a value cannot break out of its literal', () => {
    expect(quoteLiteral("x'; DROP TABLE users; --")).toBe("'x''; DROP TABLE users; --'");
    expect(quoteLiteral('C:\\temp\\')).toBe("'C:\\\\temp\\\\'");
  });
});

describe('splitStatements', () => {
  test('splits on semicolons outside strings and comments, and drops comments', () => {
    const sql = "-- a; comment\nSELECT 'a;b';\n/* c; */ SELECT 2;\n\n";
    expect(splitStatements(sql)).toEqual(["SELECT 'a;b'", 'SELECT 2']);
  });
});

describe('expanding a parameter with several values', () => {
  test('repeats the statement once per value, in order', () => {
    const files = [{ name: 'f.sql', text: "DELETE FROM t;\nCOPY t FROM :'uri' REGION :'region';" }];
    expect(renderStatements(files, { uri: ['s3://b/1', 's3://b/2'], region: 'r' })).toEqual([
      'DELETE FROM t',
      "COPY t FROM 's3://b/1' REGION 'r'",
      "COPY t FROM 's3://b/2' REGION 'r'",
    ]);
  });

  test('refuses a statement that would repeat over two lists', () => {
    const files = [{ name: 'f.sql', text: "SELECT :'a', :'b'" }];
    expect(() => renderStatements(files, { a: ['1'], b: ['2'] })).toThrow(
      /f.sql: one statement repeats over :'a' and :'b'/,
    );
  });
});

/**
 * The backfill with the most log prefixes that planRun accepts, found by trying every range of up
 * to a year that starts in 2017 (a year holding every month length but a leap February).
 */
function widestBackfill(): RunPlan {
  let widest: RunPlan | undefined;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  for (let from = Date.UTC(2017, 0, 1); from < Date.UTC(2018, 0, 1); from += 86_400_000) {
    for (let days = 0; days < MAX_RANGE_DAYS; days++) {
      try {
        const plan = planRun(
          { mode: 'incremental', from: day(from), to: day(from + days * 86_400_000), songs: true },
          'w',
        );
        if (plan.logPrefixes.length > (widest?.logPrefixes.length ?? 0)) widest = plan;
      } catch {
        // More prefixes than a batch holds: planRun refuses it, which is the point.
      }
    }
  }
  return widest!;
}

describe('truncateUtf8', () => {
  test.each([
    ['ascii', 'abcdef', 4, 'abcd'],
    ['a two-byte character is not split', 'aé', 2, 'a'],
    ['a four-byte character is not split', 'ab😀', 5, 'ab'],
    ['a text within the limit is kept', 'é😀', 6, 'é😀'],
  ])('%s', (_name, text, maxBytes, expected) => {
    expect(truncateUtf8(text, maxBytes)).toBe(expected);
    expect(Buffer.byteLength(truncateUtf8(text, maxBytes))).toBeLessThanOrEqual(maxBytes);
  });
});

describe('the SQL steps', () => {
  const steps = Object.keys(SQL_STEPS) as StepName[];
  const plans = {
    full: planRun({}, 'test'),
    backfill: planRun({ mode: 'incremental', from: '2018-10-20', to: '2018-12-03', songs: true }, 'test'),
    widest: widestBackfill(),
  };
  const render = (step: StepName, plan = plans.full) =>
    renderStatements(
      (SQL_STEPS[step] as SqlStep).files(plan),
      stepParameters(TEST_LOCATIONS, plan, { Error: 'E', Cause: "it's" }),
    );

  test('the widest backfill planRun accepts fills stage_events to exactly the Data API batch limit', () => {
    expect(plans.widest.logPrefixes).toHaveLength(MAX_LOG_PREFIXES);
    expect(render('stage_events', plans.widest)).toHaveLength(MAX_BATCH_STATEMENTS);
  });

  test.each(
    steps.flatMap(
      (step) =>
        [
          [step, 'full'],
          [step, 'backfill'],
          [step, 'widest'],
        ] as const,
    ),
  )('%s (%s run) renders to complete statements within the Data API limits', (step, plan) => {
    const statements = render(step, plans[plan]);
    expect(statements.length).toBeGreaterThanOrEqual(1);
    expect(statements.length).toBeLessThanOrEqual(MAX_BATCH_STATEMENTS);
    for (const statement of statements) {
      expect(Buffer.byteLength(statement)).toBeLessThan(100 * 1024);
      expect(statement).not.toMatch(/:'[a-z_]+'/);
      expect(statement).not.toMatch(/;\s*$/);
    }
  });

  test('the COPY steps take the bucket, role and region from the parameters, not from literals', () => {
    const copies = steps.flatMap((step) => render(step)).filter((statement) => statement.startsWith('COPY'));
    expect(copies).toHaveLength(2);
    for (const copy of copies) {
      expect(copy).toContain(`IAM_ROLE '${TEST_LOCATIONS.iam_role}'`);
      expect(copy).toContain(`REGION '${TEST_LOCATIONS.data_region}'`);
      expect(copy).toMatch(/FROM 's3:\/\/test-bucket\//);
      expect(copy).toContain('MAXERROR 0');
    }
  });

  test("a full run's COPYs read the folders, so sibling keys like log_data_old/ are not loaded", () => {
    const froms = steps
      .flatMap((step) => render(step))
      .filter((statement) => statement.startsWith('COPY'))
      .map((statement) => /FROM '([^']+)'/.exec(statement)?.[1]);
    expect(froms).toEqual(['s3://test-bucket/log_data/', 's3://test-bucket/song_data/']);
  });

  test("the run's maxErrors is each COPY's MAXERROR", () => {
    const plan = planRun({ maxErrors: 250 }, 'test');
    const copies = [...render('stage_events', plan), ...render('stage_songs', plan)].filter((statement) =>
      statement.startsWith('COPY'),
    );
    expect(copies.map((copy) => /MAXERROR (\d+)/.exec(copy)?.[1])).toEqual(['250', '250']);
  });

  test('an incremental run stages one COPY per log prefix of its range', () => {
    const froms = render('stage_events', plans.backfill)
      .filter((statement) => statement.startsWith('COPY'))
      .map((statement) => /FROM '([^']+)'/.exec(statement)?.[1]);
    expect(froms).toEqual([
      's3://test-bucket/log_data/2018/10/2018-10-20-',
      ...['21', '22', '23', '24', '25', '26', '27', '28', '29', '30', '31'].map(
        (d) => `s3://test-bucket/log_data/2018/10/2018-10-${d}-`,
      ),
      's3://test-bucket/log_data/2018/11/',
      's3://test-bucket/log_data/2018/12/2018-12-01-',
      's3://test-bucket/log_data/2018/12/2018-12-02-',
      's3://test-bucket/log_data/2018/12/2018-12-03-',
    ]);
  });

  test('an incremental run without songs skips the song staging and the song and artist merges', () => {
    const plan = planRun({ mode: 'incremental', date: '2018-11-12' }, 'test');
    expect(render('stage_songs', plan)).toEqual([]);
    expect(render('publish', plan).join('\n')).not.toMatch(/INTO (songs|artists)/);
    expect(render('publish', plans.full).join('\n')).toMatch(/INTO songs[\s\S]*INTO artists/);
  });

  test('the failure text reaches the audit as one escaped literal', () => {
    expect(render('record_failure').join('\n')).toContain("error = 'E: it''s'");
  });
});
