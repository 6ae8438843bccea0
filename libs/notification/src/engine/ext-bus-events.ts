import { ENT_BLOCKED, ENT_CANCELLED, ENT_CLEAR, ENT_STARTED, ENTITLEMENT_SERVICE } from '@kb/entitlement/engine';

/** Kill Bill's ExtBusEventType values this server can emit. */
export type ExtBusEventType =
  | 'ACCOUNT_CREATION'
  | 'ACCOUNT_CHANGE'
  | 'BLOCKING_STATE'
  | 'BUNDLE_PAUSE'
  | 'BUNDLE_RESUME'
  | 'ENTITLEMENT_CREATION'
  | 'ENTITLEMENT_CANCEL'
  | 'SUBSCRIPTION_CREATION'
  | 'SUBSCRIPTION_PHASE'
  | 'SUBSCRIPTION_CHANGE'
  | 'SUBSCRIPTION_CANCEL'
  | 'SUBSCRIPTION_UNCANCEL'
  | 'SUBSCRIPTION_BCD_CHANGE'
  | 'SUBSCRIPTION_QUANTITY'
  | 'SUBSCRIPTION_EXPIRED'
  | 'OVERDUE_CHANGE'
  | 'INVOICE_CREATION'
  | 'INVOICE_ADJUSTMENT'
  | 'INVOICE_PAYMENT_SUCCESS'
  | 'INVOICE_PAYMENT_FAILED'
  | 'PAYMENT_SUCCESS'
  | 'PAYMENT_FAILED'
  | 'TAG_CREATION'
  | 'TAG_DELETION'
  | 'CUSTOM_FIELD_CREATION'
  | 'CUSTOM_FIELD_DELETION'
  | 'TENANT_CONFIG_CHANGE'
  | 'TENANT_CONFIG_DELETION';

/** Kill Bill's ExtBusEvent as a push notification carries it (NotificationJson). */
export interface ExtBusEvent {
  readonly eventType: ExtBusEventType;
  readonly objectType: string;
  readonly objectId: string | null;
  readonly accountId: string | null;
  /** A JSON document as a string (Kill Bill's `*Metadata` objects), or null. */
  readonly metaData: string | null;
}

/** Kill Bill's BlockingTransitionInternalEvent flags: the blockable's aggregate state before and after. */
export interface BlockingTransition {
  readonly isTransitionedToBlockedBilling: boolean;
  readonly isTransitionedToUnblockedBilling: boolean;
  readonly isTransitionedToBlockedEntitlement: boolean;
  readonly isTransitionedToUnblockedEntitlement: boolean;
}

/** The invoice payment row (and its attempt) an INVOICE_PAYMENT_* event is about. */
export interface InvoicePaymentFacts {
  readonly paymentAttemptId: string | null;
  readonly invoicePaymentType: string;
  readonly paymentDate: string;
  readonly linkedInvoicePaymentId: string | null;
  readonly paymentCookieId: string | null;
  readonly processedCurrency: string | null;
}

/**
 * What BeatrixListener reads from the database besides the internal event: the account of the
 * event's object, the bundle key of subscription events, blocking flags, the invoice payment row.
 */
export interface EventFacts {
  /** The account of the event (its `search_key1`), Kill Bill's getAccountId(objectId, objectType). */
  readonly accountId: string | null;
  readonly bundleExternalKey?: string | null;
  readonly blockingTransition?: BlockingTransition;
  readonly invoicePayment?: InvoicePaymentFacts | null;
}

/** The internal event types BeatrixListener turns into external ones (the others it drops). */
export const FORWARDED_INTERNAL_EVENTS = [
  'ACCOUNT_CREATION',
  'ACCOUNT_CHANGE',
  'SUBSCRIPTION_TRANSITION',
  'SUBSCRIPTION_CREATION',
  'SUBSCRIPTION_CHANGE',
  'SUBSCRIPTION_CANCEL',
  'SUBSCRIPTION_UNCANCEL',
  'BLOCKING_STATE',
  'INVOICE_CREATION',
  'INVOICE_ADJUSTMENT',
  'INVOICE_PAYMENT_SUCCESS',
  'INVOICE_PAYMENT_FAILED',
  'PAYMENT_SUCCESS',
  'PAYMENT_FAILED',
  'PAYMENT_PLUGIN_ERROR',
  'OVERDUE_CHANGE',
  'TAG_CREATION',
  'TAG_DELETION',
  'CUSTOM_FIELD_CREATION',
  'CUSTOM_FIELD_DELETION',
  'TENANT_CONFIG_CHANGE',
  'TENANT_CONFIG_DELETION',
] as const;

/** Subscription base transition → external event (UNDO_CHANGE is a SUBSCRIPTION_CHANGE: there is no ext event of its own). */
const SUBSCRIPTION_EVENTS: Readonly<Record<string, ExtBusEventType>> = {
  CREATE: 'SUBSCRIPTION_CREATION',
  TRANSFER: 'SUBSCRIPTION_CREATION',
  CANCEL: 'SUBSCRIPTION_CANCEL',
  PHASE: 'SUBSCRIPTION_PHASE',
  CHANGE: 'SUBSCRIPTION_CHANGE',
  UNDO_CHANGE: 'SUBSCRIPTION_CHANGE',
  UNCANCEL: 'SUBSCRIPTION_UNCANCEL',
  BCD_CHANGE: 'SUBSCRIPTION_BCD_CHANGE',
  QUANTITY_CHANGE: 'SUBSCRIPTION_QUANTITY',
  EXPIRED: 'SUBSCRIPTION_EXPIRED',
};

