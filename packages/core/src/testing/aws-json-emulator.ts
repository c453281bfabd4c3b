import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request handler for {@link startLoopbackServer}: gets the whole body, writes the response. */
export type LoopbackHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
) => void | Promise<void>;

/** A running loopback HTTP server; see {@link startLoopbackServer}. */
export interface LoopbackServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on `127.0.0.1` with an ephemeral port: the base of every secblocks emulator
 * (Vault, OIDC issuers, AWS query/XML protocols). A handler that throws answers 500 with no detail.
 *
 * @param handler - Called with the request, response and the fully read body.
 * @example
 * ```ts
 * const server = await startLoopbackServer((req, res) => { res.end('ok'); });
 * await fetch(server.url);
 * await server.close();
 * ```
 */
export async function startLoopbackServer(handler: LoopbackHandler): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Promise.resolve()
        .then(() => handler(req, res, Buffer.concat(chunks)))
        .catch(() => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('emulator handler failed');
        });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * An AWS service error an emulator handler throws; it is sent the way AWS JSON-protocol services send
 * errors (`{"__type": type, "message": …}` plus the `x-amzn-ErrorType` header), so the real SDK client
 * raises its typed exception (e.g. `ResourceNotFoundException`).
 *
 * @example
 * ```ts
 * throw new AwsServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
 * ```
 */
export class AwsServiceError extends Error {
  /** The AWS error code, e.g. `ThrottlingException`. */
  readonly type: string;
  /** HTTP status to answer with. */
  readonly status: number;
  /** Extra fields for the error body (e.g. `CancellationReasons`). */
  readonly fields: Record<string, unknown>;

  constructor(type: string, message: string, status = 400, fields: Record<string, unknown> = {}) {
    super(message);
    this.name = 'AwsServiceError';
    this.type = type;
    this.status = status;
    this.fields = fields;
  }
}

/** What a handler of {@link startAwsJsonEmulator} is told besides the input. */
export interface AwsJsonRequestContext {
  /** The operation name, e.g. `CreateSecret`. */
  operation: string;
  /** The request headers (SigV4 `authorization`, `x-amz-date`, …). */
  headers: IncomingHttpHeaders;
  /** The 1-based number of this call among all calls to the emulator. */
  sequence: number;
}

/** Handles one AWS JSON operation: returns the output object or throws {@link AwsServiceError}. */
export type AwsJsonHandler = (input: Record<string, unknown>, context: AwsJsonRequestContext) => unknown;

/** Options of {@link startAwsJsonEmulator}. */
export interface AwsJsonEmulatorOptions {
  /**
   * The service's `X-Amz-Target` prefix: `secretsmanager`, `TrentService` (KMS), `AmazonAthena`,
   * `Logs_20140328` (CloudWatch Logs), `AWSOrganizationsV20161128`, …
   */
  targetPrefix: string;
  /** Operation name → handler. Unknown operations answer `UnknownOperationException`. */
  handlers: Record<string, AwsJsonHandler>;
}

/** One call recorded by an emulator. */
export interface RecordedCall {
  operation: string;
  input: Record<string, unknown>;
}

/** A fault to inject; see {@link AwsJsonEmulator.failNext}. */
export interface InjectedFault {
  /** AWS error code, e.g. `ThrottlingException`. */
  type: string;
  /** @defaultValue `'Rate exceeded'` */
  message?: string;
  /** @defaultValue `400` */
  status?: number;
}

