/** How to reach a local warehouse from outside the pipeline: printed by `local` and `local:redshift`. */

/** Where `npm run local:redshift` serves the Data API unless told otherwise. */
export const DEFAULT_DATA_API_PORT = 4599;

/**
 * The AWS CLI against a local endpoint, both ways: the environment variable for one shell, and
 * `--endpoint-url` on the command, which older AWS CLIs and SDKs need (they ignore
 * AWS_ENDPOINT_URL_REDSHIFT_DATA). Credentials are not checked, but the CLI wants some.
 */
export function awsCliLines(endpoint: string): string[] {
  const sql = "'SELECT COUNT(*) FROM songplays'";
  return [
    'export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-west-2',
    '',
    `aws redshift-data execute-statement --endpoint-url ${endpoint} \\`,
    `    --workgroup-name local --database dev --sql ${sql}`,
    `aws redshift-data get-statement-result --endpoint-url ${endpoint} --id <Id>`,
    '',
    'or, for every command of this shell, with an AWS CLI or SDK recent enough to read it:',
    '',
    `export AWS_ENDPOINT_URL_REDSHIFT_DATA=${endpoint}`,
    `aws redshift-data execute-statement --workgroup-name local --database dev --sql ${sql}`,
    'aws redshift-data describe-statement --id <Id>',
    'aws redshift-data get-statement-result --id <Id>',
  ];
}

/** What `npm run local` prints after a run on a database that outlives it. */
export function queryHints(database: string): string {
  const endpoint = `http://127.0.0.1:${DEFAULT_DATA_API_PORT}`;
  return [
    'Query this warehouse:',
    `  npm run analytics -- --database ${database}`,
    `  npm run local:redshift -- --database ${database}`,
    `then, in another shell, through the Data API it serves at ${endpoint}:`,
    ...awsCliLines(endpoint)
      .slice(0, 4)
      .map((line) => (line === '' ? '' : `  ${line}`)),
  ].join('\n');
}
