import type { ObjectType } from './object-types';

/** A tag definition that is not a row: Kill Bill's control tags and its system tags. */
export interface BuiltInTagDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly applicableObjectTypes: readonly ObjectType[];
  /** Control tags drive billing behaviour; system tags (`__PARK__`) are reserved to Kill Bill itself. */
  readonly isControlTag: boolean;
}

/** Kill Bill's ControlTagType, in its declaration order, with the fixed ids `new UUID(0, n)`. */
export const CONTROL_TAGS = {
  AUTO_PAY_OFF: control(1, 'AUTO_PAY_OFF', 'Suspends payments until removed.', ['ACCOUNT']),
  AUTO_INVOICING_OFF: control(2, 'AUTO_INVOICING_OFF', 'Suspends invoicing until removed.', ['ACCOUNT']),
  OVERDUE_ENFORCEMENT_OFF: control(3, 'OVERDUE_ENFORCEMENT_OFF', 'Suspends overdue enforcement behaviour until removed.', ['ACCOUNT']),
  WRITTEN_OFF: control(4, 'WRITTEN_OFF', 'Indicates that an invoice is written off. No billing or payment effect.', ['INVOICE']),
  MANUAL_PAY: control(5, 'MANUAL_PAY', "Indicates that Killbill doesn't process payments for that account (external payments only)", ['ACCOUNT']),
  TEST: control(6, 'TEST', 'Indicates that this is a test account', ['ACCOUNT']),
  PARTNER: control(7, 'PARTNER', 'Indicates that this is a partner account', ['ACCOUNT']),
  AUTO_INVOICING_DRAFT: control(8, 'AUTO_INVOICING_DRAFT', 'Generate account invoices in DRAFT mode.', ['ACCOUNT']),
  AUTO_INVOICING_REUSE_DRAFT: control(9, 'AUTO_INVOICING_REUSE_DRAFT', 'Use existing draft invoice if exists.', ['ACCOUNT']),
} as const satisfies Record<string, BuiltInTagDefinition>;

export type ControlTagName = keyof typeof CONTROL_TAGS;

/** The system tag of parked accounts (`new UUID(1, 1)`): set and cleared by the invoice system only. */
export const PARK_TAG: BuiltInTagDefinition = {
  id: '00000000-0000-0001-0000-000000000001',
  name: '__PARK__',
  description: 'Accounts with invalid invoicing state',
  applicableObjectTypes: ['ACCOUNT'],
  isControlTag: false,
};

/** As Kill Bill lists them after the user definitions: the system tag, then the control tags. */
export const BUILT_IN_TAG_DEFINITIONS: readonly BuiltInTagDefinition[] = [PARK_TAG, ...Object.values(CONTROL_TAGS)];

const BY_ID = new Map(BUILT_IN_TAG_DEFINITIONS.map((definition) => [definition.id, definition]));
const CONTROL_BY_NAME = new Map<string, BuiltInTagDefinition>(Object.values(CONTROL_TAGS).map((definition) => [definition.name, definition]));

export function builtInTagDefinition(id: string): BuiltInTagDefinition | undefined {
  return BY_ID.get(id.toLowerCase());
}

export function isControlTagId(id: string): boolean {
  return builtInTagDefinition(id)?.isControlTag === true;
}

export function isControlTagName(name: string): boolean {
  return CONTROL_BY_NAME.has(name);
}

export function isSystemTagId(id: string): boolean {
  return id.toLowerCase() === PARK_TAG.id;
}

function control(n: number, name: string, description: string, applicableObjectTypes: ObjectType[]): BuiltInTagDefinition {
  return { id: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`, name, description, applicableObjectTypes, isControlTag: true };
}
