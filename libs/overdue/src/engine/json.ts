/**
 * Kill Bill's JSON forms of an overdue configuration (OverdueJson, OverdueStateConfigJson,
 * OverdueConditionJson, OverdueStateJson) and the conversion of an uploaded OverdueJson into a
 * configuration (OverdueJson#toOverdueConfigWithValidation).
 */
import Big from 'big.js';
import { daysComponent } from './evaluator';
import type {
  ControlTagType,
  OverdueCancellationPolicy,
  OverdueCondition,
  OverdueConfig,
  OverdueDuration,
  OverdueStateConfig,
  PaymentResponse,
  TimeUnit,
} from './model';

export interface DurationJson {
  readonly unit?: TimeUnit | null;
  readonly number?: number | null;
}

export interface OverdueConditionJson {
  readonly timeSinceEarliestUnpaidInvoiceEqualsOrExceeds?: DurationJson | null;
  readonly controlTagInclusion?: ControlTagType | null;
  readonly controlTagExclusion?: ControlTagType | null;
  readonly numberOfUnpaidInvoicesEqualsOrExceeds?: number | null;
  readonly responseForLastFailedPayment?: readonly PaymentResponse[] | null;
  /** A JSON number (Kill Bill's BigDecimal); a string is read as well. */
  readonly totalUnpaidInvoiceBalanceEqualsOrExceeds?: Big | number | string | null;
}

export interface OverdueStateConfigJson {
  readonly name?: string | null;
  readonly isClearState?: boolean | null;
  readonly condition?: OverdueConditionJson | null;
  readonly externalMessage?: string | null;
  readonly isBlockChanges?: boolean | null;
  readonly isDisableEntitlement?: boolean | null;
  readonly subscriptionCancellationPolicy?: OverdueCancellationPolicy | null;
  readonly autoReevaluationIntervalDays?: number | null;
}

export interface OverdueJson {
  readonly initialReevaluationInterval?: number | null;
  readonly overdueStates?: readonly OverdueStateConfigJson[] | null;
}

/** The account's state as `GET /accounts/{id}/overdue` shows it. */
export interface OverdueStateJson {
  readonly name: string;
  readonly externalMessage: string | null;
  readonly isDisableEntitlementAndChangesBlocked: boolean;
  readonly isBlockChanges: boolean;
  readonly isClearState: boolean;
  readonly reevaluationIntervalDays: number | null;
}

/**
 * An uploaded OverdueJson Kill Bill refuses: `missing` is its NullPointerException (a 400),
 * otherwise its IllegalStateException (a 500).
 */
export class OverdueJsonError extends Error {
  override readonly name = 'OverdueJsonError';

  constructor(
    readonly kind: 'missing' | 'illegal',
    message: string,
  ) {
    super(message);
  }
}

function durationJson(duration: OverdueDuration): DurationJson {
  return { unit: duration.unit, number: duration.number };
}

function conditionJson(condition: OverdueCondition): OverdueConditionJson {
  return {
    timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: condition.timeSinceEarliestUnpaidInvoiceEqualsOrExceeds
      ? durationJson(condition.timeSinceEarliestUnpaidInvoiceEqualsOrExceeds)
      : null,
    controlTagInclusion: condition.controlTagInclusion ?? null,
    controlTagExclusion: condition.controlTagExclusion ?? null,
    numberOfUnpaidInvoicesEqualsOrExceeds: condition.numberOfUnpaidInvoicesEqualsOrExceeds ?? null,
    responseForLastFailedPayment: condition.responseForLastFailedPaymentIn ?? null,
    totalUnpaidInvoiceBalanceEqualsOrExceeds:
      condition.totalUnpaidInvoiceBalanceEqualsOrExceeds === undefined ? null : Number(condition.totalUnpaidInvoiceBalanceEqualsOrExceeds.toFixed()),
  };
}

/** `GET /overdue`: intervals shown as their days component. */
export function overdueConfigToJson(config: OverdueConfig): OverdueJson {
  return {
    initialReevaluationInterval: daysComponent(config.initialReevaluationInterval),
    overdueStates: config.states.map((state) => ({
      name: state.name,
      isClearState: state.isClearState,
      condition: state.condition ? conditionJson(state.condition) : null,
      externalMessage: state.externalMessage,
      isBlockChanges: state.blockChanges,
      isDisableEntitlement: state.disableEntitlementAndChangesBlocked,
      subscriptionCancellationPolicy: state.subscriptionCancellationPolicy,
      autoReevaluationIntervalDays: daysComponent(state.autoReevaluationInterval),
    })),
  };
}

