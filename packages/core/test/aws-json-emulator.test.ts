import {
  CreateSecretCommand,
  DescribeSecretCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AwsServiceError,
  startAwsJsonEmulator,
  startLoopbackServer,
  testCredentials,
} from '../src/testing/index.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

const start = async () => {
  const names = new Set<string>();
  const emu = await startAwsJsonEmulator({
    targetPrefix: 'secretsmanager',
    handlers: {
      CreateSecret: (input) => {
        names.add(String(input.Name));
        return {
          ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${input.Name}-AbCdEf`,
          Name: input.Name,
        };
      },
      DescribeSecret: (input) => {
        if (!names.has(String(input.SecretId))) {
          throw new AwsServiceError(
            'ResourceNotFoundException',
            "Secrets Manager can't find the specified secret.",
          );
        }
        return { Name: input.SecretId };
      },
    },
  });
  closers.push(() => emu.close());
  const client = new SecretsManagerClient({
    endpoint: emu.endpoint,
    region: 'us-east-1',
    credentials: testCredentials(),
    maxAttempts: 1,
  });
  return { emu, client };
};

describe('startAwsJsonEmulator', () => {
  it('serves the real SDK client and records each call', async () => {
    const { emu, client } = await start();
    const out = await client.send(new CreateSecretCommand({ Name: 'app/db', SecretString: 'x' }));
    expect(out.ARN).toMatch(/:secret:app\/db-AbCdEf$/);
    expect(emu.count('CreateSecret')).toBe(1);
    expect(emu.calls[0]).toEqual({
      operation: 'CreateSecret',
      input: expect.objectContaining({ Name: 'app/db' }),
    });
  });

  it('raises the typed SDK exception for an AwsServiceError', async () => {
    const { client } = await start();
    const error = await client.send(new DescribeSecretCommand({ SecretId: 'missing' })).catch((e) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('injects faults for the next calls only, and the SDK retries throttling by itself', async () => {
    const { emu } = await start();
    const retrying = new SecretsManagerClient({
      endpoint: emu.endpoint,
      region: 'us-east-1',
      credentials: testCredentials(),
      maxAttempts: 3,
      retryStrategy: undefined,
    });
    emu.failNext('CreateSecret', { type: 'ThrottlingException' }, 2);
    await retrying.send(new CreateSecretCommand({ Name: 'a', SecretString: 'x' }));
    expect(emu.count('CreateSecret')).toBe(3);
  });

  it('answers unknown operations with UnknownOperationException', async () => {
    const emu = await startAwsJsonEmulator({ targetPrefix: 'secretsmanager', handlers: {} });
    closers.push(() => emu.close());
    const client = new SecretsManagerClient({
      endpoint: emu.endpoint,
      region: 'us-east-1',
      credentials: testCredentials(),
      maxAttempts: 1,
    });
    await expect(client.send(new DescribeSecretCommand({ SecretId: 'x' }))).rejects.toMatchObject({
      name: 'UnknownOperationException',
    });
  });
});

describe('startLoopbackServer', () => {
  it('binds to 127.0.0.1 and hides handler failures behind a bare 500', async () => {
    const server = await startLoopbackServer((req, res, body) => {
      if (req.url === '/boom') throw new Error('secret detail');
      res.end(`echo:${body.toString()}`);
    });
    closers.push(() => server.close());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(server.url, { method: 'POST', body: 'hi' })).text()).toBe('echo:hi');
    const boom = await fetch(`${server.url}/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.text()).not.toContain('secret detail');
  });
});
