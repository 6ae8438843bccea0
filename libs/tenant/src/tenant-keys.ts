/** Kill Bill's TenantKey names; keys ending in `_` take a suffix (plugin name, locale). */
export const TenantKey = {
  PUSH_NOTIFICATION_CB: 'PUSH_NOTIFICATION_CB',
  PER_TENANT_CONFIG: 'PER_TENANT_CONFIG',
  PLUGIN_CONFIG_: 'PLUGIN_CONFIG_',
  PLUGIN_PAYMENT_STATE_MACHINE_: 'PLUGIN_PAYMENT_STATE_MACHINE_',
  CATALOG: 'CATALOG',
  CATALOG_TRANSLATION_: 'CATALOG_TRANSLATION_',
  OVERDUE_CONFIG: 'OVERDUE_CONFIG',
  INVOICE_TRANSLATION_: 'INVOICE_TRANSLATION_',
  INVOICE_TEMPLATE: 'INVOICE_TEMPLATE',
  INVOICE_MP_TEMPLATE: 'INVOICE_MP_TEMPLATE',
} as const;

/** Every system key but CATALOG (one value per catalog version) holds a single value; user keys append. */
const SINGLE_VALUE_KEYS = Object.values(TenantKey).filter((key) => key !== TenantKey.CATALOG);

export function isSingleValueKey(key: string): boolean {
  return SINGLE_VALUE_KEYS.some((prefix) => key.startsWith(prefix));
}