/** A running AWS JSON-protocol emulator; see {@link startAwsJsonEmulator}. */
export interface AwsJsonEmulator {
  /** Pass as the SDK client's `endpoint`. */
  readonly endpoint: string;
  /** Every call received, in order (faulted ones included). */
  readonly calls: RecordedCall[];
  /** Number of calls, of one operation or of all. */
  count(operation?: string): number;
  /** Makes the next `times` calls of `operation` (or of any operation, with `'*'`) fail with `fault`. */
  failNext(operation: string, fault: InjectedFault, times?: number): void;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * Starts a loopback emulator for an AWS service that speaks the JSON 1.0/1.1 protocol (`X-Amz-Target:
 * <prefix>.<Operation>`, JSON bodies, `__type` errors). Point the real SDK v3 client at `endpoint`;
 * record calls, count them, and inject faults such as throttling. Handlers hold the service's state.
 *
 * @param options - Target prefix and handlers.
 * @example
 * ```ts
 * const kms = await startAwsJsonEmulator({ targetPrefix: 'TrentService', handlers: { GenerateDataKey: (input) => … } });
 * const client = new KMSClient({ endpoint: kms.endpoint, region: 'us-east-1', credentials });
 * ```
 */
export async function startAwsJsonEmulator(options: AwsJsonEmulatorOptions): Promise<AwsJsonEmulator> {
  const calls: RecordedCall[] = [];
  const faults: { operation: string; fault: InjectedFault; times: number }[] = [];
  const server = await startLoopbackServer(async (req, res, body) => {
    const contentType = String(req.headers['content-type'] ?? 'application/x-amz-json-1.1');
    const send = (status: number, payload: unknown, errorType?: string): void => {
      const headers: Record<string, string> = {
        'content-type': contentType,
        'x-amzn-requestid': crypto.randomUUID(),
      };
      if (errorType) headers['x-amzn-errortype'] = errorType;
      res.writeHead(status, headers);
      res.end(JSON.stringify(payload ?? {}));
    };
    const target = String(req.headers['x-amz-target'] ?? '');
    const dot = target.lastIndexOf('.');
    const prefix = target.slice(0, dot);
    const operation = target.slice(dot + 1);
    if (req.method !== 'POST' || prefix !== options.targetPrefix) {
      send(
        400,
        { __type: 'UnknownOperationException', message: 'Unknown target' },
        'UnknownOperationException',
      );
      return;
    }
    let input: Record<string, unknown>;
    try {
      input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      send(400, { __type: 'SerializationException', message: 'Invalid JSON' }, 'SerializationException');
      return;
    }
    calls.push({ operation, input });
    const faultIndex = faults.findIndex((f) => f.operation === operation || f.operation === '*');
    if (faultIndex >= 0) {
      const f = faults[faultIndex] as (typeof faults)[number];
      if (--f.times <= 0) faults.splice(faultIndex, 1);
      send(
        f.fault.status ?? 400,
        { __type: f.fault.type, message: f.fault.message ?? 'Rate exceeded' },
        f.fault.type,
      );
      return;
    }
    const handler = options.handlers[operation];
    if (!handler) {
      send(
        400,
        { __type: 'UnknownOperationException', message: `Unsupported operation ${operation}` },
        'UnknownOperationException',
      );
      return;
    }
    try {
      const output = await handler(input, { operation, headers: req.headers, sequence: calls.length });
      send(200, output ?? {});
    } catch (error) {
      if (error instanceof AwsServiceError) {
        send(error.status, { ...error.fields, __type: error.type, message: error.message }, error.type);
      } else {
        send(
          500,
          { __type: 'InternalFailure', message: 'The request processing has failed.' },
          'InternalFailure',
        );
      }
    }
  });
  return {
    endpoint: server.url,
    calls,
    count: (operation) => (operation ? calls.filter((c) => c.operation === operation).length : calls.length),
    failNext: (operation, fault, times = 1) => {
      faults.push({ operation, fault, times });
    },
    close: () => server.close(),
  };
}

/**
 * Fresh static test credentials for an SDK client pointed at an emulator (a new object each call: the SDK
 * annotates the credentials object it is given).
 *
 * @example
 * ```ts
 * new SecretsManagerClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: testCredentials() });
 * ```
 */
export function testCredentials(): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'emulator-secret-access-key-not-real' };
}
