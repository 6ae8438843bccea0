import { isCachedKey, TenantKvCache } from '../src/tenant-kv-cache';

describe('TenantKvCache', () => {
  it('caches Kill Bill’s CACHED_TENANT_KEY keys (prefixes included) and no other', () => {
    expect(['PUSH_NOTIFICATION_CB', 'PLUGIN_CONFIG_killbill-stripe', 'INVOICE_TRANSLATION_fr_FR', 'INVOICE_TEMPLATE'].map(isCachedKey)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['CATALOG', 'OVERDUE_CONFIG', 'PER_TENANT_CONFIG', 'my-user-key'].map(isCachedKey)).toEqual([false, false, false, false]);
  });

  it('keeps values per tenant and key until the key is invalidated', () => {
    const cache = new TenantKvCache();
    cache.put(1, 'PUSH_NOTIFICATION_CB', ['http://a'], cache.generation(1, 'PUSH_NOTIFICATION_CB'));
    cache.put(2, 'PUSH_NOTIFICATION_CB', [], cache.generation(2, 'PUSH_NOTIFICATION_CB'));
    expect(cache.get(1, 'PUSH_NOTIFICATION_CB')).toEqual(['http://a']);
    expect(cache.get(2, 'PUSH_NOTIFICATION_CB')).toEqual([]);
    cache.invalidate(1, 'PUSH_NOTIFICATION_CB');
    expect(cache.get(1, 'PUSH_NOTIFICATION_CB')).toBeUndefined();
    expect(cache.get(2, 'PUSH_NOTIFICATION_CB')).toEqual([]);
  });

  it('drops a value read before an invalidation of its key (a reader that saw the rows before a write committed)', () => {
    const cache = new TenantKvCache();
    const readAt = cache.generation(1, 'PUSH_NOTIFICATION_CB');
    cache.invalidate(1, 'PUSH_NOTIFICATION_CB');
    cache.put(1, 'PUSH_NOTIFICATION_CB', ['http://old'], readAt);
    expect(cache.get(1, 'PUSH_NOTIFICATION_CB')).toBeUndefined();
    // an invalidation of another key or tenant does not
    const again = cache.generation(1, 'PUSH_NOTIFICATION_CB');
    cache.invalidate(1, 'INVOICE_TEMPLATE');
    cache.invalidate(2, 'PUSH_NOTIFICATION_CB');
    cache.put(1, 'PUSH_NOTIFICATION_CB', ['http://new'], again);
    expect(cache.get(1, 'PUSH_NOTIFICATION_CB')).toEqual(['http://new']);
  });

  it('clears one tenant or everything, and a read in progress during a clear is not kept', () => {
    const cache = new TenantKvCache();
    cache.put(1, 'INVOICE_TEMPLATE', ['<html/>'], cache.generation(1, 'INVOICE_TEMPLATE'));
    cache.put(2, 'INVOICE_TEMPLATE', ['<p/>'], cache.generation(2, 'INVOICE_TEMPLATE'));
    cache.clear(1);
    expect([cache.get(1, 'INVOICE_TEMPLATE'), cache.get(2, 'INVOICE_TEMPLATE')]).toEqual([undefined, ['<p/>']]);
    const readAt = cache.generation(2, 'PUSH_NOTIFICATION_CB');
    cache.clear();
    cache.put(2, 'PUSH_NOTIFICATION_CB', ['http://old'], readAt);
    expect([cache.get(2, 'INVOICE_TEMPLATE'), cache.get(2, 'PUSH_NOTIFICATION_CB')]).toEqual([undefined, undefined]);
  });
});
