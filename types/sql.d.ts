// SQL files are bundled as text: esbuild's `text` loader for the Lambdas and the local runner,
// test/support/sql-text-transform.cjs under jest.
declare module '*.sql' {
  const text: string;
  export default text;
}
