/** How serious a {@link Finding} is: `error` findings make a policy unusable or unsafe. */
export type FindingSeverity = 'error' | 'warning' | 'info';

/** One problem found in an input or a policy, naming the element it is about. */
export interface Finding {
  severity: FindingSeverity;
  /** Stable machine-readable code, e.g. `SIZE_LIMIT_EXCEEDED`, `OVER_BROAD_PATTERN`. */
  code: string;
  /** Human-readable text naming the element (never more than the identifier it is about). */
  message: string;
  /** Where: `Statement[0].Condition.StringLike.aws:userid[2]`, `users[3]`, … */
  path: string;
}
