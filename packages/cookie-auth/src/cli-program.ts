import { readFileSync } from 'node:fs';
import { type CliIo, cliOutput, createCliProgram, ExitCode, usageError } from '@secblocks/core';
import { readCookies } from './cookie-reader.js';
import { compileCsrfCheck } from './csrf-check.js';
import { isCookieAuthError } from './errors.js';
import { validateReturnPath } from './return-path.js';

type Command = ReturnType<typeof createCliProgram>;

import {
  createSessionCookies,
  type HeaderBudgetInput,
  type SessionCookieOptions,
} from './session-cookies.js';

/** What `inspect-cookie-header` reports per cookie: never the value. */
interface CookieReport {
  name: string;
  bytes: number;
  role: string;
  duplicate: boolean;
}

const DUMMY_KEY = { id: 'check', secret: Buffer.alloc(32, 1) };

/** Builds session-cookie options from a config file, with a placeholder key when encryption is on. */
function sessionOptions(config: Record<string, unknown>): SessionCookieOptions {
  const cookies = (config.cookies ?? {}) as SessionCookieOptions & { encrypted?: boolean };
  const { encrypted, ...rest } = cookies;
  // Config files must not hold keys: `encrypted: true` stands for "keys are supplied at runtime".
  if (rest.encryptionKeys !== undefined)
    throw usageError('cookies.encryptionKeys must not be in a config file; use "encrypted": true');
  return encrypted ? { ...rest, encryptionKeys: [DUMMY_KEY] } : rest;
}

