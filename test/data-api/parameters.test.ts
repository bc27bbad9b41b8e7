import { ValidationException } from '../../local/data-api/errors';
import { bindParameters } from '../../local/data-api/parameters';

// Named → positional parameters, without an engine: what is a placeholder and what is not.

const bind = (sql: string, parameters: Record<string, string>) =>
  bindParameters(
    [sql],
    Object.entries(parameters).map(([name, value]) => ({ name, value })),
  )[0];

test('each distinct name becomes one $n, in order of first use; values follow that order', () => {
  expect(bind('SELECT :b, :a, :b', { a: '1', b: '2' })).toEqual({
    sql: 'SELECT $1, $2, $1',
    params: ['2', '1'],
  });
});

test('casts, literals, quoted identifiers and comments are left alone', () => {
  const sql = `SELECT :x::int, ':x', "a:x", E':x' -- :x
    /* :x */ FROM t WHERE ts::date = :x`;
  expect(bind(sql, { x: '7' })).toEqual({
    sql: `SELECT $1::int, ':x', "a:x", E':x' -- :x
    /* :x */ FROM t WHERE ts::date = $1`,
    params: ['7'],
  });
});

test('a value is never spliced into the SQL', () => {
  const value = "'; DROP TABLE users; --";
  expect(bind('SELECT :v', { v: value })).toEqual({ sql: 'SELECT $1', params: [value] });
});

test('a batch shares the list: each statement gets its own numbering, every parameter must be used somewhere', () => {
  const parameters = [
    { name: 'a', value: '1' },
    { name: 'b', value: '2' },
  ];
  expect(bindParameters(['SELECT :b', 'SELECT :a, :b'], parameters)).toEqual([
    { sql: 'SELECT $1', params: ['2'] },
    { sql: 'SELECT $1, $2', params: ['1', '2'] },
  ]);
  expect(() => bindParameters(['SELECT :b', 'SELECT :b'], parameters)).toThrow(
    new ValidationException('Parameter(s) :a are not used in the SQL.'),
  );
});

test('missing, unused and repeated parameters, and unparsable SQL, are ValidationExceptions', () => {
  expect(() => bind('SELECT :a, :b, :c', { a: '1' })).toThrow(/No value given for parameter\(s\) :b, :c/);
  expect(() => bind('SELECT 1', { a: '1' })).toThrow(/:a are not used/);
  expect(() =>
    bindParameters(
      ['SELECT :a'],
      [
        { name: 'a', value: '1' },
        { name: 'a', value: '2' },
      ],
    ),
  ).toThrow(ValidationException);
  expect(() => bind("SELECT ':a", { a: '1' })).toThrow(/cannot be parsed/);
});
