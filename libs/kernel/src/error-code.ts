/**
 * Kill Bill's error codes (name, number, message format) as defined by killbill-api's ErrorCode enum
 * (org.killbill.billing.ErrorCode, killbill/killbill-api).
 *
 * Entries are listed in the same order as the Java enum declaration. That order matters: several numeric
 * codes are shared by more than one name (1001, 1025, 2060, 4003, 4004), and the Java `ErrorCode.fromCode`
 * lookup returns the first declared match; {@link errorCodeFromCode} mirrors that behaviour.
 *
 * Format strings use Java `String.format` syntax and are kept verbatim (the one non-literal piece in the Java
 * source, `InvoiceStatus.COMMITTED`, renders as `COMMITTED`).
 */
export interface ErrorCodeDefinition {
  readonly name: string;
  readonly code: number;
  readonly format: string;
}

export const ErrorCode = {
  NOT_IMPLEMENTED: {
    name: 'NOT_IMPLEMENTED',
    code: 1,
    format: 'Api not implemented yet',
  },
  CURRENCY_INVALID: {
    name: 'CURRENCY_INVALID',
    code: 3,
    format: 'Invalid currency %s, expected %s',
  },
  UNEXPECTED_ERROR: { name: 'UNEXPECTED_ERROR', code: 4, format: '%s' },
  EXTERNAL_KEY_LIMIT_EXCEEDED: {
    name: 'EXTERNAL_KEY_LIMIT_EXCEEDED',
    code: 5,
    format: 'External key exceeded 255 characters',
  },
  SUB_INVALID_REQUESTED_FUTURE_DATE: {
    name: 'SUB_INVALID_REQUESTED_FUTURE_DATE',
    code: 1001,
    format: 'Requested date %s in the future is not allowed',
  },
  SUB_INVALID_REQUESTED_DATE: {
    name: 'SUB_INVALID_REQUESTED_DATE',
    code: 1001,
    format: 'Requested date %s is not allowed to be prior to the previous transition %s',
  },
  SUB_CREATE_BAD_PHASE: {
    name: 'SUB_CREATE_BAD_PHASE',
    code: 1011,
    format: "Can't create plan initial phase %s",
  },
  SUB_CREATE_NO_BUNDLE: {
    name: 'SUB_CREATE_NO_BUNDLE',
    code: 1012,
    format: 'Bundle %s does not exist',
  },
  SUB_CREATE_NO_BP: {
    name: 'SUB_CREATE_NO_BP',
    code: 1013,
    format: 'Missing Base Subscription for bundle %s',
  },
  SUB_CREATE_ACTIVE_BUNDLE_KEY_EXISTS: {
    name: 'SUB_CREATE_ACTIVE_BUNDLE_KEY_EXISTS',
    code: 1014,
    format: 'Active bundle with external key %s already exists',
  },
  SUB_CREATE_BP_EXISTS: {
    name: 'SUB_CREATE_BP_EXISTS',
    code: 1015,
    format: 'Subscription bundle %s already has a base subscription',
  },
  SUB_CREATE_AO_BP_NON_ACTIVE: {
    name: 'SUB_CREATE_AO_BP_NON_ACTIVE',
    code: 1017,
    format: "Can't create AddOn %s for non active Base Plan",
  },
  SUB_CREATE_AO_ALREADY_INCLUDED: {
    name: 'SUB_CREATE_AO_ALREADY_INCLUDED',
    code: 1018,
    format: "Can't create AddOn %s for BasePlan %s (Already included)",
  },
  SUB_CREATE_AO_NOT_AVAILABLE: {
    name: 'SUB_CREATE_AO_NOT_AVAILABLE',
    code: 1019,
    format: "Can't create AddOn %s for BasePlan %s (Not available)",
  },
  SUB_CREATE_AO_MAX_PLAN_ALLOWED_BY_BUNDLE: {
    name: 'SUB_CREATE_AO_MAX_PLAN_ALLOWED_BY_BUNDLE',
    code: 1025,
    format: "Can't create AddOn %s, the number of Subscriptions allowed by this Plan and Bundle has reached its limit",
  },
  SUB_CREATE_INVALID_ENTITLEMENT_SPECIFIER: {
    name: 'SUB_CREATE_INVALID_ENTITLEMENT_SPECIFIER',
    code: 1020,
    format: 'Invalid entitlement specifier: %s',
  },
  SUB_CHANGE_NON_ACTIVE: {
    name: 'SUB_CHANGE_NON_ACTIVE',
    code: 1021,
    format: 'Subscription %s is in state %s: Failed to change plan',
  },
  SUB_CHANGE_FUTURE_CANCELLED: {
    name: 'SUB_CHANGE_FUTURE_CANCELLED',
    code: 1022,
    format: 'Subscription %s is future cancelled: Failed to change plan',
  },
  SUB_CHANGE_INVALID: {
    name: 'SUB_CHANGE_INVALID',
    code: 1023,
    format: 'Invalid change plan for subscription %s',
  },
  SUB_CHANGE_DRY_RUN_NOT_BP: {
    name: 'SUB_CHANGE_DRY_RUN_NOT_BP',
    code: 1024,
    format: 'Change DryRun API is only available for BP',
  },
  SUB_CHANGE_AO_MAX_PLAN_ALLOWED_BY_BUNDLE: {
    name: 'SUB_CHANGE_AO_MAX_PLAN_ALLOWED_BY_BUNDLE',
    code: 1025,
    format: "Can't change Plan to AddOn %s, the number of Subscriptions allowed by this Plan and Bundle has reached its limit",
  },
  SUB_CHANGE_FUTURE_EXPIRED: {
    name: 'SUB_CHANGE_FUTURE_EXPIRED',
    code: 1026,
    format: 'Subscription %s will expire prior the requested date: Failed to change plan',
  },
  SUB_CANCEL_BAD_STATE: {
    name: 'SUB_CANCEL_BAD_STATE',
    code: 1031,
    format: 'Subscription %s is in state %s: Failed to cancel',
  },
  SUB_RECREATE_BAD_STATE: {
    name: 'SUB_RECREATE_BAD_STATE',
    code: 1041,
    format: 'Subscription %s is in state %s: Failed to recreate',
  },
  SUB_UNCANCEL_BAD_STATE: {
    name: 'SUB_UNCANCEL_BAD_STATE',
    code: 1070,
    format: 'Subscription (billing) %s is not in pending cancelled state: Failed to uncancel plan',
  },
  SUB_UNDO_CHANGE_BAD_STATE: {
    name: 'SUB_UNDO_CHANGE_BAD_STATE',
    code: 1071,
    format: 'Subscription (billing) %s does not have a pending change plan: Failed to undo change plan',
  },
  SUB_GET_NO_BUNDLE_FOR_SUBSCRIPTION: {
    name: 'SUB_GET_NO_BUNDLE_FOR_SUBSCRIPTION',
    code: 1080,
    format: 'Could not find a bundle for subscription %s',
  },
  SUB_GET_INVALID_BUNDLE_ID: {
    name: 'SUB_GET_INVALID_BUNDLE_ID',
    code: 1081,
    format: 'Could not find a bundle matching id %s',
  },
  SUB_INVALID_SUBSCRIPTION_ID: {
    name: 'SUB_INVALID_SUBSCRIPTION_ID',
    code: 1082,
    format: 'Unknown subscription matching id %s',
  },
  SUB_INVALID_SUBSCRIPTION_EXTERNAL_KEY: {
    name: 'SUB_INVALID_SUBSCRIPTION_EXTERNAL_KEY',
    code: 1083,
    format: 'Unknown subscription matching key %s',
  },
  SUB_GET_INVALID_BUNDLE_KEY: {
    name: 'SUB_GET_INVALID_BUNDLE_KEY',
    code: 1084,
    format: 'Could not find a bundle matching key %s',
  },
  SUB_GET_NO_SUCH_BASE_SUBSCRIPTION: {
    name: 'SUB_GET_NO_SUCH_BASE_SUBSCRIPTION',
    code: 1085,
    format: 'Could not find base subscription for bundle %s',
  },
  SUB_NO_ACTIVE_SUBSCRIPTIONS: {
    name: 'SUB_NO_ACTIVE_SUBSCRIPTIONS',
    code: 1099,
    format: 'No active subscriptions on bundle %s',
  },
  SUB_BUNDLE_IS_OVERDUE_BLOCKED: {
    name: 'SUB_BUNDLE_IS_OVERDUE_BLOCKED',
    code: 1090,
    format: 'Changes to this bundle are blocked by overdue enforcement (%s :  %s)',
  },
  SUB_ACCOUNT_IS_OVERDUE_BLOCKED: {
    name: 'SUB_ACCOUNT_IS_OVERDUE_BLOCKED',
    code: 1091,
    format: 'Changes to this account are blocked by overdue enforcement (%s)',
  },
  SUB_TRANSFER_INVALID_EFF_DATE: {
    name: 'SUB_TRANSFER_INVALID_EFF_DATE',
    code: 1106,
    format: 'Invalid effective date for transfer: %s',
  },
  SUB_BLOCKING_STATE_INVALID_ARG: {
    name: 'SUB_BLOCKING_STATE_INVALID_ARG',
    code: 1107,
    format: 'Invalid arguments for adding a blocking state : %s',
  },
  CAT_ILLEGAL_CHANGE_REQUEST: {
    name: 'CAT_ILLEGAL_CHANGE_REQUEST',
    code: 2001,
    format:
      "Attempting to change plan from (product: '%s', billing period: '%s', pricelist '%s') to (product: '%s', billing period: '%s', pricelist '%s'). This transition is not allowed by catalog rules",
  },
  CAT_MULTIPLE_MATCHING_PLANS_FOR_PRICELIST: {
    name: 'CAT_MULTIPLE_MATCHING_PLANS_FOR_PRICELIST',
    code: 2002,
    format:
      "There are multiple plans defined in pricelist '%s' for product: '%s' and billing period: '%s'. Use the planName instead of the non deterministic triplet {product, billing period, pricelist}",
  },
  CAT_NO_PRICE_FOR_CURRENCY: {
    name: 'CAT_NO_PRICE_FOR_CURRENCY',
    code: 2010,
    format: "This price does not have a value for the currency '%s'.",
  },
  CAT_PRICE_VALUE_NULL_FOR_CURRENCY: {
    name: 'CAT_PRICE_VALUE_NULL_FOR_CURRENCY',
    code: 2011,
    format: "The value for the currency '%s' is NULL. This plan cannot be bought in this currency.",
  },
  CAT_NULL_PRICE_LIST_NAME: {
    name: 'CAT_NULL_PRICE_LIST_NAME',
    code: 2012,
    format: 'Price list name was null',
  },
  CAT_PRICE_LIST_NOT_FOUND: {
    name: 'CAT_PRICE_LIST_NOT_FOUND',
    code: 2013,
    format: "Could not find a pricelist with name '%s'",
  },
  CAT_UNDEFINED_DURATION: {
    name: 'CAT_UNDEFINED_DURATION',
    code: 2014,
    format: "Duration is not unlimited or invalid '%s'",
  },
  CAT_NULL_BILLING_PERIOD: {
    name: 'CAT_NULL_BILLING_PERIOD',
    code: 2015,
    format: 'Billing period name was null',
  },
  CAT_PLAN_NOT_FOUND: {
    name: 'CAT_PLAN_NOT_FOUND',
    code: 2020,
    format: "Could not find a plan matching spec: (plan: '%s', product: '%s', billing period: '%s', pricelist '%s')",
  },
  CAT_NO_SUCH_PLAN: {
    name: 'CAT_NO_SUCH_PLAN',
    code: 2021,
    format: "Could not find any plans named '%s'",
  },
  CAT_NO_SUCH_PRODUCT: {
    name: 'CAT_NO_SUCH_PRODUCT',
    code: 2030,
    format: "Could not find any product named '%s'",
  },
  CAT_NULL_PRODUCT_NAME: {
    name: 'CAT_NULL_PRODUCT_NAME',
    code: 2031,
    format: 'Product name was null',
  },
  CAT_NO_SUCH_PHASE: {
    name: 'CAT_NO_SUCH_PHASE',
    code: 2040,
    format: "Could not find any phases named '%s'",
  },
  CAT_BAD_PHASE_NAME: {
    name: 'CAT_BAD_PHASE_NAME',
    code: 2041,
    format: "Bad phase name '%s'",
  },
  CAT_NO_CATALOG_FOR_GIVEN_DATE: {
    name: 'CAT_NO_CATALOG_FOR_GIVEN_DATE',
    code: 2050,
    format: "There is no catalog version that applies for the given date '%s'",
  },
  CAT_CATALOG_NAME_MISMATCH: {
    name: 'CAT_CATALOG_NAME_MISMATCH',
    code: 2052,
    format: "The catalog name '%s' does not match the name of the catalog we are trying to add '%s'",
  },
  CAT_CATALOG_RECURRING_MODE_MISMATCH: {
    name: 'CAT_CATALOG_RECURRING_MODE_MISMATCH',
    code: 2053,
    format: "The catalog recurring billing mode '%s' does not match the one of the catalog we are trying to add '%s'",
  },
  CAT_INVALID_SIMPLE_PLAN_DESCRIPTOR: {
    name: 'CAT_INVALID_SIMPLE_PLAN_DESCRIPTOR',
    code: 2060,
    format: "Invalid simple plan descriptor '%s'",
  },
  CAT_FAILED_SIMPLE_PLAN_VALIDATION: {
    name: 'CAT_FAILED_SIMPLE_PLAN_VALIDATION',
    code: 2060,
    format: "Failed to validate simple Plan '%s' against descriptor '%s'",
  },
  CAT_NO_SUCH_OVERDUE_STATE: {
    name: 'CAT_NO_SUCH_OVERDUE_STATE',
    code: 2070,
    format: "No such overdue state '%s'",
  },
  CAT_MISSING_CLEAR_STATE: {
    name: 'CAT_MISSING_CLEAR_STATE',
    code: 2071,
    format: 'Missing a clear state',
  },
  CAT_NOT_TOP_UP_BLOCK: {
    name: 'CAT_NOT_TOP_UP_BLOCK',
    code: 2075,
    format: 'Block for phase %s defines a TOP_UP property for a non TOP_UP block',
  },
  CAT_INVALID_FOR_TENANT: {
    name: 'CAT_INVALID_FOR_TENANT',
    code: 2080,
    format: 'Invalid catalog for tenant : %s',
  },
  CAT_INVALID_INVALID_PRICE_OVERRIDE: {
    name: 'CAT_INVALID_INVALID_PRICE_OVERRIDE',
    code: 2081,
    format: 'Cannot override price for plan %s : %s',
  },
  CAT_INVALID_DEFAULT: {
    name: 'CAT_INVALID_DEFAULT',
    code: 2999,
    format: 'Invalid default catalog : %s',
  },
  ACCOUNT_ALREADY_EXISTS: {
    name: 'ACCOUNT_ALREADY_EXISTS',
    code: 3000,
    format: 'Account already exists for key %s',
  },
  ACCOUNT_INVALID_NAME: {
    name: 'ACCOUNT_INVALID_NAME',
    code: 3001,
    format: 'An invalid name was specified when creating or updating an account.',
  },
  ACCOUNT_DOES_NOT_EXIST_FOR_ID: {
    name: 'ACCOUNT_DOES_NOT_EXIST_FOR_ID',
    code: 3002,
    format: 'Account does not exist for id %s',
  },
  ACCOUNT_DOES_NOT_EXIST_FOR_KEY: {
    name: 'ACCOUNT_DOES_NOT_EXIST_FOR_KEY',
    code: 3003,
    format: 'Account does not exist for key %s',
  },
  ACCOUNT_CANNOT_MAP_NULL_KEY: {
    name: 'ACCOUNT_CANNOT_MAP_NULL_KEY',
    code: 3004,
    format: 'An attempt was made to get the id for a <null> external key.',
  },
  ACCOUNT_CANNOT_CHANGE_EXTERNAL_KEY: {
    name: 'ACCOUNT_CANNOT_CHANGE_EXTERNAL_KEY',
    code: 3005,
    format: 'External keys cannot be updated. Original key remains: %s',
  },
  ACCOUNT_CREATION_FAILED: {
    name: 'ACCOUNT_CREATION_FAILED',
    code: 3006,
    format: 'Account creation failed.',
  },
  ACCOUNT_UPDATE_FAILED: {
    name: 'ACCOUNT_UPDATE_FAILED',
    code: 3007,
    format: 'Account update failed.',
  },
  ACCOUNT_DOES_NOT_EXIST_FOR_RECORD_ID: {
    name: 'ACCOUNT_DOES_NOT_EXIST_FOR_RECORD_ID',
    code: 3008,
    format: 'Account does not exist for recordId %s',
  },
  ACCOUNT_DOES_NOT_HAVE_PARENT_ACCOUNT: {
    name: 'ACCOUNT_DOES_NOT_HAVE_PARENT_ACCOUNT',
    code: 3009,
    format: 'The Account %s does not have a Parent Account associated',
  },
  ACCOUNT_EMAIL_ALREADY_EXISTS: {
    name: 'ACCOUNT_EMAIL_ALREADY_EXISTS',
    code: 3500,
    format: 'Account email already exists %s',
  },
  TAG_DEFINITION_CONFLICTS_WITH_CONTROL_TAG: {
    name: 'TAG_DEFINITION_CONFLICTS_WITH_CONTROL_TAG',
    code: 3900,
    format: 'The tag definition name conflicts with a reserved %s',
  },
  TAG_DEFINITION_ALREADY_EXISTS: {
    name: 'TAG_DEFINITION_ALREADY_EXISTS',
    code: 3901,
    format: 'The tag definition %s already exists ',
  },
  TAG_DEFINITION_DOES_NOT_EXIST: {
    name: 'TAG_DEFINITION_DOES_NOT_EXIST',
    code: 3902,
    format: 'The tag definition %s does not exist',
  },
  TAG_DEFINITION_IN_USE: {
    name: 'TAG_DEFINITION_IN_USE',
    code: 3903,
    format: 'The tag definition %s is currently in use',
  },
  TAG_DEFINITION_HAS_UPPERCASE: {
    name: 'TAG_DEFINITION_HAS_UPPERCASE',
    code: 3904,
    format: 'The tag definition name must be in lowercase %s',
  },
  TAG_DOES_NOT_EXIST: {
    name: 'TAG_DOES_NOT_EXIST',
    code: 3950,
    format: 'The tag does not exist (name: %s)',
  },
  TAG_CANNOT_BE_REMOVED: {
    name: 'TAG_CANNOT_BE_REMOVED',
    code: 3951,
    format: 'The tag %s cannot be removed because %s',
  },
  TAG_ALREADY_EXISTS: {
    name: 'TAG_ALREADY_EXISTS',
    code: 3952,
    format: 'The tag %s already exists',
  },
  TAG_IS_SYSTEM: {
    name: 'TAG_IS_SYSTEM',
    code: 3953,
    format: 'Cannot add the system tag %s (reserved to Kill Bill internal system)',
  },
  INVOICE_ACCOUNT_ID_INVALID: {
    name: 'INVOICE_ACCOUNT_ID_INVALID',
    code: 4001,
    format: 'No account could be retrieved for id %s',
  },
  INVOICE_INVALID_TRANSITION: {
    name: 'INVOICE_INVALID_TRANSITION',
    code: 4002,
    format: 'Transition did not contain a subscription id.',
  },
  INVOICE_NO_ACCOUNT_ID_FOR_SUBSCRIPTION_ID: {
    name: 'INVOICE_NO_ACCOUNT_ID_FOR_SUBSCRIPTION_ID',
    code: 4003,
    format: 'No account id was retrieved for subscription id %s',
  },
  INVOICE_INVALID_DATE_SEQUENCE: {
    name: 'INVOICE_INVALID_DATE_SEQUENCE',
    code: 4004,
    format: 'Date sequence was invalid. Start Date: %s; End Date: %s; Target Date: %s',
  },
  INVOICE_TARGET_DATE_TOO_FAR_IN_THE_FUTURE: {
    name: 'INVOICE_TARGET_DATE_TOO_FAR_IN_THE_FUTURE',
    code: 4005,
    format: 'The target date was too far in the future. Target Date: %s',
  },
  INVOICE_NOT_FOUND: {
    name: 'INVOICE_NOT_FOUND',
    code: 4006,
    format: 'No invoice could be found for id %s.',
  },
  INVOICE_NOTHING_TO_DO: {
    name: 'INVOICE_NOTHING_TO_DO',
    code: 4007,
    format: 'No invoice to generate for account %s and date %s',
  },
  INVOICE_NO_SUCH_CREDIT: {
    name: 'INVOICE_NO_SUCH_CREDIT',
    code: 4008,
    format: 'Credit item for id %s does not exist',
  },
  CREDIT_AMOUNT_INVALID: {
    name: 'CREDIT_AMOUNT_INVALID',
    code: 4009,
    format: 'Credit amount %s should be strictly positive',
  },
  INVOICE_ITEM_ADJUSTMENT_AMOUNT_SHOULD_BE_POSITIVE: {
    name: 'INVOICE_ITEM_ADJUSTMENT_AMOUNT_SHOULD_BE_POSITIVE',
    code: 4010,
    format: 'Invoice adjustment amount %s should be strictly positive',
  },
  INVOICE_ITEM_NOT_FOUND: {
    name: 'INVOICE_ITEM_NOT_FOUND',
    code: 4011,
    format: 'No invoice item could be found for id %s.',
  },
  INVOICE_INVALID_FOR_INVOICE_ITEM_ADJUSTMENT: {
    name: 'INVOICE_INVALID_FOR_INVOICE_ITEM_ADJUSTMENT',
    code: 4012,
    format: "Invoice item %s doesn't belong to invoice %s.",
  },
  INVOICE_NO_SUCH_EXTERNAL_CHARGE: {
    name: 'INVOICE_NO_SUCH_EXTERNAL_CHARGE',
    code: 4014,
    format: 'External charge item for id %s does not exist',
  },
  EXTERNAL_CHARGE_AMOUNT_INVALID: {
    name: 'EXTERNAL_CHARGE_AMOUNT_INVALID',
    code: 4015,
    format: 'External charge amount %s should be strictly positive',
  },
  INVOICE_WOULD_BE_NEGATIVE: {
    name: 'INVOICE_WOULD_BE_NEGATIVE',
    code: 4016,
    format: 'Cannot execute operation, the invoice balance would become negative',
  },
  INVOICE_NUMBER_NOT_FOUND: {
    name: 'INVOICE_NUMBER_NOT_FOUND',
    code: 4018,
    format: 'No invoice could be found for number %s.',
  },
  INVOICE_INVALID_NUMBER: {
    name: 'INVOICE_INVALID_NUMBER',
    code: 4019,
    format: 'Invalid invoice number %s.',
  },
  INVOICE_ITEM_ADJUSTMENT_AMOUNT_INVALID: {
    name: 'INVOICE_ITEM_ADJUSTMENT_AMOUNT_INVALID',
    code: 4020,
    format: 'Invoice adjustment amount %s should be lower than %s',
  },
  INVOICE_ITEM_ADJUSTMENT_ITEM_INVALID: {
    name: 'INVOICE_ITEM_ADJUSTMENT_ITEM_INVALID',
    code: 4021,
    format: 'Invoice item %s cannot be adjusted',
  },
  INVOICE_ITEM_TYPE_INVALID: {
    name: 'INVOICE_ITEM_TYPE_INVALID',
    code: 4022,
    format: 'Invalid invoice item type %s',
  },
  INVOICE_INVALID_STATUS: {
    name: 'INVOICE_INVALID_STATUS',
    code: 4023,
    format: 'The invoice status %s is invalid for invoice id %s. Current status is %s',
  },
  INVOICE_ALREADY_COMMITTED: {
    name: 'INVOICE_ALREADY_COMMITTED',
    code: 4024,
    format: 'Cannot add credit or external charge for invoice id %s because it is already in COMMITTED status',
  },
  INVOICE_ITEMS_ADJUSTMENT_MISSING: {
    name: 'INVOICE_ITEMS_ADJUSTMENT_MISSING',
    code: 4025,
    format: 'Missing invoice item adjustements during payment refund',
  },
  INVOICE_MISSING_PARENT_INVOICE: {
    name: 'INVOICE_MISSING_PARENT_INVOICE',
    code: 4026,
    format: 'Missing parent invoice for invoice id %s',
  },
  CHILD_ACCOUNT_MISSING_CREDIT: {
    name: 'CHILD_ACCOUNT_MISSING_CREDIT',
    code: 4027,
    format: 'Child account %s does not have credit',
  },
  CAN_NOT_VOID_INVOICE_THAT_IS_PAID: {
    name: 'CAN_NOT_VOID_INVOICE_THAT_IS_PAID',
    code: 4028,
    format: 'Invoice %s can not be voided. Invoice is paid or partially paid.',
  },
  INVOICE_PLUGIN_API_ABORTED: {
    name: 'INVOICE_PLUGIN_API_ABORTED',
    code: 4029,
    format: 'Invoice plugin aborted call: %s',
  },
  INVOICE_CBA_DELETED: {
    name: 'INVOICE_CBA_DELETED',
    code: 4030,
    format: 'Failed to delete system generated credit: item=%s',
  },
  INVOICE_VOID_UPDATED: {
    name: 'INVOICE_VOID_UPDATED',
    code: 4031,
    format: 'Cannot modify a Voided invoice: id=%s',
  },
  CAN_NOT_VOID_INVOICE_THAT_IS_REPAIRED: {
    name: 'CAN_NOT_VOID_INVOICE_THAT_IS_REPAIRED',
    code: 4032,
    format: 'Invoice %s can not be voided. Another invoice contains credit (repair) items linked to it',
  },
  CAN_NOT_VOID_INVOICE_THAT_GENERATED_USED_CREDIT: {
    name: 'CAN_NOT_VOID_INVOICE_THAT_GENERATED_USED_CREDIT',
    code: 4033,
    format: 'Invoice %s can not be voided. Existing credit generated on this invoice has been used already.',
  },
  INVOICE_PAYMENT_NOT_FOUND: {
    name: 'INVOICE_PAYMENT_NOT_FOUND',
    code: 4900,
    format: 'No invoice payment could be found for id %s.',
  },
  CHARGE_BACK_AMOUNT_TOO_HIGH: {
    name: 'CHARGE_BACK_AMOUNT_TOO_HIGH',
    code: 4901,
    format: 'Tried to charge back %s of a %s payment.',
  },
  CHARGE_BACK_AMOUNT_IS_NEGATIVE: {
    name: 'CHARGE_BACK_AMOUNT_IS_NEGATIVE',
    code: 4902,
    format: 'Charge backs for negative amounts are not permitted',
  },
  CHARGE_BACK_COULD_NOT_FIND_ACCOUNT_ID: {
    name: 'CHARGE_BACK_COULD_NOT_FIND_ACCOUNT_ID',
    code: 4003,
    format: 'Could not find chargeback for id %s.',
  },
  CHARGE_BACK_DOES_NOT_EXIST: {
    name: 'CHARGE_BACK_DOES_NOT_EXIST',
    code: 4004,
    format: 'Could not find chargeback for id %s.',
  },
  INVOICE_PAYMENT_BY_ATTEMPT_NOT_FOUND: {
    name: 'INVOICE_PAYMENT_BY_ATTEMPT_NOT_FOUND',
    code: 4905,
    format: 'No invoice payment could be found for paymentAttempt id %s.',
  },
  REFUND_AMOUNT_TOO_HIGH: {
    name: 'REFUND_AMOUNT_TOO_HIGH',
    code: 4906,
    format: 'Tried to refund %s of a %s payment.',
  },
  REFUND_AMOUNT_DONT_MATCH_ITEMS_TO_ADJUST: {
    name: 'REFUND_AMOUNT_DONT_MATCH_ITEMS_TO_ADJUST',
    code: 4907,
    format: "You can't specify a refund amount of %s that is less than the sum of the invoice items amount of %s.",
  },
  OVERDUE_CAT_ERROR_ENCOUNTERED: {
    name: 'OVERDUE_CAT_ERROR_ENCOUNTERED',
    code: 5001,
    format: "Catalog error encountered for account: id='%s'",
  },
  OVERDUE_NO_REEVALUATION_INTERVAL: {
    name: 'OVERDUE_NO_REEVALUATION_INTERVAL',
    code: 5003,
    format: 'No valid reevaluation interval for state (name: %s)',
  },
  OVERDUE_INVALID_FOR_TENANT: {
    name: 'OVERDUE_INVALID_FOR_TENANT',
    code: 5010,
    format: 'Invalid overdue config for tenant : %s',
  },
  BLOCK_BLOCKED_ACTION: {
    name: 'BLOCK_BLOCKED_ACTION',
    code: 6000,
    format: 'The action %s is block on this %s with id=%s',
  },
  PAYMENT_NO_SUCH_PAYMENT_METHOD: {
    name: 'PAYMENT_NO_SUCH_PAYMENT_METHOD',
    code: 7000,
    format: 'Payment method %s does not exist',
  },
  PAYMENT_REFUND_AMOUNT_NEGATIVE_OR_NULL: {
    name: 'PAYMENT_REFUND_AMOUNT_NEGATIVE_OR_NULL',
    code: 7001,
    format: 'Refund on payment %s not allowed with amount %s',
  },
  PAYMENT_GET_PAYMENT_METHODS: {
    name: 'PAYMENT_GET_PAYMENT_METHODS',
    code: 7004,
    format: 'Failed to retrieve payment method for account %s : %s',
  },
  PAYMENT_ADD_PAYMENT_METHOD: {
    name: 'PAYMENT_ADD_PAYMENT_METHOD',
    code: 7005,
    format: 'Failed to add payment method for account %s : %s',
  },
  PAYMENT_REFRESH_PAYMENT_METHOD: {
    name: 'PAYMENT_REFRESH_PAYMENT_METHOD',
    code: 7006,
    format: 'Failed to refresh payment methods for account %s : %s',
  },
  PAYMENT_DEL_PAYMENT_METHOD: {
    name: 'PAYMENT_DEL_PAYMENT_METHOD',
    code: 7007,
    format: 'Failed to delete payment method for account %s : %s',
  },
  PAYMENT_UPD_PAYMENT_METHOD: {
    name: 'PAYMENT_UPD_PAYMENT_METHOD',
    code: 7008,
    format: 'Failed to update payment method for account %s : %s',
  },
  PAYMENT_CREATE_PAYMENT: {
    name: 'PAYMENT_CREATE_PAYMENT',
    code: 7009,
    format: 'Failed to create payment for account %s : %s',
  },
  PAYMENT_NULL_INVOICE: {
    name: 'PAYMENT_NULL_INVOICE',
    code: 7017,
    format: 'Invoice %s has a balance <= 0 ',
  },
  PAYMENT_INTERNAL_ERROR: {
    name: 'PAYMENT_INTERNAL_ERROR',
    code: 7019,
    format: 'Internal payment error : %s',
  },
  PAYMENT_NO_SUCH_PAYMENT: {
    name: 'PAYMENT_NO_SUCH_PAYMENT',
    code: 7020,
    format: 'Payment %s does not exist',
  },
  PAYMENT_NO_DEFAULT_PAYMENT_METHOD: {
    name: 'PAYMENT_NO_DEFAULT_PAYMENT_METHOD',
    code: 7021,
    format: 'Account %s does not have a default payment method set',
  },
  PAYMENT_DEL_DEFAULT_PAYMENT_METHOD: {
    name: 'PAYMENT_DEL_DEFAULT_PAYMENT_METHOD',
    code: 7022,
    format: 'Cannot delete default payment method for account %s',
  },
  PAYMENT_EXTERNAL_PAYMENT_METHOD_ALREADY_EXISTS: {
    name: 'PAYMENT_EXTERNAL_PAYMENT_METHOD_ALREADY_EXISTS',
    code: 7023,
    format: 'External payment method already exists for account %s',
  },
  PAYMENT_NO_SUCH_SUCCESS_PAYMENT: {
    name: 'PAYMENT_NO_SUCH_SUCCESS_PAYMENT',
    code: 7024,
    format: 'Payment %s did not succeed',
  },
  PAYMENT_NO_SUCH_PAYMENT_PLUGIN: {
    name: 'PAYMENT_NO_SUCH_PAYMENT_PLUGIN',
    code: 7028,
    format: 'Payment plugin %s is not registered',
  },
  PAYMENT_ACTIVE_TRANSACTION_KEY_EXISTS: {
    name: 'PAYMENT_ACTIVE_TRANSACTION_KEY_EXISTS',
    code: 7030,
    format: 'Successful transaction with external key %s already exists',
  },
  PAYMENT_INVALID_PARAMETER: {
    name: 'PAYMENT_INVALID_PARAMETER',
    code: 7031,
    format: 'Invalid parameter %s: %s',
  },
  PAYMENT_INVALID_OPERATION: {
    name: 'PAYMENT_INVALID_OPERATION',
    code: 7032,
    format: 'Invalid payment transition %s from state %s',
  },
  PAYMENT_METHOD_DIFFERENT_ACCOUNT_ID: {
    name: 'PAYMENT_METHOD_DIFFERENT_ACCOUNT_ID',
    code: 7033,
    format: 'Payment method %s has a different account id',
  },
  PAYMENT_DIFFERENT_ACCOUNT_ID: {
    name: 'PAYMENT_DIFFERENT_ACCOUNT_ID',
    code: 7034,
    format: 'Payment %s has a different account id',
  },
  PAYMENT_TRANSACTION_DIFFERENT_ACCOUNT_ID: {
    name: 'PAYMENT_TRANSACTION_DIFFERENT_ACCOUNT_ID',
    code: 7035,
    format: 'Payment transaction %s has a different account id',
  },
  PAYMENT_STATE_MACHINE_FAILURE: {
    name: 'PAYMENT_STATE_MACHINE_FAILURE',
    code: 7036,
    format: 'Failed to load payment state machine configuration',
  },
  PAYMENT_PLUGIN_TIMEOUT: {
    name: 'PAYMENT_PLUGIN_TIMEOUT',
    code: 7100,
    format: 'Plugin timeout for account %s: %s',
  },
  PAYMENT_PLUGIN_GET_PAYMENT_INFO: {
    name: 'PAYMENT_PLUGIN_GET_PAYMENT_INFO',
    code: 7102,
    format: 'Failed to retrieve payment plugin info for payment %s: %s',
  },
  PAYMENT_PLUGIN_SEARCH_PAYMENT_METHODS: {
    name: 'PAYMENT_PLUGIN_SEARCH_PAYMENT_METHODS',
    code: 7103,
    format: 'Error while searching payment methods in plugin %s for search key %s',
  },
  PAYMENT_PLUGIN_SEARCH_PAYMENTS: {
    name: 'PAYMENT_PLUGIN_SEARCH_PAYMENTS',
    code: 7105,
    format: 'Error while searching payments in plugin %s for search key %s',
  },
  PAYMENT_PLUGIN_API_ABORTED: {
    name: 'PAYMENT_PLUGIN_API_ABORTED',
    code: 7106,
    format: 'Control plugin aborted call: %s',
  },
  PAYMENT_PLUGIN_EXCEPTION: {
    name: 'PAYMENT_PLUGIN_EXCEPTION',
    code: 7199,
    format: 'Plugin exception %s',
  },
  ENT_ALREADY_BLOCKED: {
    name: 'ENT_ALREADY_BLOCKED',
    code: 8001,
    format: 'The blockable entity %s is already blocked',
  },
  ENT_INVALID_REQUESTED_DATE: {
    name: 'ENT_INVALID_REQUESTED_DATE',
    code: 8002,
    format: 'Requested date %s for entitlement operation is invalid',
  },
  ENT_PLUGIN_API_ABORTED: {
    name: 'ENT_PLUGIN_API_ABORTED',
    code: 8003,
    format: 'Entitlement plugin aborted call: %s',
  },
  ENT_UNCANCEL_BAD_STATE: {
    name: 'ENT_UNCANCEL_BAD_STATE',
    code: 8004,
    format: 'Subscription (entitlement) %s was not previously cancelled or is not in a pending cancelled state: Failed to uncancel plan',
  },
  CUSTOM_FIELD_ALREADY_EXISTS: {
    name: 'CUSTOM_FIELD_ALREADY_EXISTS',
    code: 9000,
    format: 'The custom field %s already exists',
  },
  CUSTOM_FIELD_DOES_NOT_EXISTS_FOR_ID: {
    name: 'CUSTOM_FIELD_DOES_NOT_EXISTS_FOR_ID',
    code: 9001,
    format: 'The custom field does not exists for id %s',
  },
  CUSTOM_FIELD_INVALID_UPDATE: {
    name: 'CUSTOM_FIELD_INVALID_UPDATE',
    code: 9002,
    format: 'Failed to update custom field %s: Invalid value %s for field %s',
  },
  CURRENCY_NO_SUCH_PAYMENT_PLUGIN: {
    name: 'CURRENCY_NO_SUCH_PAYMENT_PLUGIN',
    code: 10000,
    format: 'Currency plugin %s is not registered',
  },
  TENANT_ALREADY_EXISTS: {
    name: 'TENANT_ALREADY_EXISTS',
    code: 20000,
    format: 'Tenant already exists for key %s',
  },
  TENANT_DOES_NOT_EXIST_FOR_ID: {
    name: 'TENANT_DOES_NOT_EXIST_FOR_ID',
    code: 20001,
    format: 'Tenant does not exist for id %s',
  },
  TENANT_DOES_NOT_EXIST_FOR_KEY: {
    name: 'TENANT_DOES_NOT_EXIST_FOR_KEY',
    code: 20002,
    format: 'Tenant does not exist for key %s',
  },
  TENANT_DOES_NOT_EXIST_FOR_API_KEY: {
    name: 'TENANT_DOES_NOT_EXIST_FOR_API_KEY',
    code: 20003,
    format: 'Tenant does not exist for api key %s',
  },
  TENANT_CREATION_FAILED: {
    name: 'TENANT_CREATION_FAILED',
    code: 20004,
    format: 'Tenant creation failed.',
  },
  TENANT_UPDATE_FAILED: {
    name: 'TENANT_UPDATE_FAILED',
    code: 20005,
    format: 'Tenant update failed.',
  },
  TENANT_NO_SUCH_KEY: {
    name: 'TENANT_NO_SUCH_KEY',
    code: 20006,
    format: 'Tenant %s does not have a key %s',
  },
  EMAIL_SENDING_FAILED: {
    name: 'EMAIL_SENDING_FAILED',
    code: 30000,
    format: 'Sending email failed',
  },
  SECURITY_NOT_ENOUGH_PERMISSIONS: {
    name: 'SECURITY_NOT_ENOUGH_PERMISSIONS',
    code: 40000,
    format: "User doesn't have enough permissions",
  },
  SECURITY_INVALID_USER: {
    name: 'SECURITY_INVALID_USER',
    code: 40001,
    format: 'The user %s does not exist or has been inactivated',
  },
  SECURITY_USER_ALREADY_EXISTS: {
    name: 'SECURITY_USER_ALREADY_EXISTS',
    code: 40002,
    format: 'The user %s already exists',
  },
  SECURITY_INVALID_ROLE: {
    name: 'SECURITY_INVALID_ROLE',
    code: 40003,
    format: 'The role %s does not exist or has been inactivated',
  },
  SECURITY_ROLE_ALREADY_EXISTS: {
    name: 'SECURITY_ROLE_ALREADY_EXISTS',
    code: 40004,
    format: 'The role %s already exists',
  },
  SECURITY_INVALID_PERMISSIONS: {
    name: 'SECURITY_INVALID_PERMISSIONS',
    code: 40005,
    format: 'The permission %s is invalid',
  },
  USAGE_RECORD_TRACKING_ID_ALREADY_EXISTS: {
    name: 'USAGE_RECORD_TRACKING_ID_ALREADY_EXISTS',
    code: 50000,
    format: 'A usage record with tracking ID %s already exists',
  },
  __UNKNOWN_ERROR_CODE: {
    name: '__UNKNOWN_ERROR_CODE',
    code: -1,
    format: 'Unknown ErrorCode',
  },
} as const satisfies Record<string, ErrorCodeDefinition>;

