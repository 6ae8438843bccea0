import { Injectable } from '@nestjs/common';
import type { AuditedObjectType } from '../audit/audited';

/** A business object as the generic mechanisms (tags, custom fields, audit) need it. */
export interface ObjectRef {
  readonly objectType: AuditedObjectType;
  readonly id: string;
  readonly recordId: number;
  /** The owning account (the account itself for ACCOUNT); null for objects without one. */
  readonly accountRecordId: number | null;
  readonly tenantRecordId: number;
}

/** Finds an object of one type by id within a tenant. */
export type ObjectLookup = (id: string, tenantRecordId: number) => Promise<ObjectRef | undefined>;

/**
 * Object types declare themselves here (account, bundle, invoice, payment, …) so that tags, custom
 * fields and audit work on any of them without importing the modules that own them.
 */
@Injectable()
export class ObjectRegistry {
  private readonly lookups = new Map<AuditedObjectType, ObjectLookup>();

  register(objectType: AuditedObjectType, lookup: ObjectLookup): void {
    this.lookups.set(objectType, lookup);
  }

  isRegistered(objectType: AuditedObjectType): boolean {
    return this.lookups.has(objectType);
  }

  async resolve(objectType: AuditedObjectType, id: string, tenantRecordId: number): Promise<ObjectRef | undefined> {
    const lookup = this.lookups.get(objectType);
    if (!lookup) throw new Error(`No object lookup registered for ${objectType}`);
    return lookup(id, tenantRecordId);
  }
}
