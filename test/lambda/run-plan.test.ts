import { InvalidInputError } from '../../lambda/shared/errors';
import { planRun, readPlan } from '../../lambda/shared/run-plan';
import { readDataLocations, readWarehouseEnvironment } from '../../lambda/shared/environment';

describe('planRun', () => {
  test.each([[{}], [{ mode: 'full' }], [null], [undefined]])('%p is a full run', (input) => {
    expect(planRun(input, 'exec-1')).toEqual({ runId: 'exec-1', mode: 'full' });
  });

  test.each([
    [[1], /must be a JSON object/],
    ['full', /must be a JSON object/],
    [{ mode: 'nightly' }, /"mode" must be "full", got "nightly"/],
    [{ mod: 'full' }, /unknown key\(s\) mod/],
  ])('%p is refused: %p', (input, message) => {
    expect(() => planRun(input, 'exec-1')).toThrow(InvalidInputError);
    expect(() => planRun(input, 'exec-1')).toThrow(message);
  });

  test('a plan handed back by a later state is read and re-validated', () => {
    expect(readPlan({ runId: 'r', mode: 'full' })).toEqual({ runId: 'r', mode: 'full' });
    expect(() => readPlan({ mode: 'full' })).toThrow(/not a run plan/);
  });
});

describe('the Lambda environment', () => {
  const env = {
    WAREHOUSE_KIND: 'serverless',
    WORKGROUP_NAME: 'wg',
    DATABASE_NAME: 'dev',
    SECRET_ARN: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:x',
    SONG_DATA_URI: 's3://udacity-dend/song_data',
    LOG_DATA_URI: 's3://udacity-dend/log_data',
    LOG_JSONPATH_URI: 's3://udacity-dend/log_json_path.json',
    DATA_REGION: 'us-west-2',
    COPY_ROLE_ARN: 'arn:aws:iam::123456789012:role/copy',
  };

  test('a serverless target is a workgroup; a provisioned one a cluster', () => {
    expect(readWarehouseEnvironment(env).target).toEqual({ kind: 'serverless', workgroupName: 'wg' });
    expect(
      readWarehouseEnvironment({ ...env, WAREHOUSE_KIND: 'provisioned', CLUSTER_IDENTIFIER: 'c1' }).target,
    ).toEqual({ kind: 'provisioned', clusterIdentifier: 'c1' });
  });

  test.each([
    [{ WAREHOUSE_KIND: 'hybrid' }, /WAREHOUSE_KIND is malformed/],
    [{ WORKGROUP_NAME: undefined }, /WORKGROUP_NAME is not set/],
    [{ LOG_DATA_URI: 'https://example.com/x' }, /LOG_DATA_URI is malformed/],
    [{ COPY_ROLE_ARN: "arn:aws:iam::123456789012:role/x' --" }, /COPY_ROLE_ARN is malformed/],
    [{ DATA_REGION: 'west' }, /DATA_REGION is malformed/],
  ])('%p is a configuration error: %p', (override, message) => {
    const read = () => {
      readWarehouseEnvironment({ ...env, ...override });
      readDataLocations({ ...env, ...override });
    };
    expect(read).toThrow(message);
  });
});