/** The entitlement service's own blocking states have external events of their own. */
const ENTITLEMENT_STATE_EVENTS: Readonly<Record<string, ExtBusEventType>> = {
  [ENT_STARTED]: 'ENTITLEMENT_CREATION',
  [ENT_BLOCKED]: 'BUNDLE_PAUSE',
  [ENT_CLEAR]: 'BUNDLE_RESUME',
  [ENT_CANCELLED]: 'ENTITLEMENT_CANCEL',
};

const BLOCKABLE_OBJECT_TYPES: Readonly<Record<string, string>> = { ACCOUNT: 'ACCOUNT', SUBSCRIPTION_BUNDLE: 'BUNDLE', SUBSCRIPTION: 'SUBSCRIPTION' };

/** A decimal written as a JSON number, digit for digit (Jackson writes BigDecimal so). */
class JsonDecimal {
  constructor(readonly text: string) {}
}

type MetadataValue = string | boolean | null | JsonDecimal;

/** A Kill Bill `*Metadata` object as Jackson writes it: its fields in declaration order, nulls kept. */
function metadata(fields: Readonly<Record<string, MetadataValue>>): string {
  const members = Object.entries(fields).map(([name, value]) => `${JSON.stringify(name)}:${value instanceof JsonDecimal ? value.text : JSON.stringify(value)}`);
  return `{${members.join(',')}}`;
}

const decimal = (text: string | null | undefined): JsonDecimal | null => (text === null || text === undefined ? null : new JsonDecimal(text));

type Payload = Readonly<Record<string, unknown>>;
const text = (payload: Payload, name: string): string | null => {
  const value = payload[name];
  return typeof value === 'string' ? value : null;
};

interface Mapped {
  readonly eventType: ExtBusEventType | null;
  readonly objectType: string;
  readonly objectId: string | null;
  readonly metaData?: string | null;
  /** Set where BeatrixListener takes it from the event rather than from the object. */
  readonly accountId?: string | null;
}

function subscriptionMetadata(actionType: 'EFFECTIVE' | 'REQUESTED', transitionType: string | null, facts: EventFacts, payload: Payload): string {
  return metadata({
    actionType,
    bundleExternalKey: text(payload, 'bundleExternalKey') ?? facts.bundleExternalKey ?? null,
    subscriptionChangeUndo: transitionType === 'UNDO_CHANGE',
  });
}

function paymentMetadata(payload: Payload): string {
  return metadata({
    paymentTransactionId: text(payload, 'paymentTransactionId'),
    amount: decimal(text(payload, 'amount')),
    currency: text(payload, 'currency'),
    status: text(payload, 'status'),
    transactionType: text(payload, 'transactionType'),
    effectiveDate: text(payload, 'effectiveDate'),
  });
}

function invoicePaymentMetadata(payload: Payload, facts: EventFacts): string {
  const row = facts.invoicePayment;
  return metadata({
    paymentId: text(payload, 'paymentId'),
    paymentAttemptId: row?.paymentAttemptId ?? null,
    invoicePaymentType: row?.invoicePaymentType ?? null,
    paymentDate: row?.paymentDate ?? null,
    amount: decimal(text(payload, 'amount')),
    currency: text(payload, 'currency'),
    linkedInvoicePaymentId: row?.linkedInvoicePaymentId ?? null,
    paymentCookieId: row?.paymentCookieId ?? null,
    processedCurrency: row?.processedCurrency ?? null,
  });
}

function blockingState(payload: Payload, facts: EventFacts): Mapped {
  const objectType = BLOCKABLE_OBJECT_TYPES[text(payload, 'type') ?? ''] ?? 'ACCOUNT';
  const objectId = text(payload, 'blockableId');
  const service = text(payload, 'service');
  const stateName = text(payload, 'stateName') ?? '';
  if (service === ENTITLEMENT_SERVICE) return { eventType: ENTITLEMENT_STATE_EVENTS[stateName] ?? null, objectType, objectId };
  const flags = facts.blockingTransition;
  return {
    eventType: 'BLOCKING_STATE',
    objectType,
    objectId,
    metaData: metadata({
      blockableId: objectId,
      service,
      stateName,
      blockingType: text(payload, 'type'),
      effectiveDate: text(payload, 'effectiveDate'),
      isTransitionedToBlockedBilling: flags?.isTransitionedToBlockedBilling ?? false,
      isTransitionedToUnblockedBilling: flags?.isTransitionedToUnblockedBilling ?? false,
      isTransitionedToBlockedEntitlement: flags?.isTransitionedToBlockedEntitlement ?? false,
      isTransitionedToUnblockedEntitlement: flags?.isTransitionedToUnblockedEntitlement ?? false,
    }),
  };
}

