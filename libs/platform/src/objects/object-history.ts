import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLevel } from '../audit/audit-level';
import type { AuditLog } from '../audit/audit-log.dto';
import { AuditLogs } from '../audit/audit-logs';
import { type AuditedObjectType, auditedOptionsOf } from '../audit/audited';
import { ObjectRegistry } from './object-registry';

/**
 * `GET /<objects>/{id}/auditLogsWithHistory` for any registered object type: every change of the
 * object's row with the row as it was after it. The table is the one of the @Audited entity of the type.
 */
@Injectable()
export class ObjectHistory {
  private tables?: Map<AuditedObjectType, string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly objects: ObjectRegistry,
    private readonly auditLogs: AuditLogs,
  ) {}

  async withHistory(objectType: AuditedObjectType, id: string): Promise<AuditLog[]> {
    const object = await this.objects.require(objectType, id);
    const tableName = this.tableOf(objectType);
    return this.auditLogs.forRecord({ tableName, objectType, tenantRecordId: object.tenantRecordId }, object.recordId, AuditLevel.FULL, true);
  }

  private tableOf(objectType: AuditedObjectType): string {
    if (!this.tables) {
      this.tables = new Map();
      for (const metadata of this.dataSource.entityMetadatas) {
        const options = auditedOptionsOf(metadata.target as Function);
        if (options && !this.tables.has(options.objectType)) this.tables.set(options.objectType, metadata.tableName);
      }
    }
    const table = this.tables.get(objectType);
    // A registered type without an audited entity is a wiring mistake of the server, not of the request.
    if (!table) throw new Error(`No @Audited entity holds objects of type ${objectType}`);
    return table;
  }
}
