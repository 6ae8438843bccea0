import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type FindOptionsWhere, In } from 'typeorm';
import {
  AuditLevel,
  type AuditLog,
  AuditLogs,
  type AuditTarget,
  columnLength,
  type AuditedObjectType,
  currentTenant,
  escapeLike,
  InvalidRequestException,
  KillBillException,
  ObjectRegistry,
  type Page,
  Queues,
  Transactions,
  withUniqueIndexes,
} from '@kb/platform';
import { isUuid } from '@kb/kernel';
import { CustomFieldRow } from './custom-field.entity';
import { CustomFieldCreation, CustomFieldDeletion, type CustomFieldEventPayload } from './custom-field-events';

export interface CustomFieldView {
  readonly field: CustomFieldRow;
  readonly auditLogs: AuditLog[];
}

export interface NewCustomField {
  readonly name?: string | null;
  readonly value?: string | null;
}

/** A change of value; the name, when given, must be the field's (object id and type come from the path, as in Kill Bill). */
export interface CustomFieldChange {
  readonly customFieldId?: string | null;
  readonly value?: string | null;
  readonly name?: string | null;
}

export interface CustomFieldSearch {
  readonly objectType: AuditedObjectType;
  readonly fieldName: string;
  readonly fieldValue?: string;
}

const TABLE = 'custom_fields';
const MAX_NAME = columnLength(CustomFieldRow, 'fieldName');
const MAX_VALUE = columnLength(CustomFieldRow, 'fieldValue');

/**
 * Custom fields on any object type registered in the ObjectRegistry. Creations and removals post
 * CUSTOM_FIELD_CREATION / CUSTOM_FIELD_DELETION on the bus in their transaction.
 */
@Injectable()
export class CustomFieldService {
  constructor(
    private readonly transactions: Transactions,
    private readonly auditLogs: AuditLogs,
    private readonly queues: Queues,
    private readonly objects: ObjectRegistry,
  ) {}

  /** The active fields of one object, oldest first. */
  async forObject(objectType: AuditedObjectType, objectId: string, audit: AuditLevel = AuditLevel.NONE): Promise<CustomFieldView[]> {
    const object = await this.objects.require(objectType, objectId);
    return this.load({ objectId: object.id, objectType }, audit);
  }

  /** The active fields of every object an account owns, optionally of one object type. */
  async forAccount(accountId: string, objectType: AuditedObjectType | undefined, audit: AuditLevel = AuditLevel.NONE): Promise<CustomFieldView[]> {
    const account = await this.objects.require('ACCOUNT', accountId);
    return this.load({ accountRecordId: account.recordId, ...(objectType ? { objectType } : {}) }, audit);
  }

  /** Adds fields; the same name and value twice on one object is CUSTOM_FIELD_ALREADY_EXISTS. */
  async add(objectType: AuditedObjectType, objectId: string, fields: readonly NewCustomField[]): Promise<void> {
    const inputs = fields.map((field) => ({
      name: required(field.name, 'CustomFieldJson name needs to be set', 'name', MAX_NAME),
      value: required(field.value, 'CustomFieldJson value needs to be set', 'value', MAX_VALUE),
    }));
    if (inputs.length === 0) return;
    const object = await this.objects.require(objectType, objectId);
    // The check finds a duplicate already stored; the index decides between parallel adds of one field.
    let id = '';
    const alreadyExists = () => new KillBillException('CUSTOM_FIELD_ALREADY_EXISTS', [id]);
    await withUniqueIndexes(
      () =>
        this.transactions.run(async (manager) => {
          const repository = manager.getRepository(CustomFieldRow);
          for (const input of inputs) {
            id = randomUUID();
            const duplicate = await repository.exists({
              where: { tenantRecordId: object.tenantRecordId, objectId: object.id, objectType, fieldName: input.name, fieldValue: input.value, isActive: true },
            });
            if (duplicate) throw alreadyExists();
            const field = repository.create({
              id,
              tenantRecordId: object.tenantRecordId,
              accountRecordId: object.accountRecordId,
              objectId: object.id,
              objectType,
              fieldName: input.name,
              fieldValue: input.value,
              isActive: true,
            });
            await repository.save(field);
            await this.queues.post(CustomFieldCreation, fieldEvent(field), { accountRecordId: object.accountRecordId });
          }
        }),
      { custom_fields_active: alreadyExists },
    );
  }

