import { createHash } from 'node:crypto';
import { type LoopbackServer, startLoopbackServer } from '@secblocks/core/testing';

/** A loopback S3 bucket for `syncResults` tests; see {@link startS3ResultsEmulator}. */
export interface S3ResultsEmulator {
  /** Pass as `S3Client`'s `endpoint`, with `forcePathStyle: true`. */
  readonly endpoint: string;
  /** Puts (or replaces) an object; its ETag is the MD5 of the body, as for single-part uploads. */
  put(key: string, body: Buffer | string, lastModified?: Date): void;
  /** Requests received, as `LIST <prefix>` or `GET <key>`. */
  readonly requests: string[];
  /** Makes the next `times` requests fail with `status` and S3 error `code` (e.g. 503 SlowDown). */
  failNext(times: number, status?: number, code?: string): void;
  /** Stops the server. */
  close(): Promise<void>;
}

const xml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Starts a loopback S3 endpoint holding one bucket, speaking the REST/XML protocol for `ListObjectsV2`
 * (with paging: `pageSize` keys per page) and `GetObject`, path-style. Use it with the real `S3Client` to
 * test result syncing without AWS.
 *
 * @param options - Bucket name and page size.
 * @example
 * ```ts
 * const s3 = await startS3ResultsEmulator({ bucket: 'macie-results' });
 * s3.put('AWSLogs/111122223333/Macie/us-east-1/<job>/111122223333/a.jsonl.gz', gz);
 * const client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1', credentials });
 * ```
 */
export async function startS3ResultsEmulator(options: {
  bucket: string;
  pageSize?: number;
}): Promise<S3ResultsEmulator> {
  const objects = new Map<string, { body: Buffer; etag: string; lastModified: Date }>();
  const requests: string[] = [];
  let faults: { times: number; status: number; code: string } | undefined;
  const pageSize = options.pageSize ?? 1000;
  const server: LoopbackServer = await startLoopbackServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const fail = (status: number, code: string) => {
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`,
      );
    };
    if (faults && faults.times > 0) {
      faults.times--;
      requests.push(`FAULT ${faults.code}`);
      fail(faults.status, faults.code);
      return;
    }
    if (bucket !== options.bucket) return fail(404, 'NoSuchBucket');
    if (!key && url.searchParams.get('list-type') === '2') {
      const prefix = url.searchParams.get('prefix') ?? '';
      requests.push(`LIST ${prefix}`);
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
      const start = Number(url.searchParams.get('continuation-token') ?? '0');
      const page = keys.slice(start, start + pageSize);
      const truncated = start + pageSize < keys.length;
      const contents = page
        .map((k) => {
          const o = objects.get(k) as { body: Buffer; etag: string; lastModified: Date };
          return `<Contents><Key>${xml(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>&quot;${o.etag}&quot;</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
        })
        .join('');
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${xml(options.bucket)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${pageSize}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${start + pageSize}</NextContinuationToken>` : ''}${contents}</ListBucketResult>`,
      );
      return;
    }
    const o = objects.get(key);
    requests.push(`GET ${key}`);
    if (!o) return fail(404, 'NoSuchKey');
    res.writeHead(200, {
      'content-type': 'application/gzip',
      'content-length': String(o.body.length),
      etag: `"${o.etag}"`,
      'last-modified': o.lastModified.toUTCString(),
    });
    res.end(o.body);
  });
  return {
    endpoint: server.url,
    requests,
    put(key, body, lastModified = new Date('2024-06-01T00:00:00Z')) {
      const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
      objects.set(key, { body: b, etag: createHash('md5').update(b).digest('hex'), lastModified });
    },
    failNext(times, status = 503, code = 'SlowDown') {
      faults = { times, status, code };
    },
    close: () => server.close(),
  };
}
