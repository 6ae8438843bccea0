import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FindOptionsWhere } from 'typeorm';
import {
  AuditLevel,
  type AuditLog,
  AuditLogs,
  type AuditTarget,
  type AuditedObjectType,
  currentTenant,
  escapeLike,
  IllegalStateError,
  KillBillException,
  Locks,
  type ObjectRef,
  ObjectRegistry,
  type Page,
  Queues,
  Transactions,
} from '@kb/platform';
import { builtInTagDefinition, BUILT_IN_TAG_DEFINITIONS, isSystemTagId } from './control-tags';
import { TagDefinitionService, type TagDefinitionView } from './tag-definition.service';
import { TagRow } from './tag.entity';
import { TagCreation, TagDeletion, type TagEventPayload } from './tag-events';

/** A tag as the API shows it: the row, the name of its definition and its audit logs. */
export interface TagView {
  readonly tag: TagRow;
  readonly tagDefinitionName: string | null;
  readonly auditLogs: AuditLog[];
}

export interface TagListOptions {
  readonly includedDeleted?: boolean;
  readonly audit?: AuditLevel;
}

/** Checks a removal may happen (e.g. AUTO_PAY_OFF needs a default payment method); throws to refuse. */
export type TagRemovalCheck = (object: ObjectRef, tagDefinitionIds: readonly string[]) => Promise<void>;

const TABLE = 'tags';
const TAG_API_EXCEPTION = 'org.killbill.billing.util.api.TagApiException';

/**
 * Tags on any object type registered in the ObjectRegistry (account, bundle, invoice, payment, …).
 * Every change posts TAG_CREATION / TAG_DELETION on the bus in its transaction; the objects' owners
 * react to control tags (AUTO_PAY_OFF, AUTO_INVOICING_OFF, …) from there.
 */
@Injectable()
export class TagService {
  private readonly removalChecks = new Map<AuditedObjectType, TagRemovalCheck[]>();

  constructor(
    private readonly transactions: Transactions,
    private readonly locks: Locks,
    private readonly auditLogs: AuditLogs,
    private readonly queues: Queues,
    private readonly objects: ObjectRegistry,
    private readonly definitions: TagDefinitionService,
  ) {}

  /** Lets the owner of an object type veto tag removals (Kill Bill's TAG_CANNOT_BE_REMOVED). */
  registerRemovalCheck(objectType: AuditedObjectType, check: TagRemovalCheck): void {
    this.removalChecks.set(objectType, [...(this.removalChecks.get(objectType) ?? []), check]);
  }

  /** The tags of one object, oldest first. */
  async forObject(objectType: AuditedObjectType, objectId: string, options: TagListOptions = {}): Promise<TagView[]> {
    const object = await this.objects.require(objectType, objectId);
    return this.load({ objectId: object.id, objectType }, options);
  }

  /** Every tag of the objects an account owns (the account itself, its bundles, invoices, …), optionally of one type. */
  async forAccount(accountId: string, objectType: AuditedObjectType | undefined, options: TagListOptions = {}): Promise<TagView[]> {
    const account = await this.objects.require('ACCOUNT', accountId);
    return this.load({ accountRecordId: account.recordId, ...(objectType ? { objectType } : {}) }, options);
  }

  /**
   * Attaches tags by definition id. Idempotent: a tag already on the object is left as is. The system tag
   * `__PARK__` is refused (TAG_IS_SYSTEM), a control tag on an object type it does not apply to fails as in
   * Kill Bill (500), an unknown definition is TAG_DEFINITION_DOES_NOT_EXIST raised as a tag error (400).
   */
  async add(objectType: AuditedObjectType, objectId: string, tagDefinitionIds: readonly string[], options: { system?: boolean } = {}): Promise<void> {
    // Only Kill Bill itself parks an account (invoicing failures): `system` is never set by a request.
    if (!options.system) for (const id of tagDefinitionIds) if (isSystemTagId(id)) throw new KillBillException('TAG_IS_SYSTEM', [id]);
    const object = await this.objects.require(objectType, objectId);
    await this.locks.withLock(tagsLockName(object), async (manager) => {
      const repository = manager.getRepository(TagRow);
      for (const definitionId of new Set(tagDefinitionIds)) {
        const builtIn = builtInTagDefinition(definitionId);
        if (builtIn?.isControlTag && !(builtIn.applicableObjectTypes as readonly string[]).includes(objectType)) {
          throw new IllegalStateError(`Invalid control tag '${builtIn.name}' for object type '${objectType}'`);
        }
        const active = await repository.exists({
          where: { tenantRecordId: object.tenantRecordId, objectId: object.id, objectType, tagDefinitionId: definitionId, isActive: true },
        });
        if (active) continue;
        const definition = await this.definitions.findForTagging(definitionId);
        if (!definition) throw new KillBillException('TAG_DEFINITION_DOES_NOT_EXIST', [definitionId], { status: 400, className: TAG_API_EXCEPTION });
        const tag = repository.create({
          id: randomUUID(),
          tenantRecordId: object.tenantRecordId,
          accountRecordId: object.accountRecordId,
          tagDefinitionId: definitionId,
          objectId: object.id,
          objectType,
          isActive: true,
        });
        await repository.save(tag);
        await this.queues.post(TagCreation, tagEvent(tag, definition), { accountRecordId: object.accountRecordId });
      }
    });
  }

