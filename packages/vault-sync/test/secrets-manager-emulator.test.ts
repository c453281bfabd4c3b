import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { createFakeClock, testCredentials } from '@secblocks/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type SecretsManagerEmulator, startSecretsManagerEmulator } from '../src/testing/index.js';

let sm: SecretsManagerEmulator;
let client: SecretsManagerClient;
afterEach(async () => {
  client?.destroy();
  await sm?.close();
});
const start = async (options: Parameters<typeof startSecretsManagerEmulator>[0] = {}) => {
  sm = await startSecretsManagerEmulator(options);
  client = new SecretsManagerClient({
    endpoint: sm.endpoint,
    region: 'us-east-1',
    credentials: testCredentials(),
    maxAttempts: 1,
  });
};
const token = (n: number) => `token-${String(n).padStart(30, '0')}`;

describe('startSecretsManagerEmulator', () => {
  it('pages ListSecrets 100 at a time with name and tag filters', async () => {
    await start();
    for (let i = 0; i < 205; i++)
      sm.seed(`app/${String(i).padStart(3, '0')}`, 'v', i % 2 ? { team: 'a' } : undefined);
    sm.seed('other/x', 'v');
    const names: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new ListSecretsCommand({
          MaxResults: 100,
          Filters: [{ Key: 'name', Values: ['app/'] }],
          NextToken: next,
        }),
      );
      names.push(...(page.SecretList ?? []).map((s) => s.Name as string));
      next = page.NextToken;
      pages++;
    } while (next);
    expect(pages).toBe(3);
    expect(names).toHaveLength(205);
    const tagged = await client.send(
      new ListSecretsCommand({ Filters: [{ Key: 'tag-key', Values: ['team'] }] }),
    );
    expect(tagged.SecretList).toHaveLength(100);
    const negated = await client.send(
      new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['!app/'] }] }),
    );
    expect(negated.SecretList?.map((s) => s.Name)).toEqual(['other/x']);
  });

  it('answers the documented errors for existing, scheduled and missing secrets', async () => {
    await start();
    await client.send(
      new CreateSecretCommand({ Name: 'a', SecretString: 'v', ClientRequestToken: token(1) }),
    );
    await expect(
      client.send(new CreateSecretCommand({ Name: 'a', SecretString: 'v' })),
    ).rejects.toMatchObject({ name: 'ResourceExistsException' });
    await client.send(new DeleteSecretCommand({ SecretId: 'a', RecoveryWindowInDays: 7 }));
    await expect(
      client.send(new CreateSecretCommand({ Name: 'a', SecretString: 'v' })),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
    await expect(
      client.send(new PutSecretValueCommand({ SecretId: 'a', SecretString: 'v2' })),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'a' }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });
    expect((await client.send(new DescribeSecretCommand({ SecretId: 'a' }))).DeletedDate).toBeInstanceOf(
      Date,
    );
    const hidden = await client.send(new ListSecretsCommand({}));
    expect(hidden.SecretList).toEqual([]);
    expect(
      (await client.send(new ListSecretsCommand({ IncludePlannedDeletion: true }))).SecretList,
    ).toHaveLength(1);
    await client.send(new RestoreSecretCommand({ SecretId: 'a' }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'a' }))).SecretString).toBe('v');
    await expect(client.send(new DescribeSecretCommand({ SecretId: 'missing' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(
      client.send(new DeleteSecretCommand({ SecretId: 'a', RecoveryWindowInDays: 3 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      client.send(new DeleteSecretCommand({ SecretId: 'missing', ForceDeleteWithoutRecovery: true })),
    ).resolves.toBeDefined();
  });

  it('treats a repeated ClientRequestToken as idempotent for the same value and refuses another value', async () => {
    await start();
    await client.send(
      new CreateSecretCommand({ Name: 'a', SecretString: 'v1', ClientRequestToken: token(1) }),
    );
    await client.send(
      new PutSecretValueCommand({ SecretId: 'a', SecretString: 'v2', ClientRequestToken: token(2) }),
    );
    await client.send(
      new PutSecretValueCommand({ SecretId: 'a', SecretString: 'v2', ClientRequestToken: token(2) }),
    );
    expect(sm.versionCount('a')).toBe(2);
    await expect(
      client.send(
        new PutSecretValueCommand({ SecretId: 'a', SecretString: 'v3', ClientRequestToken: token(2) }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceExistsException',
    });
    expect(sm.secret('a')?.versionsToStages).toEqual({
      [token(1)]: ['AWSPREVIOUS'],
      [token(2)]: ['AWSCURRENT'],
    });
    await client.send(new UpdateSecretCommand({ SecretId: 'a', KmsKeyId: 'alias/k' }));
    expect(sm.secret('a')?.kmsKeyId).toBe('alias/k');
  });

  it('omits Tags for never-tagged secrets and lists [] once all tags are removed', async () => {
    await start();
    sm.seed('a', 'v');
    expect((await client.send(new ListSecretsCommand({}))).SecretList?.[0]?.Tags).toBeUndefined();
    await client.send(new TagResourceCommand({ SecretId: 'a', Tags: [{ Key: 'k', Value: 'v' }] }));
    await client.send(new UntagResourceCommand({ SecretId: 'a', TagKeys: ['k'] }));
    expect((await client.send(new ListSecretsCommand({}))).SecretList?.[0]?.Tags).toEqual([]);
  });

  it('lags ListSecrets behind writes by listLagMs', async () => {
    const clock = createFakeClock(1_000_000);
    await start({ listLagMs: 300_000, now: clock.now });
    await client.send(new CreateSecretCommand({ Name: 'a', SecretString: 'v' }));
    expect((await client.send(new ListSecretsCommand({}))).SecretList).toEqual([]);
    clock.advance(300_000);
    expect((await client.send(new ListSecretsCommand({}))).SecretList).toHaveLength(1);
  });

  it('throttles above the published quotas when enforced', async () => {
    const clock = createFakeClock(1_000_000);
    await start({ enforceQuotas: true, now: clock.now });
    const results = await Promise.allSettled(
      Array.from({ length: 55 }, (_, i) =>
        client.send(new CreateSecretCommand({ Name: `s${i}`, SecretString: 'v' })),
      ),
    );
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.name),
    ).toEqual(Array(5).fill('ThrottlingException'));
    clock.advance(1001);
    await expect(
      client.send(new CreateSecretCommand({ Name: 'later', SecretString: 'v' })),
    ).resolves.toBeDefined();
  });
});