export type ErrorCodeName = keyof typeof ErrorCode;

/** All error code definitions, in Java enum declaration order. */
export const ALL_ERROR_CODES: readonly ErrorCodeDefinition[] = Object.values(ErrorCode);

/**
 * Mirrors Java `ErrorCode.fromCode(int)`: the first definition (in declaration order) with the given numeric
 * code, or `__UNKNOWN_ERROR_CODE` when none matches.
 */
export function errorCodeFromCode(code: number): ErrorCodeDefinition {
  for (const def of ALL_ERROR_CODES) {
    if (def.code === code) {
      return def;
    }
  }
  return ErrorCode.__UNKNOWN_ERROR_CODE;
}

/** Looks a definition up by its enum name; undefined when the name is unknown. */
export function errorCodeFromName(name: string): ErrorCodeDefinition | undefined {
  return Object.prototype.hasOwnProperty.call(ErrorCode, name) ? (ErrorCode as Record<string, ErrorCodeDefinition>)[name] : undefined;
}

const FORMAT_SPECIFIER = /%(?:(\d+)\$)?([-#+ 0,(]*)(\d+)?(?:\.(\d+))?([sSdfn%])/g;

function renderString(value: unknown): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  return String(value);
}

function renderInteger(value: unknown): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (typeof value === 'bigint') {
    return value.toString();
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return Math.trunc(value).toString();
  }
  return String(value);
}

