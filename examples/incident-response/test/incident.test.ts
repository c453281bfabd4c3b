import { describe, expect, it } from 'vitest';
import { ATTACKER_IP, incidentLogs, PARTNER_MONITOR_IP } from '../src/incident-logs.js';
import { applyToOrganization, COMPROMISED, revokeCompromisedSessions } from '../src/session-revocation.js';
import { investigate } from '../src/waf-investigation.js';

describe('investigate', () => {
  const incident = incidentLogs();
  const ordinary = incidentLogs({ seed: 11 }).filter((r) => r.httpRequest.clientIp !== ATTACKER_IP);
  const f = investigate(incident, ordinary);

  it('ranks the credential-stuffing IP first', () => {
    expect(f.topIps.rows[0]).toMatchObject({ clientIp: ATTACKER_IP, requests: 900 });
  });

  it('finds the partner monitor as the Bot Control false-positive candidate', () => {
    expect(f.falsePositive).toMatchObject({ clientIp: PARTNER_MONITOR_IP, uris: ['/api/v1/items'] });
    expect(f.falsePositive?.blocked).toBe(f.falsePositive?.requests);
  });

  it('recommends a CAPTCHA rule that catches the attacker and nobody on an ordinary day', () => {
    expect(f.recommendation.rule.Action).toEqual({ Captcha: {} });
    expect(f.recommendation.replay.keys.map((k) => k.key)).toEqual([ATTACKER_IP]);
    expect(f.recommendation.replay.previouslyAllowed).toBe(f.recommendation.replay.requests);
    expect(f.replayOnOrdinaryDay.requests).toBe(0);
    expect(f.replayOnOrdinaryDay.inScope).toBeGreaterThan(0);
  });
});

describe('revokeCompromisedSessions', () => {
  const now = Date.UTC(2026, 10, 28, 10, 0, 0);
  const { scp, managementAccount } = revokeCompromisedSessions(now);

  it('proves both documents and names every compromised identity', () => {
    for (const r of [scp, managementAccount]) {
      expect(r.proof.passed).toBe(true);
      expect(r.proof.failures).toEqual([]);
      const json = r.documents.map((d) => d.json).join('');
      for (const id of [...COMPROMISED.users, ...COMPROMISED.sourceIdentities, COMPROMISED.chainedRole]) {
        expect(json).toContain(id);
      }
      expect(json).toContain('"aws:TokenIssueTime":"2026-11-28T10:00:00Z"');
    }
  });

  it('targets SCP limits for member accounts and IAM limits for the management account', () => {
    expect(scp.target).toBe('scp');
    expect(managementAccount.target).toBe('iam');
    expect(scp.documents[0]?.maxSize).toBe(10240);
    expect(managementAccount.documents[0]?.maxSize).toBe(6144);
    expect(scp.findings.map((x) => x.message).join(' ')).toMatch(/management account/);
  });
});

describe('applyToOrganization', () => {
  it('creates and attaches one proven SCP next to FullAWSAccess, and a re-run changes nothing', async () => {
    const rollout = await applyToOrganization(Date.UTC(2026, 10, 28, 10, 0, 0));
    expect(rollout.plan.proof?.passed).toBe(true);
    expect(rollout.result.calls.map((c) => c.operation)).toEqual(['CreatePolicy', 'AttachPolicy']);
    expect(rollout.attached).toEqual(['FullAWSAccess', 'secblocks-revoke-1']);
    expect(rollout.rerunChanged).toBe(false);
  });
});
