import type { DataLocations } from '../../contract/environment';

// Apart from the harness, so a test of the SQL templates loads no engine, pipeline or CDK app.
export const TEST_LOCATIONS: DataLocations = {
  song_data_uri: 's3://test-bucket/song_data',
  log_data_uri: 's3://test-bucket/log_data',
  log_jsonpath_uri: 's3://test-bucket/log_json_path.json',
  data_region: 'us-west-2',
  iam_role: 'arn:aws:iam::123456789012:role/test-copy',
};