function renderFloat(value: unknown, precision: number): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value.toFixed(precision) : String(value);
  }
  if (typeof value === 'bigint') {
    return Number(value).toFixed(precision);
  }
  // Decimal-like objects (e.g. big.js) expose toFixed(dp).
  const maybe = value as { toFixed?: unknown };
  if (typeof maybe.toFixed === 'function') {
    return String((maybe.toFixed as (dp: number) => unknown).call(value, precision));
  }
  const n = Number(value);
  return Number.isFinite(n) ? n.toFixed(precision) : String(value);
}

function pad(text: string, flags: string, width: string | undefined): string {
  if (width === undefined) {
    return text;
  }
  const w = Number(width);
  if (text.length >= w) {
    return text;
  }
  return flags.includes('-') ? text.padEnd(w, ' ') : text.padStart(w, ' ');
}

/**
 * Renders a Java String.format style message with the given arguments (supports %s, %d, %f and %%,
 * positional arguments in order).
 *
 * Also understands `%S` (upper-cased string), `%n` (newline), explicit argument indexes (`%2$s`), a minimum
 * width with the `-` (left-justify) flag, and a precision for `%f` (default 6, as in Java) or `%s`
 * (truncation). `null`/`undefined` arguments render as `null`, as Java does. Where Java would throw
 * (missing argument), the specifier is left in the output verbatim instead; extra arguments are ignored.
 */
export function formatErrorMessage(def: ErrorCodeDefinition, args: readonly unknown[]): string {
  let next = 0;
  return def.format.replace(
    FORMAT_SPECIFIER,
    (match: string, index: string | undefined, flags: string, width: string | undefined, precision: string | undefined, conversion: string): string => {
      if (conversion === '%') {
        return pad('%', flags, width);
      }
      if (conversion === 'n') {
        return '\n';
      }
      const argIndex = index !== undefined ? Number(index) - 1 : next++;
      if (argIndex < 0 || argIndex >= args.length) {
        return match;
      }
      const value = args[argIndex];
      let text: string;
      switch (conversion) {
        case 'd':
          text = renderInteger(value);
          break;
        case 'f':
          text = renderFloat(value, precision !== undefined ? Number(precision) : 6);
          break;
        default: {
          text = renderString(value);
          if (precision !== undefined) {
            text = text.slice(0, Number(precision));
          }
          if (conversion === 'S') {
            text = text.toUpperCase();
          }
        }
      }
      return pad(text, flags, width);
    },
  );
}