const readConfig = (file: string): Record<string, unknown> => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw usageError(`cannot read config file ${JSON.stringify(file)}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw usageError('config file must be a JSON object');
  }
};

/**
 * Builds the `cookie-auth` command-line program (exported for tests; `cli.ts` runs it).
 * @internal
 */
export function buildCookieAuthProgram(version: string, io?: CliIo): Command {
  const program = createCliProgram({
    name: 'cookie-auth',
    version,
    description:
      'Inspect cookie headers and check @secblocks/cookie-auth configurations (values are never printed)',
    ...(io ? { io } : {}),
  });
  program
    .command('inspect-cookie-header')
    .description(
      'show which cookies the authorizer would read, their sizes and the header budget; never prints values',
    )
    .argument('<header>', 'a Cookie header value (quote it); use - to read it from stdin')
    .option('--config <file>', 'a JSON config file (as for check-config) naming the cookies')
    .action(async (header: string, opts: { config?: string }, cmd: Command) => {
      const out = cliOutput(cmd);
      let value = header;
      if (header === '-') {
        const chunks: Buffer[] = [];
        for await (const c of process.stdin) chunks.push(c as Buffer);
        value = Buffer.concat(chunks).toString('utf8').trim();
      }
      const config = opts.config ? readConfig(opts.config) : {};
      const cookies = createSessionCookies(sessionOptions(config));
      const jar = readCookies(
        { headers: { cookie: value } },
        { maxBytes: Number.MAX_SAFE_INTEGER, maxCookies: Number.MAX_SAFE_INTEGER },
      );
      const capped = readCookies({ headers: { cookie: value } });
      const roleOf = (name: string): string => {
        for (const [role, base] of Object.entries(cookies.names)) {
          if (name === base) return role;
          if (name.startsWith(`${base}.`) && /^\d+$/.test(name.slice(base.length + 1)))
            return `${role} chunk`;
        }
        return 'other';
      };
      const seen = new Set<string>();
      const list: CookieReport[] = [];
      for (const pair of value.split(';')) {
        const eq = pair.indexOf('=');
        if (eq === -1) continue;
        const name = pair.slice(0, eq).trim();
        if (!name || seen.has(name)) continue;
        seen.add(name);
        list.push({
          name,
          bytes: Buffer.byteLength(pair.trim()),
          role: roleOf(name),
          duplicate: jar.duplicates.has(name),
        });
      }
      const access = cookies.encrypted ? undefined : cookies.read(capped, 'accessToken');
      const accessCookie =
        access === undefined
          ? capped.ok
            ? 'encrypted (not decrypted here)'
            : 'COOKIE_HEADER_TOO_LARGE'
          : access.ok
            ? 'present'
            : access.reason;
      // Keys avoid "token"/"cookie": the CLI toolkit redacts such keys in output.
      const report = {
        headerBytes: Buffer.byteLength(value),
        limit: 10_240,
        withinCaps: capped.ok,
        authorizerReads: cookies.names.accessToken,
        authorizerStatus: accessCookie,
        pairs: list,
      };
      out.result(report, (r) =>
        [
          `Cookie header: ${r.headerBytes} bytes (API Gateway limit for all headers: ${r.limit})${r.withinCaps ? '' : ' — OVER THE READ CAP'}`,
          `Authorizer reads ${r.authorizerReads}: ${r.authorizerStatus}`,
          ...r.pairs.map((c) => `  ${c.name}  ${c.bytes} B  ${c.role}${c.duplicate ? '  DUPLICATE' : ''}`),
        ].join('\n'),
      );
      if (!capped.ok || (access !== undefined && !access.ok)) out.setExitCode(ExitCode.FINDINGS);
    });
  program
    .command('check-config')
    .description(
      'validate a JSON config: cookie options, header budget, CSRF origins, return-path allow-lists and URLs',
    )
    .argument(
      '<file>',
      'JSON: { cookies, headerBudget, csrf, allowedReturnPrefixes, defaultReturnPath, redirectUri, logoutUri, domain }',
    )
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const out = cliOutput(cmd);
      const config = readConfig(file);
      const problems: { option: string; message: string }[] = [];
      const attempt = (option: string, fn: () => void) => {
        try {
          fn();
        } catch (e) {
          problems.push({
            option,
            message: isCookieAuthError(e) ? e.message : e instanceof Error ? e.message : 'invalid',
          });
        }
      };
      let budget: ReturnType<ReturnType<typeof createSessionCookies>['headerBudget']> | undefined;
      const sessionConfig = sessionOptions(config); // a usage error (keys in the file) exits 2
      attempt('cookies', () => {
        const cookies = createSessionCookies(sessionConfig);
        budget = cookies.headerBudget((config.headerBudget ?? {}) as HeaderBudgetInput);
        if (!budget.ok)
          problems.push({
            option: 'headerBudget',
            message: `worst case ${budget.totalBytes} bytes exceeds ${budget.limit}`,
          });
      });
      attempt('csrf', () => compileCsrfCheck((config.csrf ?? {}) as never));
      const prefixes = (config.allowedReturnPrefixes ?? ['/']) as unknown;
      if (
        !Array.isArray(prefixes) ||
        !prefixes.every((p) => typeof p === 'string' && validateReturnPath(p) === p)
      ) {
        problems.push({
          option: 'allowedReturnPrefixes',
          message: 'each prefix must be a same-origin /-relative path',
        });
      } else if (
        config.defaultReturnPath !== undefined &&
        validateReturnPath(config.defaultReturnPath, { allowedPrefixes: prefixes }) === undefined
      ) {
        problems.push({
          option: 'defaultReturnPath',
          message: 'must be a /-relative path under allowedReturnPrefixes',
        });
      }
      for (const key of ['redirectUri', 'logoutUri', 'domain'] as const) {
        const v = config[key];
        if (v === undefined) continue;
        let ok = false;
        try {
          ok = typeof v === 'string' && new URL(v).protocol === 'https:';
        } catch {
          ok = false;
        }
        if (!ok) problems.push({ option: key, message: 'must be an absolute https URL' });
      }
      const report = {
        ok: problems.length === 0,
        problems,
        budget: budget && {
          totalBytes: budget.totalBytes,
          limit: budget.limit,
          ok: budget.ok,
          breakdown: budget.cookies,
        },
      };
      out.result(report, (r) =>
        [
          r.ok ? 'Configuration OK' : `${r.problems.length} problem(s):`,
          ...r.problems.map((p) => `  ${p.option}: ${p.message}`),
          ...(r.budget
            ? [`Header budget: ${r.budget.totalBytes} / ${r.budget.limit} bytes (worst case)`]
            : []),
          ...(r.budget ? Object.entries(r.budget.breakdown).map(([n, b]) => `  ${n}: ${b} B`) : []),
        ].join('\n'),
      );
      if (!report.ok) out.setExitCode(ExitCode.FINDINGS);
    });
  return program;
}