export function overdueStateToJson(state: OverdueStateConfig): OverdueStateJson {
  return {
    name: state.name,
    externalMessage: state.externalMessage,
    isDisableEntitlementAndChangesBlocked: state.disableEntitlementAndChangesBlocked,
    isBlockChanges: state.blockChanges,
    isClearState: state.isClearState,
    reevaluationIntervalDays: daysComponent(state.autoReevaluationInterval),
  };
}

function required<T>(value: T | null | undefined, message: string): T {
  if (value === null || value === undefined) throw new OverdueJsonError('missing', message);
  return value;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new OverdueJsonError('illegal', message);
}

function conditionFromJson(input: OverdueConditionJson): OverdueCondition {
  const age = input.timeSinceEarliestUnpaidInvoiceEqualsOrExceeds;
  const balance = input.totalUnpaidInvoiceBalanceEqualsOrExceeds;
  return {
    ...(age ? { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: required(age.unit, 'unit is null'), number: age.number ?? -1 } } : {}),
    ...(input.controlTagInclusion ? { controlTagInclusion: input.controlTagInclusion } : {}),
    ...(input.controlTagExclusion ? { controlTagExclusion: input.controlTagExclusion } : {}),
    ...(input.numberOfUnpaidInvoicesEqualsOrExceeds !== null && input.numberOfUnpaidInvoicesEqualsOrExceeds !== undefined
      ? { numberOfUnpaidInvoicesEqualsOrExceeds: input.numberOfUnpaidInvoicesEqualsOrExceeds }
      : {}),
    ...(input.responseForLastFailedPayment ? { responseForLastFailedPaymentIn: [...input.responseForLastFailedPayment] } : {}),
    ...(balance !== null && balance !== undefined ? { totalUnpaidInvoiceBalanceEqualsOrExceeds: new Big(balance) } : {}),
  };
}

/**
 * Unless given, a state's re-evaluation interval is the gap to the previous (more severe) state's
 * threshold, so that the account is checked again when it would reach that state.
 */
function reevaluationInterval(given: number | null | undefined, previousThreshold: number, threshold: number): OverdueDuration | undefined {
  if (given !== null && given !== undefined && given > 0) return { unit: 'DAYS', number: given };
  if (previousThreshold === -1) return undefined;
  check(previousThreshold - threshold > 0, 'thresholds of timeSinceEarliestUnpaidInvoiceEqualsOrExceeds must strictly decrease down the list of states');
  return { unit: 'DAYS', number: previousThreshold - threshold };
}

/** Kill Bill only takes time-based states (in days) from JSON, most severe first. */
export function overdueConfigFromJson(input: OverdueJson): OverdueConfig {
  const states: OverdueStateConfig[] = [];
  let previousThreshold = -1;
  for (const state of required(input.overdueStates, 'overdueStates is null')) {
    const name = required(state.name, 'overdueStateConfigJson.getName() is null');
    const condition = required(state.condition, 'overdueStateConfigJson.getCondition() is null');
    const age = required(
      condition.timeSinceEarliestUnpaidInvoiceEqualsOrExceeds,
      'overdueStateConfigJson.getCondition().getTimeSinceEarliestUnpaidInvoiceEqualsOrExceeds() is null',
    );
    const unit = required(age.unit, 'overdueStateConfigJson.getCondition().getTimeSinceEarliestUnpaidInvoiceEqualsOrExceeds().getUnit() is null');
    check(unit === 'DAYS', 'overdueStateConfigJson.getCondition().getTimeSinceEarliestUnpaidInvoiceEqualsOrExceeds().getUnit() != TimeUnit.DAYS');
    const threshold = age.number ?? -1;
    check(threshold > 0, 'overdueStateConfigJson.getCondition().getTimeSinceEarliestUnpaidInvoiceEqualsOrExceeds().getNumber() <= 0');
    // Kill Bill unboxes these into primitive booleans: a missing one is its NullPointerException
    const blockChanges = required(state.isBlockChanges, 'isBlockChanges is null');
    const disable = required(state.isDisableEntitlement, 'isDisableEntitlement is null');
    const isClearState = required(state.isClearState, 'isClearState is null');
    const interval = reevaluationInterval(state.autoReevaluationIntervalDays, previousThreshold, threshold);
    states.push({
      name,
      condition: conditionFromJson(condition),
      externalMessage: state.externalMessage ?? null,
      blockChanges,
      disableEntitlementAndChangesBlocked: disable,
      subscriptionCancellationPolicy: state.subscriptionCancellationPolicy ?? null,
      isClearState,
      ...(interval ? { autoReevaluationInterval: interval } : {}),
    });
    previousThreshold = threshold;
  }
  const initial = reevaluationInterval(null, previousThreshold, 0);
  return { ...(initial ? { initialReevaluationInterval: initial } : {}), states };
}
