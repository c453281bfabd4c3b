import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** AWS credentials used to sign the Vault AWS IAM login request. */
export interface AwsSigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Options of {@link buildAwsIamLoginPayload}. */
export interface AwsIamLoginPayloadOptions {
  /** The Vault role to log in as (`bound_iam_principal_arn` binds it to the Lambda role). */
  role: string;
  /** Credentials to sign with (a Lambda's role credentials from the environment by default). */
  credentials: AwsSigningCredentials;
  /**
   * STS endpoint the request is signed for; Vault replays it there.
   * @defaultValue `'https://sts.amazonaws.com/'` (global endpoint, signed for `us-east-1`)
   */
  stsEndpoint?: string;
  /**
   * Signing region; must match the STS endpoint Vault is configured to use.
   * @defaultValue `'us-east-1'`
   */
  region?: string;
  /** Value of `X-Vault-AWS-IAM-Server-ID` when the mount sets `iam_server_id_header_value`; it is signed. */
  serverIdHeader?: string;
  /** Signing time (tests). @defaultValue now */
  signingDate?: Date;
}

/** The body of `POST /v1/auth/aws/login` for the `iam` method. */
export interface AwsIamLoginPayload {
  role: string;
  iam_http_request_method: 'POST';
  iam_request_url: string;
  iam_request_body: string;
  iam_request_headers: string;
}

type Bytes = string | ArrayBuffer | ArrayBufferView;
const toBuffer = (data: Bytes): Buffer | string =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** SHA-256 for the SigV4 signer, on `node:crypto` (HMAC when given a key). @internal */
export class NodeSha256 {
  #hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  readonly #secret: Buffer | string | undefined;
  constructor(secret?: Bytes) {
    this.#secret = secret === undefined ? undefined : toBuffer(secret);
    this.#hash = this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }
  update(data: Bytes): void {
    this.#hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
  reset(): void {
    this.#hash = this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }
}

const STS_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/**
 * Builds Vault's AWS IAM login body: an `sts:GetCallerIdentity` request signed with SigV4 (by
 * `@smithy/signature-v4`, the AWS SDK's own signer), which Vault replays to STS to learn who is calling.
 * No long-lived Vault secret is needed. When `serverIdHeader` is set, `X-Vault-AWS-IAM-Server-ID` is part
 * of the signed headers, which stops a login request captured by another Vault from being replayed here.
 *
 * @param options - Role, credentials, endpoint, region and server ID.
 * @returns The JSON body to `POST` to `auth/<mount>/login`.
 * @see https://developer.hashicorp.com/vault/api-docs/auth/aws#login
 * @example
 * ```ts
 * const body = await buildAwsIamLoginPayload({ role: 'vault-sync', credentials, serverIdHeader: 'vault.example.com' });
 * ```
 */
export async function buildAwsIamLoginPayload(
  options: AwsIamLoginPayloadOptions,
): Promise<AwsIamLoginPayload> {
  const url = new URL(options.stsEndpoint ?? 'https://sts.amazonaws.com/');
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
  };
  if (options.serverIdHeader) headers['x-vault-aws-iam-server-id'] = options.serverIdHeader;
  const signer = new SignatureV4({
    service: 'sts',
    region: options.region ?? 'us-east-1',
    credentials: options.credentials,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname || '/',
      query: {},
      headers,
      body: STS_BODY,
    },
    options.signingDate ? { signingDate: options.signingDate } : {},
  );
  const headerMap: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(signed.headers)) headerMap[k] = [String(v)];
  return {
    role: options.role,
    iam_http_request_method: 'POST',
    iam_request_url: b64(url.toString()),
    iam_request_body: b64(STS_BODY),
    iam_request_headers: b64(JSON.stringify(headerMap)),
  };
}
