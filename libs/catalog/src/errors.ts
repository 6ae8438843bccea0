/**
 * Kill Bill ErrorCodes raised by the catalog engine (numbers and texts from killbill-api ErrorCode).
 * The platform's exception filter maps `CatalogApiException` to the Kill Bill error JSON.
 */
export const CATALOG_ERROR_CODES = {
  CAT_ILLEGAL_CHANGE_REQUEST: {
    code: 2001,
    format:
      "Attempting to change plan from (product: '%s', billing period: '%s', pricelist '%s') to (product: '%s', billing period: '%s', pricelist '%s'). This transition is not allowed by catalog rules",
  },
  CAT_MULTIPLE_MATCHING_PLANS_FOR_PRICELIST: {
    code: 2002,
    format:
      "There are multiple plans defined in pricelist '%s' for product: '%s' and billing period: '%s'. Use the planName instead of the non deterministic triplet {product, billing period, pricelist}",
  },
  CAT_NO_PRICE_FOR_CURRENCY: { code: 2010, format: "This price does not have a value for the currency '%s'." },
  CAT_PRICE_VALUE_NULL_FOR_CURRENCY: {
    code: 2011,
    format: "The value for the currency '%s' is NULL. This plan cannot be bought in this currency.",
  },
  CAT_NULL_PRICE_LIST_NAME: { code: 2012, format: 'Price list name was null' },
  CAT_PRICE_LIST_NOT_FOUND: { code: 2013, format: "Could not find a pricelist with name '%s'" },
  CAT_UNDEFINED_DURATION: { code: 2014, format: "Duration is not unlimited or invalid '%s'" },
  CAT_NULL_BILLING_PERIOD: { code: 2015, format: 'Billing period name was null' },
  CAT_PLAN_NOT_FOUND: {
    code: 2020,
    format: "Could not find a plan matching spec: (plan: '%s', product: '%s', billing period: '%s', pricelist '%s')",
  },
  CAT_NO_SUCH_PLAN: { code: 2021, format: "Could not find any plans named '%s'" },
  CAT_NO_SUCH_PRODUCT: { code: 2030, format: "Could not find any product named '%s'" },
  CAT_NULL_PRODUCT_NAME: { code: 2031, format: 'Product name was null' },
  CAT_NO_SUCH_PHASE: { code: 2040, format: "Could not find any phases named '%s'" },
  CAT_BAD_PHASE_NAME: { code: 2041, format: "Bad phase name '%s'" },
  CAT_NO_CATALOG_FOR_GIVEN_DATE: {
    code: 2050,
    format: "There is no catalog version that applies for the given date '%s'",
  },
  CAT_INVALID_SIMPLE_PLAN_DESCRIPTOR: { code: 2060, format: "Invalid simple plan descriptor '%s'" },
  CAT_FAILED_SIMPLE_PLAN_VALIDATION: { code: 2060, format: "Failed to validate simple Plan '%s' against descriptor '%s'" },
  CAT_NOT_TOP_UP_BLOCK: { code: 2075, format: 'Block for phase %s defines a TOP_UP property for a non TOP_UP block' },
  CAT_INVALID_FOR_TENANT: { code: 2080, format: 'Invalid catalog for tenant : %s' },
  CAT_INVALID_DEFAULT: { code: 2999, format: 'Invalid default catalog : %s' },
} as const;

export type CatalogErrorCodeName = keyof typeof CATALOG_ERROR_CODES;

/** Java `String.format` with `%s` only (null/undefined print as "null", like Java). */
export function formatJava(format: string, args: readonly unknown[]): string {
  let i = 0;
  return format.replace(/%s/g, () => {
    const a = args[i++];
    return a === null || a === undefined ? 'null' : String(a);
  });
}

/**
 * Kill Bill's CatalogApiException: carries the ErrorCode name and number, the message arguments and
 * the formatted text. Kept free of @kb/platform so the engine stays pure; the service layer rethrows
 * it as the platform's exception with `new KillBillException(e.codeName, e.args)` (same code names).
 */
export class CatalogApiException extends Error {
  readonly code: number;
  readonly args: readonly unknown[];

  constructor(
    readonly codeName: CatalogErrorCodeName,
    ...args: unknown[]
  ) {
    super(formatJava(CATALOG_ERROR_CODES[codeName].format, args));
    this.name = 'CatalogApiException';
    this.code = CATALOG_ERROR_CODES[codeName].code;
    this.args = args;
  }
}

/** The error an invalid upload (`POST /catalog/xml`) raises: 400 CAT_INVALID_FOR_TENANT (2080). */
export function invalidCatalogForTenant(tenantRecordId: number | string | bigint): CatalogApiException {
  return new CatalogApiException('CAT_INVALID_FOR_TENANT', String(tenantRecordId));
}
