import type { QuestionFilters } from './filters.js';
import {
  checkPlan,
  type DIMENSIONS,
  type DimensionId,
  type EmitTarget,
  type EmittedSql,
  emitPlan,
  type Grain,
  type HavingClause,
  type MEASURES,
  type MeasureId,
  type OrderTerm,
  type QueryPlan,
} from './sql-plan.js';

/** The output column name of dimension `D`. */
export type DimAlias<D extends DimensionId> = (typeof DIMENSIONS)[D]['alias'];
/** The output column name of measure `M`. */
export type MeasureAlias<M extends MeasureId> = (typeof MEASURES)[M]['alias'];
/** The value type of measure `M`: a number for counts and sums, else a string or null. */
export type MeasureValue<M extends MeasureId> = (typeof MEASURES)[M]['kind'] extends 'number'
  ? number
  : string | null;

/**
 * The row type of a built question: one `string | null` column per dimension and one column per measure
 * (`number` for counts and bytes, `string` for first/last seen), named by their snake_case aliases.
 */
export type PlanRow<D extends DimensionId, M extends MeasureId> = {
  [K in D as DimAlias<K>]: string | null;
} & {
  [K in M as MeasureAlias<K>]: MeasureValue<K>;
};

/**
 * An immutable, typed builder for custom questions; every method returns a new builder. Compiles to the
 * same {@link QueryPlan} the catalog uses, so it gets both emitters, bound filters and parity for free.
 *
 * @example
 * ```ts
 * const q = detections().by('account', 'type').where({ categories: ['FINANCIAL_INFORMATION'] }).top(10);
 * const { sql, params } = q.emit({ engine: 'athena', table: { table: 'macie_results' } });
 * ```
 */
export class QuestionBuilder<D extends DimensionId = never, M extends MeasureId = never> {
  readonly #plan: QueryPlan;

  /** @internal */
  constructor(plan: QueryPlan) {
    this.#plan = plan;
  }

  /** Groups by these dimensions (appended, in order). */
  by<const N extends DimensionId>(...dimensions: N[]): QuestionBuilder<D | N, M> {
    return new QuestionBuilder({ ...this.#plan, dimensions: [...this.#plan.dimensions, ...dimensions] });
  }

  /** Computes these measures (appended, in order). */
  measure<const N extends MeasureId>(...measures: N[]): QuestionBuilder<D, M | N> {
    return new QuestionBuilder({ ...this.#plan, measures: [...this.#plan.measures, ...measures] });
  }

  /** Adds record filters (merged over earlier ones; every value is validated and bound). */
  where(filters: QuestionFilters): QuestionBuilder<D, M> {
    return new QuestionBuilder({ ...this.#plan, filters: { ...this.#plan.filters, ...filters } });
  }

  /** Joins caller-supplied account labels (enables the `label` dimension) and optionally keeps some labels. */
  labelled(accountLabels: Readonly<Record<string, string>>, keep?: readonly string[]): QuestionBuilder<D, M> {
    return new QuestionBuilder({ ...this.#plan, accountLabels, ...(keep ? { labels: keep } : {}) });
  }

  /** Keeps only public, unencrypted-upload or unencrypted buckets. */
  exposedBucketsOnly(): QuestionBuilder<D, M> {
    return new QuestionBuilder({ ...this.#plan, exposedBucketsOnly: true });
  }

  /** Adds a condition on an aggregate, e.g. `having('firstSeen', '>=', '2025-01-01')`. */
  having(measure: M, op: HavingClause['op'], value: string | number): QuestionBuilder<D, M> {
    return new QuestionBuilder({
      ...this.#plan,
      having: [...(this.#plan.having ?? []), { measure, op, value }],
    });
  }

  /** Replaces the ordering. */
  orderBy(...terms: (OrderTerm & { by: D | M })[]): QuestionBuilder<D, M> {
    return new QuestionBuilder({ ...this.#plan, orderBy: terms });
  }

  /** Keeps the first `n` rows (by the first measure, descending, unless ordered otherwise). */
  top(n: number): QuestionBuilder<D, M> {
    return new QuestionBuilder({ ...this.#plan, limit: n });
  }

  /**
   * The logical plan.
   *
   * @throws {@link MacieQueryError} `INVALID_OPTION` when the plan is inconsistent (e.g. `type` on the objects grain).
   */
  plan(): QueryPlan {
    const plan = this.#plan.measures.length
      ? this.#plan
      : {
          ...this.#plan,
          measures: [this.#plan.grain === 'detections' ? 'detections' : 'objects'] as MeasureId[],
        };
    checkPlan(plan);
    return plan;
  }

  /** Emits SQL for one engine (see {@link emitPlan}). */
  emit(target: EmitTarget): EmittedSql {
    return emitPlan(this.plan(), target);
  }

  /** @internal Phantom for the row type. */
  declare readonly row: PlanRow<D, M>;
}

function start(grain: Grain): QuestionBuilder<never, never> {
  return new QuestionBuilder({ grain, dimensions: [], measures: [], filters: { archiveMembers: 'exclude' } });
}

/**
 * Starts a custom question over detections (one row per sensitive data type found in a result, custom
 * identifiers included as category `CUSTOM_IDENTIFIER`). Archive members are excluded unless
 * `where({ archiveMembers })` says otherwise. Without `.measure(...)`, it sums detections.
 *
 * @returns A builder.
 * @example
 * ```ts
 * detections().by('bucket', 'type').where({ accounts: ['111122223333'] }).top(5);
 * ```
 */
export function detections(): QuestionBuilder<never, never> {
  return start('detections');
}

/**
 * Starts a custom question over result records (one per object analyzed or skipped). Without
 * `.measure(...)`, it counts objects.
 *
 * @returns A builder.
 * @example
 * ```ts
 * objects().by('statusCode', 'statusReason').measure('objects', 'bytesNotAnalyzed');
 * ```
 */
export function objects(): QuestionBuilder<never, never> {
  return start('objects');
}
