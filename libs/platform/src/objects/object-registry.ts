import { Injectable, NotFoundException } from '@nestjs/common';
import type { AuditedObjectType } from '../audit/audited';
import { currentTenant } from '../context/request-context';
import { KillBillException } from '../errors/killbill.exception';

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

  /** One owner per type: a second registration is a wiring mistake, refused at start-up. */
  register(objectType: AuditedObjectType, lookup: ObjectLookup): void {
    if (this.lookups.has(objectType)) throw new Error(`An object lookup is already registered for ${objectType}`);
    this.lookups.set(objectType, lookup);
  }

  isRegistered(objectType: AuditedObjectType): boolean {
    return this.lookups.has(objectType);
  }

  /** The object, or undefined when it does not exist in the tenant (or no module of this server holds its type). */
  async resolve(objectType: AuditedObjectType, id: string, tenantRecordId: number): Promise<ObjectRef | undefined> {
    const lookup = this.lookups.get(objectType);
    return lookup ? lookup(id, tenantRecordId) : undefined;
  }

  /**
   * The object in the current tenant. A missing account is Kill Bill's ACCOUNT_DOES_NOT_EXIST_FOR_ID;
   * any other missing object, including one of a type no module registered, is its ObjectDoesNotExist (404).
   */
  async require(objectType: AuditedObjectType, id: string): Promise<ObjectRef> {
    const found = await this.resolve(objectType, id, currentTenant().recordId);
    if (found) return found;
    if (objectType === 'ACCOUNT') throw new KillBillException('ACCOUNT_DOES_NOT_EXIST_FOR_ID', [id]);
    throw new NotFoundException(`Object id=${id} type=${objectType} doesn't exist!`);
  }
}
