import type { PolicyDocument, PolicyStatement } from '../src/index.js';
import { canonicalizePolicy } from '../src/index.js';

/** Fixed clock: 2026-09-14T12:00:00Z. */
export const NOW = Date.parse('2026-09-14T12:00:00Z');
export const now = (): number => NOW;

/** Canonical form without Sids, to compare shapes with documentation examples that use descriptive Sids. */
export function withoutSids(doc: PolicyDocument): PolicyDocument {
  const strip = (s: PolicyStatement): PolicyStatement => {
    const { Sid: _sid, ...rest } = s;
    return rest as PolicyStatement;
  };
  const c = canonicalizePolicy(doc);
  return { ...c, Statement: Array.isArray(c.Statement) ? c.Statement.map(strip) : strip(c.Statement) };
}
