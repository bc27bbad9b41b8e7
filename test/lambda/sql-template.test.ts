import { SQL_STEPS, STEP_NAMES, type SqlStep } from '../../lambda/shared/sql-steps';
import {
  quoteLiteral,
  renderParameters,
  renderStatements,
  splitStatements,
} from '../../lambda/shared/sql-template';
import { planRun } from '../../lambda/shared/run-plan';
import { TEST_LOCATIONS } from '../support/warehouse-harness';

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

  test('leaves casts and text inside literals alone', () => {
    const sql = "SELECT ':''kept''' AS s, x::text, ':'  FROM t";
    expect(renderParameters(sql, {}, 'f.sql')).toBe(sql);
  });

  test('a parameter without a value names the file and the parameter', () => {
    expect(() => renderParameters("SELECT :'missing'", {}, 'insert_x.sql')).toThrow(
      "insert_x.sql: no value for parameter :'missing'",
    );
  });

  test('a value cannot break out of its literal', () => {
    expect(quoteLiteral("x'; DROP TABLE users; --")).toBe("'x''; DROP TABLE users; --'");
  });
});

describe('splitStatements', () => {
  test('splits on semicolons outside strings and comments, and drops comments', () => {
    const sql = "-- a; comment\nSELECT 'a;b';\n/* c; */ SELECT 2;\n\n";
    expect(splitStatements(sql)).toEqual(["SELECT 'a;b'", 'SELECT 2']);
  });
});

describe('the SQL steps', () => {
  const plan = planRun({}, 'test');

  test.each(STEP_NAMES)('%s renders to complete statements within the Data API limits', (step) => {
    const sqlStep: SqlStep = SQL_STEPS[step];
    const statements = renderStatements(sqlStep.files(plan), TEST_LOCATIONS);
    expect(statements.length).toBeGreaterThanOrEqual(1);
    expect(statements.length).toBeLessThanOrEqual(40); // BatchExecuteStatement's limit
    for (const statement of statements) {
      expect(Buffer.byteLength(statement)).toBeLessThan(100 * 1024);
      expect(statement).not.toMatch(/:'[a-z_]+'/);
      expect(statement).not.toMatch(/;\s*$/);
    }
  });

  test('the COPY steps take the bucket, role and region from the parameters, not from literals', () => {
    const rendered = STEP_NAMES.flatMap((step) =>
      renderStatements((SQL_STEPS[step] as SqlStep).files(plan), TEST_LOCATIONS),
    );
    const copies = rendered.filter((statement) => statement.startsWith('COPY'));
    expect(copies).toHaveLength(2);
    for (const copy of copies) {
      expect(copy).toContain(`IAM_ROLE '${TEST_LOCATIONS.iam_role}'`);
      expect(copy).toContain(`REGION '${TEST_LOCATIONS.data_region}'`);
      expect(copy).toMatch(/FROM 's3:\/\/test-bucket\//);
    }
  });
});