  /** Changes values: an unknown field is 9001, one of another object or with another name/type is 9002. */
  async modify(objectType: AuditedObjectType, objectId: string, changes: readonly CustomFieldChange[]): Promise<void> {
    const inputs = changes.map((change) => ({
      id: uuid(required(change.customFieldId, 'CustomFieldJson id needs to be set', 'customFieldId')),
      value: required(change.value, 'CustomFieldJson value needs to be set', 'value', MAX_VALUE),
      name: change.name ?? undefined,
    }));
    if (inputs.length === 0) return;
    const object = await this.objects.require(objectType, objectId);
    // A new value equal to another field's of the same name breaks the index: that field exists already.
    let changed = '';
    await withUniqueIndexes(
      () =>
        this.transactions.run(async (manager) => {
          const repository = manager.getRepository(CustomFieldRow);
          for (const input of inputs) {
            changed = input.id;
            const field = await repository.findOne({ where: { tenantRecordId: object.tenantRecordId, id: input.id, isActive: true } });
            if (!field) throw new KillBillException('CUSTOM_FIELD_DOES_NOT_EXISTS_FOR_ID', [input.id]);
            if (field.objectId !== object.id) throw new KillBillException('CUSTOM_FIELD_INVALID_UPDATE', [input.id, object.id, 'ObjectId']);
            if (field.objectType !== objectType) throw new KillBillException('CUSTOM_FIELD_INVALID_UPDATE', [input.id, objectType, 'ObjectType']);
            if (input.name !== undefined && input.name !== field.fieldName)
              throw new KillBillException('CUSTOM_FIELD_INVALID_UPDATE', [input.id, input.name, 'FieldName']);
            field.fieldValue = input.value;
            await repository.save(field);
          }
        }),
      { custom_fields_active: () => new KillBillException('CUSTOM_FIELD_ALREADY_EXISTS', [changed]) },
    );
  }

  /** Removes the given fields of the object (all of them when none is given); ids of other objects are ignored. */
  async remove(objectType: AuditedObjectType, objectId: string, customFieldIds: readonly string[]): Promise<void> {
    const object = await this.objects.require(objectType, objectId);
    await this.transactions.run(async (manager) => {
      const repository = manager.getRepository(CustomFieldRow);
      const fields = await repository.find({
        where: {
          tenantRecordId: object.tenantRecordId,
          objectId: object.id,
          objectType,
          isActive: true,
          ...(customFieldIds.length > 0 ? { id: In(customFieldIds.map((id) => id.toLowerCase())) } : {}),
        },
        order: { recordId: 'ASC' },
      });
      for (const field of fields) {
        field.isActive = false;
        await repository.save(field);
        await this.queues.post(CustomFieldDeletion, fieldEvent(field), { accountRecordId: object.accountRecordId });
      }
    });
  }

  /** Active fields of the tenant, by record id, paged in SQL. */
  async page(offset: number, limit: number, audit: AuditLevel = AuditLevel.NONE): Promise<Page<CustomFieldView>> {
    const where = { tenantRecordId: currentTenant().recordId, isActive: true };
    const [rows, total] = await this.repository().findAndCount({ where, order: { recordId: 'ASC' }, skip: offset, take: limit });
    return { items: await this.views(rows, audit), offset, limit, total, maxNbRecords: total };
  }

  /** Active fields whose id is the key, or whose object type, object id, name or value contains it. */
  async search(searchKey: string, offset: number, limit: number, audit: AuditLevel = AuditLevel.NONE): Promise<Page<CustomFieldView>> {
    const like = `%${escapeLike(searchKey)}%`;
    return this.searchWhere(
      `(c.id::text = :searchKey OR c.object_type LIKE :like OR c.object_id::text LIKE :like OR c.field_name LIKE :like OR c.field_value LIKE :like)`,
      { searchKey, like },
      offset,
      limit,
      audit,
    );
  }

