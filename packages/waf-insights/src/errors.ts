import { createErrorGuard, SecblocksError, type SecblocksErrorOptions } from '@secblocks/core';

/** Codes of the errors `@secblocks/waf-insights` throws. */
export const WafInsightsErrorCode = {
  /** A factory option is missing or out of range; the message names the option. */
  INVALID_OPTION: 'INVALID_OPTION',
  /** A question or rule parameter is invalid (limit below the minimum, immunity out of range, control character); the message names the parameter. */
  INVALID_PARAMETER: 'INVALID_PARAMETER',
  /** No question with that id exists in the catalog. */
  UNKNOWN_QUESTION: 'UNKNOWN_QUESTION',
  /** A Logs Insights query uses syntax outside the subset the local evaluator supports. */
  UNSUPPORTED_QUERY: 'UNSUPPORTED_QUERY',
  /** A deployable (dashboard, Contributor Insights rule, template) exceeds a service limit. */
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  /** A CloudWatch Logs Insights query ended Failed, Cancelled, Timeout or Unknown. */
  QUERY_FAILED: 'QUERY_FAILED',
  /** The operation was aborted through its `AbortSignal`. */
  ABORTED: 'ABORTED',
  /** An optional peer dependency (for example `@duckdb/node-api`) is not installed. */
  MISSING_DEPENDENCY: 'MISSING_DEPENDENCY',
} as const;

/** One of {@link WafInsightsErrorCode}. */
export type WafInsightsErrorCode = (typeof WafInsightsErrorCode)[keyof typeof WafInsightsErrorCode];

/**
 * The error every `@secblocks/waf-insights` function throws. Messages name the option or parameter
 * (`limit`, `immunityTime`, `ip`), never a log line's content.
 *
 * @example
 * ```ts
 * try { buildRateBasedRule({ name: 'r', limit: 1 }); }
 * catch (e) { if (isWafInsightsError(e)) console.log(e.code, e.parameter); } // INVALID_PARAMETER limit
 * ```
 */
export class WafInsightsError extends SecblocksError<WafInsightsErrorCode> {
  /** The option or parameter at fault, when there is one. */
  readonly parameter: string | undefined;

  constructor(
    code: WafInsightsErrorCode,
    message: string,
    options: SecblocksErrorOptions & { parameter?: string } = {},
  ) {
    super('waf-insights', code, message, options);
    this.parameter = options.parameter;
  }
}

/**
 * Type guard for {@link WafInsightsError}, safe across duplicate ESM/CJS copies of the package.
 *
 * @example
 * ```ts
 * if (isWafInsightsError(e) && e.code === WafInsightsErrorCode.INVALID_PARAMETER) showHelp(e.parameter);
 * ```
 */
export const isWafInsightsError: (value: unknown) => value is WafInsightsError =
  createErrorGuard<WafInsightsError>('waf-insights');

/** @internal */
export function invalidParameter(parameter: string, expectation: string): WafInsightsError {
  return new WafInsightsError(
    WafInsightsErrorCode.INVALID_PARAMETER,
    `Invalid parameter "${parameter}": expected ${expectation}`,
    { parameter },
  );
}

/** @internal */
export function invalidOption(option: string, expectation: string): WafInsightsError {
  return new WafInsightsError(
    WafInsightsErrorCode.INVALID_OPTION,
    `Invalid option "${option}": expected ${expectation}`,
    { parameter: option },
  );
}
