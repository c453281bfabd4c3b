import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildRateBasedRule,
  captchaOnRbrRule,
  isWafInsightsError,
  recommendRateBasedRule,
  replayRule,
  uriPathMatch,
} from '../src/index.js';
import { buildWafLogRecord } from '../src/testing/index.js';

const golden = (f: string): string => readFileSync(new URL(`./golden/${f}`, import.meta.url), 'utf8');

const parameterOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    if (isWafInsightsError(e) && e.code === 'INVALID_PARAMETER') return e.parameter;
    throw e;
  }
  return undefined;
};

describe('captchaOnRbrRule', () => {
  it("reproduces the CAPTCHA post's CaptchaOnRBR rule exactly, key order included", () => {
    expect(JSON.stringify(captchaOnRbrRule())).toBe(
      JSON.stringify(JSON.parse(golden('captcha-on-rbr.json'))),
    );
  });
});

describe('buildRateBasedRule', () => {
  it('names limit when the limit is below the minimum', () => {
    expect(parameterOf(() => buildRateBasedRule({ name: 'r', limit: 9 }))).toBe('limit');
  });

  it('names immunityTime when it is out of the CAPTCHA range', () => {
    expect(
      parameterOf(() => buildRateBasedRule({ name: 'r', limit: 100, action: 'CAPTCHA', immunityTime: 59 })),
    ).toBe('immunityTime');
    expect(
      parameterOf(() =>
        buildRateBasedRule({ name: 'r', limit: 100, action: 'CAPTCHA', immunityTime: 259_201 }),
      ),
    ).toBe('immunityTime');
  });

  it('names immunityTime when the challenge immunity is under 300 seconds', () => {
    expect(
      parameterOf(() =>
        buildRateBasedRule({ name: 'r', limit: 100, action: 'CHALLENGE', immunityTime: 120 }),
      ),
    ).toBe('immunityTime');
  });

  it('names immunityTime when the action is BLOCK', () => {
    expect(parameterOf(() => buildRateBasedRule({ name: 'r', limit: 100, immunityTime: 300 }))).toBe(
      'immunityTime',
    );
  });

  it('names evaluationWindowSec when the window is not 60/120/300/600', () => {
    expect(parameterOf(() => buildRateBasedRule({ name: 'r', limit: 100, evaluationWindowSec: 30 }))).toBe(
      'evaluationWindowSec',
    );
  });

  it('names aggregateKey when the key is unknown', () => {
    expect(
      parameterOf(() => buildRateBasedRule({ name: 'r', limit: 100, aggregateKey: 'SESSION' as never })),
    ).toBe('aggregateKey');
    expect(
      parameterOf(() =>
        buildRateBasedRule({ name: 'r', limit: 100, aggregateKey: { customKeys: [{ Bogus: {} } as never] } }),
      ),
    ).toBe('aggregateKey.customKeys');
  });

  it('builds forwarded-IP and custom-key rules with a Challenge config', () => {
    const fwd = buildRateBasedRule({
      name: 'fwd',
      limit: 500,
      aggregateKey: { forwardedIp: { headerName: 'X-Forwarded-For', fallbackBehavior: 'NO_MATCH' } },
      action: 'CHALLENGE',
      immunityTime: 600,
      evaluationWindowSec: 60,
    });
    expect(fwd.Statement).toEqual({
      RateBasedStatement: {
        Limit: 500,
        EvaluationWindowSec: 60,
        AggregateKeyType: 'FORWARDED_IP',
        ForwardedIPConfig: { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'NO_MATCH' },
      },
    });
    expect(fwd.ChallengeConfig).toEqual({ ImmunityTimeProperty: { ImmunityTime: 600 } });
    const custom = buildRateBasedRule({
      name: 'ja4',
      limit: 50,
      aggregateKey: {
        customKeys: [
          { JA4Fingerprint: { FallbackBehavior: 'NO_MATCH' } },
          { UriPath: { TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }] } },
        ],
      },
      action: 'COUNT',
    });
    expect(custom.Action).toEqual({ Count: {} });
    expect(
      (custom.Statement as { RateBasedStatement: { AggregateKeyType: string } }).RateBasedStatement
        .AggregateKeyType,
    ).toBe('CUSTOM_KEYS');
  });

  it('accepts every limit, window and immunity inside the documented ranges', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 2_000_000_000 }),
        fc.constantFrom(60, 120, 300, 600),
        fc.integer({ min: 60, max: 259_200 }),
        (limit, window, immunity) => {
          const r = buildRateBasedRule({
            name: 'p',
            limit,
            evaluationWindowSec: window,
            action: 'CAPTCHA',
            immunityTime: immunity,
          });
          expect(r.CaptchaConfig?.ImmunityTimeProperty.ImmunityTime).toBe(immunity);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('replayRule', () => {
  const t0 = 1_764_547_200_000;
  const burst = (ip: string, n: number, uri: string, spacingMs: number) =>
    Array.from({ length: n }, (_, i) =>
      buildWafLogRecord({ timestamp: t0 + i * spacingMs, httpRequest: { clientIp: ip, uri } }),
    );

  it('acts on requests after the 100th in 5 minutes from one IP under /store', () => {
    const records = [
      ...burst('198.51.100.1', 130, '/store/item', 1000),
      ...burst('198.51.100.2', 130, '/home', 1000),
      ...burst('198.51.100.3', 90, '/store', 1000),
    ];
    const r = replayRule(captchaOnRbrRule(), records);
    expect(r.inScope).toBe(220);
    expect(r.requests).toBe(30);
    expect(r.keys).toEqual([{ key: '198.51.100.1', requests: 30 }]);
    expect(r.previouslyAllowed).toBe(30);
  });

  it('acts on nothing when the same requests are spread wider than the window', () => {
    const r = replayRule(captchaOnRbrRule(), burst('198.51.100.1', 200, '/store', 4000));
    expect(r.requests).toBe(0);
  });
});

describe('recommendRateBasedRule', () => {
  it('sets the limit from the per-IP window percentile and replays it', () => {
    const t0 = 1_764_547_200_000;
    const normal = Array.from({ length: 50 }, (_, ip) =>
      Array.from({ length: 20 }, (_, i) =>
        buildWafLogRecord({
          timestamp: t0 + i * 10_000,
          httpRequest: { clientIp: `203.0.113.${ip}`, uri: '/login' },
        }),
      ),
    ).flat();
    const attacker = Array.from({ length: 400 }, (_, i) =>
      buildWafLogRecord({
        timestamp: t0 + i * 500,
        httpRequest: { clientIp: '198.51.100.66', uri: '/login' },
      }),
    );
    const rec = recommendRateBasedRule([...normal, ...attacker], {
      uriPrefix: '/login',
      percentile: 95,
      safetyFactor: 1.5,
    });
    expect(rec.statistics.p95).toBe(20);
    const rbs = (rec.rule.Statement as { RateBasedStatement: { Limit: number } }).RateBasedStatement;
    expect(rbs.Limit).toBe(30);
    expect(rec.replay.keys.map((k) => k.key)).toEqual(['198.51.100.66']);
    expect(rec.replay.requests).toBe(370);
  });

  it('names percentile when it is out of range', () => {
    expect(parameterOf(() => recommendRateBasedRule([], { percentile: 20 }))).toBe('percentile');
  });
});

describe('uriPathMatch', () => {
  it('names searchString when it is empty', () => {
    expect(parameterOf(() => uriPathMatch(''))).toBe('searchString');
  });
});
