import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalWarehouse } from '../warehouse/local-warehouse';
import {
  DataApiError,
  SerializationException,
  UnknownOperationException,
  ValidationException,
} from './errors';
import type { Input } from './input';
import { dataApiHandlers, type Caller, type Handler } from './operations';
import { StatementQueue } from './statement-queue';
import { toWireJson } from './wire-json';

/**
 * Enough for a full batch (40 statements of 100 KB) with JSON's escaping; anything larger is
 * refused before it is read into memory.
 */
export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

const TARGET_PREFIX = 'RedshiftData.';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export interface DataApiServerOptions {
  readonly warehouse: LocalWarehouse;
  /**
   * A loopback address: without an authorizer any caller is served, so it must not be reachable
   * from elsewhere.
   */
  readonly host?: string;
  /** 0 (the default) takes any free port. */
  readonly port?: number;
  /** Epoch milliseconds, for CreatedAt/UpdatedAt and the 24-hour expiry; tests move it forward. */
  readonly now?: () => number;
  /**
   * Decides, as IAM would, whether the signer of a request may make it; without one, any caller
   * is accepted (a person's own scripts against `local:redshift`).
   */
  readonly authorizer?: DataApiAuthorizer;
}

/** A request as an authorizer sees it, before it runs. */
export interface DataApiCall {
  /** `ExecuteStatement`, `DescribeStatement`, … */
  readonly operation: string;
  readonly input: Input;
  /** The request as received, for its SigV4 signature. */
  readonly request: ReceivedRequest;
  /** The `aws:userid` that submitted a statement (or batch, or sub-statement) by id. */
  ownerOf(id: string): string | undefined;
}

export interface ReceivedRequest {
  readonly method: string;
  /** Path and query string. */
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

/** Returns who is calling, or throws the DataApiError AWS answers with (AccessDeniedException…). */
export type DataApiAuthorizer = (call: DataApiCall) => Caller;

export interface DataApiServer {
  /** `http://127.0.0.1:PORT`: a Data API client's `endpoint`, or AWS_ENDPOINT_URL_REDSHIFT_DATA. */
  readonly endpoint: string;
  /**
   * Resolves once the statement `id`, queued or running now, ends; undefined when no such statement
   * is active. A local poll loop's Wait ends then (local-execution.ts).
   */
  whenEnded(id: string): Promise<void> | undefined;
  /** Stops listening, aborts what is queued or running and waits until the engine is idle. */
  close(): Promise<void>;
}

export class NotLoopbackError extends Error {
  override readonly name = 'NotLoopbackError';
}

/**
 * The Redshift Data API on loopback, over AWS JSON 1.1 as the SDKs and the AWS CLI speak it
 * (POST /, `X-Amz-Target: RedshiftData.<Operation>`), running its statements on the local warehouse.
 */
export async function startDataApiServer(options: DataApiServerOptions): Promise<DataApiServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new NotLoopbackError(`the local Data API listens on loopback only (127.0.0.1, ::1), not ${host}`);
  }
  const queue = new StatementQueue(options.warehouse, options.now);
  const handlers = dataApiHandlers(queue);
  const authorize = options.authorizer;
  const ownerOf = (id: string) => queue.find(id).statement.owner?.userid;
  const server = createServer(
    (request, response) =>
      void serve(handlers, request, response, (operation, input, body) =>
        authorize?.({
          operation,
          input,
          request: { method: request.method ?? '', url: request.url ?? '/', headers: request.headers, body },
          ownerOf,
        }),
      ),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    whenEnded: (id) => queue.whenEnded(id),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await queue.close();
    },
  };
}

async function serve(
  handlers: Readonly<Record<string, Handler>>,
  request: IncomingMessage,
  response: ServerResponse,
  authorize: (operation: string, input: Input, body: Buffer) => Caller | undefined,
): Promise<void> {
  const requestId = randomUUID();
  try {
    const { operation, handler } = handlerFor(handlers, request);
    const body = await readBody(request);
    const input = parseInput(body);
    send(response, requestId, 200, handler(input, authorize(operation, input, body)));
  } catch (error) {
    if (error instanceof DataApiError) {
      send(response, requestId, error.httpStatus, {
        __type: error.name,
        Message: error.message,
        ...error.members,
      });
    } else {
      const message = error instanceof Error ? error.message : String(error);
      send(response, requestId, 500, { __type: 'InternalServerException', Message: message });
    }
  }
}

function handlerFor(
  handlers: Readonly<Record<string, Handler>>,
  request: IncomingMessage,
): { operation: string; handler: Handler } {
  const target = request.headers['x-amz-target'];
  const operation =
    typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const handler =
    request.method === 'POST' && Object.hasOwn(handlers, operation) ? handlers[operation] : undefined;
  if (!handler) {
    throw new UnknownOperationException(
      `${request.method} ${target ?? '(no X-Amz-Target)'} is not served locally; the local Data API serves ` +
        Object.keys(handlers)
          .map((name) => TARGET_PREFIX + name)
          .join(', '),
    );
  }
  return { operation, handler };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const tooLarge = () =>
    new ValidationException(`The request is larger than ${MAX_REQUEST_BYTES} bytes.`, 413);
  if (Number(request.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parseInput(body: Buffer): Input {
  let input: unknown;
  try {
    input = JSON.parse(body.toString('utf8') || '{}');
  } catch (error) {
    throw new SerializationException(`The body is not JSON: ${(error as Error).message}`);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SerializationException('The body must be a JSON object.');
  }
  return input as Input;
}

function send(response: ServerResponse, requestId: string, status: number, body: object): void {
  const text = toWireJson(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    // A refused body is not read: the connection cannot carry another request after it.
    ...(status === 413 ? { connection: 'close' } : {}),
  });
  response.end(text);
}