  /** Removes tags by definition id; a definition with no active tag on the object is TAG_DOES_NOT_EXIST (404). */
  async remove(objectType: AuditedObjectType, objectId: string, tagDefinitionIds: readonly string[]): Promise<void> {
    const object = await this.objects.require(objectType, objectId);
    for (const check of this.removalChecks.get(objectType) ?? []) await check(object, tagDefinitionIds);
    await this.locks.withLock(tagsLockName(object), async (manager) => {
      const repository = manager.getRepository(TagRow);
      for (const definitionId of new Set(tagDefinitionIds)) {
        const definition = await this.definitions.findForTagging(definitionId);
        if (!definition) throw new KillBillException('TAG_DEFINITION_DOES_NOT_EXIST', [definitionId], { status: 400, className: TAG_API_EXCEPTION });
        const tags = await repository.find({
          where: { tenantRecordId: object.tenantRecordId, objectId: object.id, objectType, tagDefinitionId: definitionId, isActive: true },
          order: { recordId: 'ASC' },
        });
        if (tags.length === 0) throw new KillBillException('TAG_DOES_NOT_EXIST', [definition.name]);
        for (const tag of tags) {
          tag.isActive = false;
          await repository.save(tag);
        }
        await this.queues.post(TagDeletion, tagEvent(tags[0], definition), { accountRecordId: object.accountRecordId });
      }
    });
  }

  /** Active tags of the tenant, by record id, paged in SQL. */
  async page(offset: number, limit: number, audit: AuditLevel = AuditLevel.NONE): Promise<Page<TagView>> {
    const tenantRecordId = currentTenant().recordId;
    const where = { tenantRecordId, isActive: true };
    const [rows, total] = await this.repository().findAndCount({ where, order: { recordId: 'ASC' }, skip: offset, take: limit });
    return { items: await this.views(rows, audit), offset, limit, total, maxNbRecords: total };
  }

  /**
   * Active tags whose id is the key, or whose object type, definition name or definition description
   * contains it (Kill Bill's tag search), paged in SQL.
   */
  async search(searchKey: string, offset: number, limit: number, audit: AuditLevel = AuditLevel.NONE): Promise<Page<TagView>> {
    const tenantRecordId = currentTenant().recordId;
    const like = `%${escapeLike(searchKey)}%`;
    const matchingDefinitions = [...BUILT_IN_TAG_DEFINITIONS.filter((d) => d.name.includes(searchKey) || d.description.includes(searchKey)).map((d) => d.id)];
    const builder = this.repository()
      .createQueryBuilder('t')
      .where('t.tenant_record_id = :tenantRecordId AND t.is_active = TRUE', { tenantRecordId })
      .andWhere(
        `(t.id::text = :searchKey OR t.object_type LIKE :like OR t.tag_definition_id = ANY(:builtIns::uuid[])
          OR t.tag_definition_id IN (SELECT d.id FROM tag_definitions d WHERE d.tenant_record_id = :tenantRecordId AND d.is_active = TRUE
                                      AND (d.name LIKE :like OR d.description LIKE :like)))`,
        { searchKey, like, builtIns: matchingDefinitions },
      );
    const [rows, total] = await builder.orderBy('t.record_id', 'ASC').skip(offset).take(limit).getManyAndCount();
    const maxNbRecords = await this.repository().count({ where: { tenantRecordId, isActive: true } });
    return { items: await this.views(rows, audit), offset, limit, total, maxNbRecords };
  }

  /** Every change of a tag, with the row as it was after it (FULL). */
  async auditLogsWithHistory(tagId: string): Promise<AuditLog[]> {
    const tag = await this.repository().findOne({ where: { tenantRecordId: currentTenant().recordId, id: tagId } });
    if (!tag) throw new NotFoundException(`Object id=${tagId} type=TAG doesn't exist!`);
    return this.auditLogs.forRecord(this.auditTarget(), tag.recordId, AuditLevel.FULL, true);
  }

  private async load(where: FindOptionsWhere<TagRow>, options: TagListOptions): Promise<TagView[]> {
    const rows = await this.repository().find({
      where: { ...where, tenantRecordId: currentTenant().recordId, ...(options.includedDeleted ? {} : { isActive: true }) },
      order: { recordId: 'ASC' },
    });
    return this.views(rows, options.audit ?? AuditLevel.NONE);
  }

  private async views(rows: TagRow[], audit: AuditLevel): Promise<TagView[]> {
    const definitions: Map<string, TagDefinitionView> = await this.definitions.byIds(rows.map((row) => row.tagDefinitionId));
    const logs = await this.auditLogs.forRecords(
      this.auditTarget(),
      rows.map((row) => row.recordId),
      audit,
    );
    return rows.map((tag) => ({ tag, tagDefinitionName: definitions.get(tag.tagDefinitionId)?.name ?? null, auditLogs: logs.get(tag.recordId) ?? [] }));
  }

  private repository() {
    return this.transactions.manager().getRepository(TagRow);
  }

  private auditTarget(): AuditTarget {
    return { tableName: TABLE, objectType: 'TAG', tenantRecordId: currentTenant().recordId };
  }
}

/**
 * The tags of one object are read, then written: adds and removes of one object take turns, so that
 * parallel adds of a tag make one row (adding stays idempotent, as Kill Bill's addTag) and parallel
 * removes deactivate it once. The unique index `tags_active` stands behind the lock.
 */
function tagsLockName(object: ObjectRef): string {
  return `TAGS:${object.tenantRecordId}:${object.id}`;
}

function tagEvent(tag: TagRow, definition: TagDefinitionView): TagEventPayload {
  return {
    objectType: 'TAG',
    objectId: tag.id,
    taggedObjectId: tag.objectId,
    taggedObjectType: tag.objectType,
    tagDefinitionId: definition.id,
    tagDefinitionName: definition.name,
    isControlTag: definition.isControlTag,
  };
}
