import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { AuditLevel, AuditLevelPipe, AuditQuery, BooleanPipe, TenantScoped, UuidParam } from '@kb/platform';
import { type ObjectType, ObjectTypePipe } from '@kb/tag';
import { CustomField } from '../custom-field/custom-field.dto';
import { toCustomFieldJson } from '../custom-field/custom-field.mapper';
import { IncludedDeletedQuery, ObjectTypeQuery } from '../object-metadata/metadata.decorators';
import { metadataController } from '../object-metadata/object-metadata.controller';
import { Tag } from '../tag/tag.dto';
import { toTagJson } from '../tag/tag.mapper';

/**
 * Tags, custom fields and auditLogsWithHistory of an account (the generic sub-resources), plus the
 * account-wide allTags / allCustomFields over every object the account owns. The Account resource
 * owns the other /accounts routes.
 */
export class AccountMetadataController extends metadataController({
  objectType: 'ACCOUNT',
  path: 'accounts',
  idParam: 'accountId',
  operationName: 'Account',
  label: 'account',
  auditSummary: 'Retrieve account audit logs with history by account id',
}) {
  @Get(':accountId/allTags')
  @TenantScoped()
  @ApiOperation({ operationId: 'getAllTags', summary: 'Retrieve account tags' })
  @ObjectTypeQuery()
  @IncludedDeletedQuery()
  @AuditQuery()
  @ApiOkResponse({ type: [Tag] })
  @ApiResponse({ status: 400, description: 'Invalid account id supplied' })
  @ApiResponse({ status: 404, description: 'Account not found' })
  async getAllTags(
    @UuidParam('accountId') accountId: string,
    @Query('objectType', ObjectTypePipe) objectType: ObjectType | undefined,
    @Query('includedDeleted', new BooleanPipe(false)) includedDeleted: boolean,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Tag[]> {
    return (await this.tags.forAccount(accountId, objectType, { includedDeleted, audit })).map(toTagJson);
  }

  @Get(':accountId/allCustomFields')
  @TenantScoped()
  @ApiOperation({ operationId: 'getAllCustomFields', summary: 'Retrieve account customFields' })
  @ObjectTypeQuery()
  @AuditQuery()
  @ApiOkResponse({ type: [CustomField] })
  @ApiResponse({ status: 400, description: 'Invalid account id supplied' })
  @ApiResponse({ status: 404, description: 'Account not found' })
  async getAllCustomFields(
    @UuidParam('accountId') accountId: string,
    @Query('objectType', ObjectTypePipe) objectType: ObjectType | undefined,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<CustomField[]> {
    return (await this.customFields.forAccount(accountId, objectType, audit)).map(toCustomFieldJson);
  }
}
