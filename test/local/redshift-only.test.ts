import { translate } from '../../local/warehouse/dialect';
import { PostgresOnlyError } from '../../local/warehouse/redshift-only';

// PostgreSQL that Redshift refuses is refused locally, naming the construct; the same text inside a
// literal, a comment or a quoted identifier is not a construct and passes.

test.each([
  ['ON CONFLICT', 'INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING', /ON CONFLICT/],
  ['RETURNING', 'DELETE FROM t WHERE a = 1 RETURNING a', /RETURNING/],
  ['DISTINCT ON', 'SELECT DISTINCT ON (a) a, b FROM t ORDER BY a, b', /DISTINCT ON/],
  ['CREATE INDEX', 'CREATE INDEX t_a ON t (a)', /CREATE INDEX/],
  ['CREATE UNIQUE INDEX', 'CREATE UNIQUE INDEX t_a ON t (a)', /CREATE INDEX/],
  ['->', "SELECT doc -> 'a' FROM t", /JSON operator ->/],
  ['->>', "SELECT doc->>'a' FROM t", /JSON operator ->>/],
  ['#>', "SELECT doc #> '{a,b}' FROM t", /JSON operator #>/],
  ['#>>', "SELECT doc #>> '{a,b}' FROM t", /JSON operator #>>/],
  ['@>', 'SELECT * FROM t WHERE doc @> \'{"a":1}\'', /JSON operator @>/],
  ['<@', 'SELECT * FROM t WHERE doc <@ \'{"a":1}\'', /JSON operator <@/],
  ['?', "SELECT * FROM t WHERE doc ? 'a'", /JSON operator \?/],
  ['?|', "SELECT * FROM t WHERE doc ?| '{a}'", /JSON operator \?\|/],
  ['?&', "SELECT * FROM t WHERE doc ?& '{a}'", /JSON operator \?&/],
  ['a json column', 'CREATE TABLE t (a INT, doc JSON)', /type JSON/],
  ['a jsonb column', 'ALTER TABLE t ADD COLUMN doc jsonb', /type jsonb/],
  ['a ::jsonb cast', "SELECT '{}'::jsonb", /type jsonb/],
  ['a CAST AS json', "SELECT CAST('{}' AS json)", /type json/],
  ['ARRAY[…]', 'SELECT ARRAY[1, 2]', /ARRAY\[…\]/],
  ['an array column', 'CREATE TABLE t (a INT[])', /array type/],
  ['an array cast', "SELECT '{1}'::int[]", /array type/],
  ['= ANY(array)', 'SELECT * FROM t WHERE a = ANY (:ids)', /ANY\/SOME\/ALL over an array/],
  ['SERIAL', 'CREATE TABLE t (id SERIAL, a INT)', /type SERIAL/],
  ['BIGSERIAL', 'CREATE TABLE t (a INT, id bigserial NOT NULL)', /type bigserial/],
  ['array_agg', 'SELECT array_agg(a) FROM t', /function array_agg\(…\)/],
  ['unnest', 'SELECT * FROM unnest(:ids)', /function unnest\(…\)/],
  ['jsonb_build_object', "SELECT jsonb_build_object('a', a) FROM t", /function jsonb_build_object\(…\)/],
  ['to_json', 'SELECT to_json(t) FROM t', /function to_json\(…\)/],
  ['FILTER (WHERE …)', 'SELECT COUNT(*) FILTER (WHERE a > 1) FROM t', /FILTER \(WHERE …\)/],
])('%s is refused', (_, sql, construct) => {
  expect(() => translate(sql)).toThrow(PostgresOnlyError);
  expect(() => translate(sql)).toThrow(construct);
  expect(() => translate(sql)).toThrow(/Amazon Redshift does not support/);
});

test.each([
  ['in string literals', "SELECT 'ON CONFLICT', 'a -> b', 'x ? y', 'int[]', 'ARRAY[1]', 'RETURNING' FROM t"],
  ['in comments', 'SELECT a /* RETURNING a, doc -> 1 */ FROM t -- ON CONFLICT DO NOTHING'],
  ['as quoted identifiers', 'SELECT "returning", "json", "?" FROM "serial"'],
  [
    'as words Redshift accepts',
    'SELECT a FROM t WHERE a = ANY (SELECT b FROM u) UNION ALL SELECT json FROM t',
  ],
  ['as Redshift JSON functions', "SELECT json_extract_path_text(doc, 'a'), json_parse(doc) FROM t"],
  ['in COPY options', "COPY t FROM 's3://b/k' IAM_ROLE default FORMAT AS JSON 'auto'"],
])('the same text %s passes', (_, sql) => {
  expect(() => translate(sql)).not.toThrow();
});

test('an operator ends where PostgreSQL ends it: a = -1 is no JSON operator', () => {
  expect(() => translate('SELECT * FROM t WHERE a=-1 AND b<-2')).not.toThrow();
});
