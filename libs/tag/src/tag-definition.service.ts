import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import {
  AuditLevel,
  type AuditLog,
  AuditLogs,
  type AuditTarget,
  currentTenant,
  KillBillException,
  Queues,
  tenantRepository,
  type TenantRepository,
  Transactions,
  withUniqueIndexes,
} from '@kb/platform';
import { BUILT_IN_TAG_DEFINITIONS, type BuiltInTagDefinition, builtInTagDefinition, isControlTagName } from './control-tags';
import type { ObjectType } from './object-types';
import { TagDefinitionRow } from './tag-definition.entity';
import { type TagDefinitionEventPayload, TagDefinitionCreation, TagDefinitionDeletion } from './tag-events';
import { TagRow } from './tag.entity';

/** A tag definition as the API shows it, built in or user defined. */
export interface TagDefinitionView {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly isControlTag: boolean;
  readonly applicableObjectTypes: readonly string[];
  readonly auditLogs: AuditLog[];
}

export interface NewTagDefinition {
  readonly name: string;
  readonly description: string;
  readonly applicableObjectTypes: readonly ObjectType[];
}

const TABLE = 'tag_definitions';

/** User tag definitions of a tenant, listed together with Kill Bill's control and system tags. */
@Injectable()
export class TagDefinitionService {
  constructor(
    private readonly transactions: Transactions,
    private readonly auditLogs: AuditLogs,
    private readonly queues: Queues,
  ) {}

  /** User definitions first (record order), then `__PARK__` and the control tags, as Kill Bill lists them. */
  async list(audit: AuditLevel = AuditLevel.NONE): Promise<TagDefinitionView[]> {
    const rows = await this.repository().find({ where: { isActive: true }, order: { recordId: 'ASC' } });
    const logs = await this.auditLogs.forRecords(
      this.auditTarget(),
      rows.map((row) => row.recordId),
      audit,
    );
    return [...rows.map((row) => userView(row, logs.get(row.recordId) ?? [])), ...BUILT_IN_TAG_DEFINITIONS.map(builtInView)];
  }

  async get(id: string, audit: AuditLevel = AuditLevel.NONE): Promise<TagDefinitionView> {
    const builtIn = builtInTagDefinition(id);
    if (builtIn) return builtInView(builtIn);
    const row = await this.findActive(id);
    if (!row) throw new KillBillException('TAG_DEFINITION_DOES_NOT_EXIST', [id]);
    return userView(row, await this.auditLogs.forRecord(this.auditTarget(), row.recordId, audit));
  }

  /**
   * Definitions by id (built-in or user, active or not) for naming tags; unknown ids are left out.
   * Deactivated definitions are kept so that removed tags (`includedDeleted`) still show their name.
   */
  async byIds(ids: Iterable<string>): Promise<Map<string, TagDefinitionView>> {
    const result = new Map<string, TagDefinitionView>();
    const userIds: string[] = [];
    for (const id of new Set(ids)) {
      const builtIn = builtInTagDefinition(id);
      if (builtIn) result.set(id, builtInView(builtIn));
      else userIds.push(id);
    }
    if (userIds.length > 0) {
      const rows = await this.repository().find({ where: { id: In(userIds) }, order: { recordId: 'ASC' } });
      for (const row of rows) if (!result.has(row.id) || row.isActive) result.set(row.id, userView(row, []));
    }
    return result;
  }

  /** An active user definition or a built-in one, for attaching tags; undefined when unknown. */
  async findForTagging(id: string): Promise<TagDefinitionView | undefined> {
    const builtIn = builtInTagDefinition(id);
    if (builtIn) return builtInView(builtIn);
    const row = await this.findActive(id);
    return row ? userView(row, []) : undefined;
  }

  async create(input: NewTagDefinition): Promise<TagDefinitionView> {
    if (/\p{Lu}/u.test(input.name)) throw new KillBillException('TAG_DEFINITION_HAS_UPPERCASE', [input.name]);
    if (isControlTagName(input.name)) throw new KillBillException('TAG_DEFINITION_CONFLICTS_WITH_CONTROL_TAG', [input.name]);
    const tenant = currentTenant();
    const create = () =>
      this.transactions.run(async (manager) => {
        const repository = tenantRepository(manager, TagDefinitionRow, tenant.recordId);
        if (await repository.exists({ where: { name: input.name, isActive: true } })) {
          throw new KillBillException('TAG_DEFINITION_ALREADY_EXISTS', [input.name]);
        }
        const row = repository.create({
          id: randomUUID(),
          name: input.name,
          description: input.description,
          applicableObjectTypes: input.applicableObjectTypes.join(','),
          isActive: true,
        });
        await repository.save(row);
        await this.queues.post(TagDefinitionCreation, definitionEvent(row));
        return userView(row, []);
      });
    return withUniqueIndexes(create, { tag_definitions_active_name: () => new KillBillException('TAG_DEFINITION_ALREADY_EXISTS', [input.name]) });
  }

  /** Deactivates a user definition that no active tag uses. */
  async delete(id: string): Promise<void> {
    const tenant = currentTenant();
    await this.transactions.run(async (manager) => {
      const row = await this.findActive(id);
      if (!row) throw new KillBillException('TAG_DEFINITION_DOES_NOT_EXIST', [id]);
      const inUse = await tenantRepository(manager, TagRow, tenant.recordId).exists({ where: { tagDefinitionId: row.id, isActive: true } });
      if (inUse) throw new KillBillException('TAG_DEFINITION_IN_USE', [id]);
      row.isActive = false;
      await tenantRepository(manager, TagDefinitionRow, tenant.recordId).save(row);
      await this.queues.post(TagDefinitionDeletion, definitionEvent(row));
    });
  }

  /** Every change of a user definition, with the row as it was after it (FULL). */
  async auditLogsWithHistory(id: string): Promise<AuditLog[]> {
    const row = await this.repository().findOne({ where: { id } });
    if (!row) throw new NotFoundException(`Object id=${id} type=TAG_DEFINITION doesn't exist!`);
    return this.auditLogs.forRecord(this.auditTarget(), row.recordId, AuditLevel.FULL, true);
  }

  private findActive(id: string): Promise<TagDefinitionRow | null> {
    return this.repository().findOne({ where: { id, isActive: true } });
  }

  private repository(): TenantRepository<TagDefinitionRow> {
    return tenantRepository(this.transactions.manager(), TagDefinitionRow);
  }

  private auditTarget(): AuditTarget {
    return { tableName: TABLE, objectType: 'TAG_DEFINITION', tenantRecordId: currentTenant().recordId };
  }
}

function userView(row: TagDefinitionRow, auditLogs: AuditLog[]): TagDefinitionView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    isControlTag: false,
    applicableObjectTypes: row.applicableObjectTypes ? row.applicableObjectTypes.split(',').filter(Boolean) : [],
    auditLogs,
  };
}

function builtInView(definition: BuiltInTagDefinition): TagDefinitionView {
  return { ...definition, applicableObjectTypes: [...definition.applicableObjectTypes], auditLogs: [] };
}

function definitionEvent(row: TagDefinitionRow): TagDefinitionEventPayload {
  return { objectType: 'TAG_DEFINITION', objectId: row.id, tagDefinitionName: row.name, isControlTag: false };
}
