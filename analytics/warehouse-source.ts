import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { causeMessage } from '../contract/errors';
import { WarehouseClient } from '../lambda/shared/redshift-data';
import { LocalS3 } from '../local/copy/local-s3';
import { startDataApiServer } from '../local/data-api/server';
import type { Engine } from '../local/engine/engine';
import { openEngine } from '../local/engine/open-engine';
import { LocalPipeline } from '../local/execution/local-pipeline';
import { generateDataset } from '../local/generator';
import { LocalWarehouse } from '../local/warehouse/local-warehouse';
import { UsageError, type Target } from './options';
import { InterruptedError } from './query-runner';

/** A warehouse the report's queries can be sent to, and how to let go of it. */
export interface WarehouseSource {
  readonly client: WarehouseClient;
  /** Where the answers come from, as the report names it. */
  readonly description: string;
  close(): Promise<void>;
}

// The local endpoint runs everything on its one engine, whatever the request names.
const LOCAL_WAREHOUSE = {
  target: { kind: 'serverless', workgroupName: 'local' },
  database: 'dev',
  secretArn: 'arn:aws:secretsmanager:us-west-2:000000000000:secret:local',
} as const;

// Wait states last this long locally: short, yet no busy loop beside the in-process engine.
const PIPELINE_WAIT_MS = 10;

/**
 * Serves a local warehouse over the Data API, as `npm run local:redshift` does, and a client of it.
 * Redshift analyzes freshly loaded tables by itself; PostgreSQL plans unanalyzed ones as if they
 * held a few rows, which turns the report's joins into nested loops (seconds instead of
 * milliseconds on the real data), so the local engine is given its statistics first.
 */
async function served(
  warehouse: LocalWarehouse,
  description: string,
  release: () => Promise<void>,
): Promise<WarehouseSource> {
  await warehouse.engine.transaction((session) => session.query('ANALYZE'));
  const server = await startDataApiServer({ warehouse });
  const sdk = new RedshiftDataClient({
    endpoint: server.endpoint,
    region: 'us-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    client: new WarehouseClient(LOCAL_WAREHOUSE, sdk),
    description,
    async close() {
      sdk.destroy();
      await server.close();
      await release();
    },
  };
}

/**
 * Loads a data set into the engine with the local pipeline (the synthesized state machine and the
 * real Lambdas), as `npm run local` does, then serves the warehouse it filled.
 */
async function loadedByPipeline(
  engine: Engine,
  dataDir: string | undefined,
  log: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<WarehouseSource> {
  const generated = dataDir === undefined ? mkdtempSync(join(tmpdir(), 'sparkify-analytics-')) : undefined;
  const removeGenerated = () => generated && rmSync(generated, { recursive: true, force: true });
  let pipeline: LocalPipeline | undefined;
  try {
    const dir = generated ?? dataDir!;
    if (generated) {
      const summary = generateDataset({ outDir: generated });
      log(
        `data      generated: ${summary.events.toLocaleString('en-US')} events, ${summary.songs.toLocaleString('en-US')} songs`,
      );
    } else {
      log(`data      ${dir}`);
    }
    pipeline = await LocalPipeline.start({ engine, dataDir: dir, waitMs: PIPELINE_WAIT_MS });
    const started = Date.now();
    const outcome = await pipeline.execute({ mode: 'full' }, signal === undefined ? {} : { signal });
    if (outcome.status === 'ABORTED' && signal?.aborted)
      throw new InterruptedError('the local pipeline was stopped');
    if (outcome.status === 'FAILED')
      throw new Error(`the local pipeline failed: ${outcome.error}: ${causeMessage(outcome.cause)}`);
    if (outcome.status !== 'SUCCEEDED') throw new Error(`the local pipeline ended ${outcome.status}`);
    log(`pipeline  full run SUCCEEDED in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const loaded = pipeline;
    return await served(
      loaded.warehouse,
      `the local warehouse (${engine.description}) after a full run of the local pipeline`,
      async () => {
        await loaded.close();
        await engine.close();
        removeGenerated();
      },
    );
  } catch (error) {
    await pipeline?.close();
    await engine.close();
    removeGenerated();
    throw error;
  }
}

/** Opens the warehouse the options name; for a local one, its engine and Data API endpoint. */
export async function openSource(
  target: Target,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<WarehouseSource> {
  switch (target.kind) {
    case 'deployed': {
      const { warehouse, region } = target;
      const sdk = new RedshiftDataClient(region === undefined ? {} : { region });
      const where =
        warehouse.target.kind === 'serverless'
          ? `workgroup ${warehouse.target.workgroupName}`
          : `cluster ${warehouse.target.clusterIdentifier}`;
      return {
        client: new WarehouseClient(warehouse, sdk),
        description: `Redshift ${where}, database ${warehouse.database}`,
        async close() {
          sdk.destroy();
        },
      };
    }
    case 'local': {
      const engine = await openEngine(target.database);
      log(`engine    ${engine.description}`);
      return served(
        new LocalWarehouse(engine, new LocalS3({})),
        `the local warehouse (${engine.description})`,
        () => engine.close(),
      );
    }
    case 'pipeline': {
      if (target.dataDir !== undefined && !existsSync(target.dataDir))
        throw new UsageError(`--data: no such directory: ${target.dataDir}`);
      const engine = await openEngine(target.database);
      log(`engine    ${engine.description}`);
      return loadedByPipeline(engine, target.dataDir, log, signal);
    }
  }
}