function map(type: string, payload: Payload, facts: EventFacts): Mapped | null {
  switch (type) {
    case 'ACCOUNT_CREATION':
      return { eventType: 'ACCOUNT_CREATION', objectType: 'ACCOUNT', objectId: text(payload, 'accountId'), accountId: text(payload, 'accountId') };
    case 'ACCOUNT_CHANGE':
      return { eventType: 'ACCOUNT_CHANGE', objectType: 'ACCOUNT', objectId: text(payload, 'accountId') };
    case 'SUBSCRIPTION_TRANSITION': {
      const transitionType = text(payload, 'transitionType');
      return {
        eventType: SUBSCRIPTION_EVENTS[transitionType ?? ''] ?? null,
        objectType: 'SUBSCRIPTION',
        objectId: text(payload, 'subscriptionId'),
        metaData: subscriptionMetadata('EFFECTIVE', transitionType, facts, payload),
      };
    }
    // Requested transitions (RequestedSubscriptionInternalEvent): the creation and the change/cancel/uncancel requests.
    case 'SUBSCRIPTION_CREATION':
    case 'SUBSCRIPTION_CHANGE':
    case 'SUBSCRIPTION_CANCEL':
    case 'SUBSCRIPTION_UNCANCEL': {
      const transitionType = text(payload, 'transitionType') ?? (type === 'SUBSCRIPTION_CREATION' ? 'CREATE' : null);
      return {
        eventType: SUBSCRIPTION_EVENTS[transitionType ?? ''] ?? null,
        objectType: 'SUBSCRIPTION',
        objectId: text(payload, 'subscriptionId'),
        metaData: subscriptionMetadata('REQUESTED', transitionType, facts, payload),
      };
    }
    case 'BLOCKING_STATE':
      return blockingState(payload, facts);
    case 'INVOICE_CREATION':
      return { eventType: 'INVOICE_CREATION', objectType: 'INVOICE', objectId: text(payload, 'invoiceId') };
    case 'INVOICE_ADJUSTMENT':
      return { eventType: 'INVOICE_ADJUSTMENT', objectType: 'INVOICE', objectId: text(payload, 'invoiceId') };
    case 'INVOICE_PAYMENT_SUCCESS':
    case 'INVOICE_PAYMENT_FAILED':
      return { eventType: type, objectType: 'INVOICE', objectId: text(payload, 'invoiceId'), metaData: invoicePaymentMetadata(payload, facts) };
    case 'PAYMENT_SUCCESS':
      return { eventType: 'PAYMENT_SUCCESS', objectType: 'PAYMENT', objectId: text(payload, 'paymentId'), metaData: paymentMetadata(payload) };
    case 'PAYMENT_FAILED':
      return { eventType: 'PAYMENT_FAILED', objectType: 'PAYMENT', objectId: text(payload, 'paymentId'), metaData: paymentMetadata(payload), accountId: text(payload, 'accountId') };
    case 'PAYMENT_PLUGIN_ERROR':
      return { eventType: 'PAYMENT_FAILED', objectType: 'PAYMENT', objectId: text(payload, 'paymentId'), metaData: paymentMetadata(payload) };
    case 'OVERDUE_CHANGE':
      return { eventType: 'OVERDUE_CHANGE', objectType: 'ACCOUNT', objectId: text(payload, 'accountId') };
    case 'TAG_CREATION':
    case 'TAG_DELETION':
      return { eventType: type, objectType: 'TAG', objectId: text(payload, 'objectId'), metaData: metadata({ tagDefinitionName: text(payload, 'tagDefinitionName') }) };
    case 'CUSTOM_FIELD_CREATION':
    case 'CUSTOM_FIELD_DELETION':
      return { eventType: type, objectType: 'CUSTOM_FIELD', objectId: text(payload, 'objectId') };
    case 'TENANT_CONFIG_CHANGE':
      return { eventType: 'TENANT_CONFIG_CHANGE', objectType: 'TENANT_KVS', objectId: text(payload, 'objectId'), metaData: text(payload, 'metaData'), accountId: null };
    case 'TENANT_CONFIG_DELETION':
      return { eventType: 'TENANT_CONFIG_DELETION', objectType: 'TENANT_KVS', objectId: null, metaData: text(payload, 'metaData'), accountId: null };
    default:
      return null;
  }
}

/**
 * BeatrixListener's computeExtBusEventEntryFromBusInternalEvent: the external event of an internal
 * one, or null for the events Kill Bill does not forward. The account is the event's own where Kill
 * Bill takes it so, none for tenant events and events without an object, else the object's.
 */
export function toExtBusEvent(type: string, payload: unknown, facts: EventFacts): ExtBusEvent | null {
  const mapped = map(type, (payload ?? {}) as Payload, facts);
  if (!mapped?.eventType) return null;
  const accountId = mapped.accountId !== undefined ? mapped.accountId : mapped.objectId === null ? null : facts.accountId;
  return { eventType: mapped.eventType, objectType: mapped.objectType, objectId: mapped.objectId, accountId, metaData: mapped.metaData ?? null };
}
