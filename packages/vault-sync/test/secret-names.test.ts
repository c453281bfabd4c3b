import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareVersionId,
  createSecretsManagerTarget,
  encodeVaultPath,
  nameContext,
  renderSecretName,
  secretNameProblem,
  versionToken,
} from '../src/index.js';

const segment = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('/'));
const identity = fc.record({
  instanceId: fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/),
  name: fc.stringMatching(/^[A-Za-z0-9/_+=.@-]{1,256}$/),
  namespace: fc.string({ maxLength: 20 }),
  mount: fc.string({ minLength: 1, maxLength: 20 }),
  path: fc.string({ minLength: 1, maxLength: 40 }),
  version: fc.integer({ min: 1, max: 9_999_999_999 }),
  createdTime: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  transform: fc.constantFrom('json', 'binary:_b64'),
});

describe('encodeVaultPath', () => {
  it('round-trips any path segment by segment', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        const encoded = encodeVaultPath(segments.join('/'));
        expect(encoded.split('/').map(decodeURIComponent)).toEqual(segments);
        expect(encoded).not.toMatch(/[?#\s%](?![0-9A-F]{2})/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('secretNameProblem', () => {
  it('accepts exactly the names Secrets Manager accepts and that are unambiguous', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (name) => {
        const ok =
          name.length >= 1 &&
          name.length <= 256 &&
          /^[A-Za-z0-9/_+=.@-]+$/.test(name) &&
          !/-[A-Za-z0-9]{6}$/.test(name) &&
          !name.includes('//');
        expect(secretNameProblem(name) === undefined).toBe(ok);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects the -XXXXXX suffix trap', () => {
    expect(secretNameProblem('app/db-prod01')).toMatch(/six characters/);
    expect(secretNameProblem('app/db-prod1')).toBeUndefined();
  });
});

describe('renderSecretName', () => {
  it('fills every placeholder', () => {
    const ctx = nameContext('team', 'secret', 'apps', 'apps/billing/db');
    expect(renderSecretName('{{namespace}}/{{mount}}/{{path}}|{{relativePath}}|{{key}}', ctx)).toBe(
      'team/secret/apps/billing/db|billing/db|db',
    );
  });
});

describe('createSecretsManagerTarget', () => {
  it('throws INVALID_OPTION naming the option for a bad template, tags or rate', () => {
    expect(() => createSecretsManagerTarget({ nameTemplate: 'vault/{{mount}}' })).toThrow(/"nameTemplate"/);
    expect(() => createSecretsManagerTarget({ nameTemplate: 'vault/{{owner}}/{{path}}' })).toThrow(
      /"nameTemplate"/,
    );
    expect(() => createSecretsManagerTarget({ nameTemplate: 'vault space/{{path}}' })).toThrow(
      /"nameTemplate"/,
    );
    const tags = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`t${i}`, 'v']));
    expect(() => createSecretsManagerTarget({ tags })).toThrow(/"tags"/);
    expect(() => createSecretsManagerTarget({ tags: { 'aws:x': '1' } })).toThrow(/"tags"/);
    expect(() => createSecretsManagerTarget({ tags: { 'vault-sync:owner': '1' } })).toThrow(/"tags"/);
    expect(() => createSecretsManagerTarget({ rateLimits: { write: 0 } })).toThrow(/"rateLimits.write"/);
    expect(() => createSecretsManagerTarget({ replicaRegions: [{ region: 'mars' }] })).toThrow(
      /"replicaRegions"/,
    );
  });
});

describe('versionToken', () => {
  it('is 60 characters, a valid ClientRequestToken, and recognised as expected', () => {
    fc.assert(
      fc.property(identity, (id) => {
        const token = versionToken(id);
        expect(token).toHaveLength(60);
        expect(token).toMatch(/^vs1-\d{10}-[0-9a-f]{12}-[0-9a-f]{32}$/);
        expect(compareVersionId(token, token, id.instanceId, id.name)).toBe('expected');
        const revert = versionToken(id, 'EXAMPLE1-90ab-cdef-fedc-ba987SECRET1');
        expect(revert).toHaveLength(60);
        expect(revert).not.toBe(token);
        expect(compareVersionId(revert, token, id.instanceId, id.name)).toBe('expected');
      }),
      { numRuns: 100 },
    );
  });

  it('marks another version of ours as ours-other and anyone else as foreign', () => {
    fc.assert(
      fc.property(identity, fc.integer({ min: 1, max: 1000 }), (id, bump) => {
        const token = versionToken(id);
        const other = versionToken({ ...id, version: id.version + bump });
        expect(compareVersionId(other, token, id.instanceId, id.name)).toBe('ours-other');
        expect(compareVersionId(token, token, `${id.instanceId}x`, id.name)).toBe('foreign');
        expect(compareVersionId('EXAMPLE1-90ab-cdef-fedc-ba987SECRET1', token, id.instanceId, id.name)).toBe(
          'foreign',
        );
      }),
      { numRuns: 100 },
    );
  });
});
