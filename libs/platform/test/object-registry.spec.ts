import { NotFoundException } from '@nestjs/common';
import { KillBillException, newRequestContext, type ObjectRef, ObjectRegistry, runWithContext } from '@kb/platform';

const TENANT = 7;
const account: ObjectRef = { objectType: 'ACCOUNT', id: 'a1', recordId: 1, accountRecordId: 1, tenantRecordId: TENANT };

function inTenant<T>(fn: () => Promise<T>): Promise<T> {
  return runWithContext(newRequestContext({ tenant: { recordId: TENANT } }), fn);
}

describe('ObjectRegistry', () => {
  it('refuses a second registration of a type', () => {
    const registry = new ObjectRegistry();
    registry.register('ACCOUNT', async () => account);
    expect(() => registry.register('ACCOUNT', async () => undefined)).toThrow('already registered for ACCOUNT');
    expect(registry.isRegistered('ACCOUNT')).toBe(true);
    expect(registry.isRegistered('BUNDLE')).toBe(false);
  });

  it('finds a registered object in the current tenant', async () => {
    const registry = new ObjectRegistry();
    const seen: unknown[] = [];
    registry.register('ACCOUNT', async (id, tenantRecordId) => {
      seen.push([id, tenantRecordId]);
      return account;
    });
    await expect(inTenant(() => registry.require('ACCOUNT', 'a1'))).resolves.toBe(account);
    expect(seen).toEqual([['a1', TENANT]]);
  });

  it('answers a missing account with ACCOUNT_DOES_NOT_EXIST_FOR_ID and other missing objects with a 404', async () => {
    const registry = new ObjectRegistry();
    registry.register('ACCOUNT', async () => undefined);
    registry.register('INVOICE', async () => undefined);
    const missingAccount = await inTenant(() => registry.require('ACCOUNT', 'a2')).catch((error: unknown) => error);
    expect(missingAccount).toBeInstanceOf(KillBillException);
    expect((missingAccount as KillBillException).errorCode.name).toBe('ACCOUNT_DOES_NOT_EXIST_FOR_ID');
    await expect(inTenant(() => registry.require('INVOICE', 'i1'))).rejects.toThrow(new NotFoundException("Object id=i1 type=INVOICE doesn't exist!"));
  });

  it('answers an object of a type nobody registered as not found (404), not as a server error', async () => {
    const registry = new ObjectRegistry();
    await expect(registry.resolve('BUNDLE', 'b1', TENANT)).resolves.toBeUndefined();
    const error = await inTenant(() => registry.require('BUNDLE', 'b1')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundException);
    expect((error as NotFoundException).getStatus()).toBe(404);
    expect((error as NotFoundException).message).toBe("Object id=b1 type=BUNDLE doesn't exist!");
  });
});