  /** Active fields of one object type with exactly this name (and value, when given). */
  async searchByTypeName(query: CustomFieldSearch, offset: number, limit: number, audit: AuditLevel = AuditLevel.NONE): Promise<Page<CustomFieldView>> {
    const byValue = query.fieldValue !== undefined;
    return this.searchWhere(
      `c.object_type = :objectType AND c.field_name = :fieldName${byValue ? ' AND c.field_value = :fieldValue' : ''}`,
      { objectType: query.objectType, fieldName: query.fieldName, fieldValue: query.fieldValue },
      offset,
      limit,
      audit,
    );
  }

  /** Every change of a field, with the row as it was after it (FULL). */
  async auditLogsWithHistory(customFieldId: string): Promise<AuditLog[]> {
    const field = await this.repository().findOne({ where: { tenantRecordId: currentTenant().recordId, id: customFieldId } });
    if (!field) throw new NotFoundException(`Object id=${customFieldId} type=CUSTOM_FIELD doesn't exist!`);
    return this.auditLogs.forRecord(this.auditTarget(), field.recordId, AuditLevel.FULL, true);
  }

  private async searchWhere(
    condition: string,
    parameters: Record<string, unknown>,
    offset: number,
    limit: number,
    audit: AuditLevel,
  ): Promise<Page<CustomFieldView>> {
    const tenantRecordId = currentTenant().recordId;
    const [rows, total] = await this.repository()
      .createQueryBuilder('c')
      .where('c.tenant_record_id = :tenantRecordId AND c.is_active = TRUE', { tenantRecordId })
      .andWhere(condition, parameters)
      .orderBy('c.record_id', 'ASC')
      .skip(offset)
      .take(limit)
      .getManyAndCount();
    const maxNbRecords = await this.repository().count({ where: { tenantRecordId, isActive: true } });
    return { items: await this.views(rows, audit), offset, limit, total, maxNbRecords };
  }

  private async load(where: FindOptionsWhere<CustomFieldRow>, audit: AuditLevel): Promise<CustomFieldView[]> {
    const rows = await this.repository().find({ where: { ...where, tenantRecordId: currentTenant().recordId, isActive: true }, order: { recordId: 'ASC' } });
    return this.views(rows, audit);
  }

  private async views(rows: CustomFieldRow[], audit: AuditLevel): Promise<CustomFieldView[]> {
    const logs = await this.auditLogs.forRecords(
      this.auditTarget(),
      rows.map((row) => row.recordId),
      audit,
    );
    return rows.map((field) => ({ field, auditLogs: logs.get(field.recordId) ?? [] }));
  }

  private repository() {
    return this.transactions.manager().getRepository(CustomFieldRow);
  }

  private auditTarget(): AuditTarget {
    return { tableName: TABLE, objectType: 'CUSTOM_FIELD', tenantRecordId: currentTenant().recordId };
  }
}

/** Kill Bill's verifyNonNullOrEmpty (400), plus the column's length so an overlong value is a 400 too. */
function required(value: string | null | undefined, message: string, field: string, maxLength?: number): string {
  if (typeof value !== 'string' || value === '') throw new InvalidRequestException(message);
  if (maxLength !== undefined && value.length > maxLength) throw new InvalidRequestException(`CustomFieldJson ${field} is longer than ${maxLength} characters`);
  return value;
}

function uuid(value: string): string {
  if (!isUuid(value)) throw new InvalidRequestException(`Invalid UUID for customFieldId: ${value}`);
  return value.toLowerCase();
}

function fieldEvent(field: CustomFieldRow): CustomFieldEventPayload {
  return { objectType: 'CUSTOM_FIELD', objectId: field.id, customFieldObjectId: field.objectId, customFieldObjectType: field.objectType };
}
