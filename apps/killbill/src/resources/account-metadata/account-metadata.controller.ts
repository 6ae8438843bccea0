import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditedCall, AuditLevel, AuditLevelPipe, AuditQuery, BooleanPipe, Created, TenantScoped, UuidPipe } from '@kb/platform';
import { CustomFieldService } from '@kb/custom-field';
import { type ObjectType, ObjectTypePipe, TagService } from '@kb/tag';
import { CustomField } from '../custom-field/custom-field.dto';
import { toCustomFieldChanges, toCustomFieldJson, toNewCustomFields } from '../custom-field/custom-field.mapper';
import { Tag } from '../tag/tag.dto';
import { toTagJson } from '../tag/tag.mapper';
import { IncludedDeletedQuery, ObjectTypeQuery } from './metadata.decorators';
import { ObjectArrayBodyPipe, UuidArrayBodyPipe, UuidListPipe } from './metadata.pipes';

const TAG_DEFINITION_IDS_BODY = { schema: { type: 'array', items: { type: 'string', format: 'uuid' } } };

/**
 * Tags and custom fields of an account (the Account resource owns the other /accounts routes). The
 * same service calls serve bundles, subscriptions, invoices and payments with their object type.
 */
@ApiTags('Account')
@Controller('1.0/kb/accounts')
export class AccountMetadataController {
  constructor(
    private readonly tags: TagService,
    private readonly customFields: CustomFieldService,
  ) {}

  @Get(':accountId/tags')
  @TenantScoped()
  @ApiOperation({ operationId: 'getAccountTags', summary: 'Retrieve account tags' })
  @IncludedDeletedQuery()
  @AuditQuery()
  @ApiOkResponse({ type: [Tag] })
  async getAccountTags(
    @Param('accountId', UuidPipe) accountId: string,
    @Query('includedDeleted', new BooleanPipe(false)) includedDeleted: boolean,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Tag[]> {
    return (await this.tags.forObject('ACCOUNT', accountId, { includedDeleted, audit })).map(toTagJson);
  }

  @Post(':accountId/tags')
  @TenantScoped('tag:add')
  @AuditedCall()
  @Created('/1.0/kb/accounts/{accountId}/tags')
  @ApiOperation({ operationId: 'createAccountTags', summary: 'Add tags to account' })
  @ApiBody(TAG_DEFINITION_IDS_BODY)
  async createAccountTags(@Param('accountId', UuidPipe) accountId: string, @Body(UuidArrayBodyPipe) tagDefinitionIds: string[]): Promise<void> {
    await this.tags.add('ACCOUNT', accountId, tagDefinitionIds);
  }

  @Delete(':accountId/tags')
  @TenantScoped('tag:delete')
  @AuditedCall()
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteAccountTags', summary: 'Remove tags from account' })
  @ApiQuery({ name: 'tagDef', required: false, type: [String] })
  async deleteAccountTags(@Param('accountId', UuidPipe) accountId: string, @Query('tagDef', UuidListPipe) tagDefinitionIds: string[]): Promise<void> {
    await this.tags.remove('ACCOUNT', accountId, tagDefinitionIds);
  }

  @Get(':accountId/allTags')
  @TenantScoped()
  @ApiOperation({ operationId: 'getAllTags', summary: 'Retrieve account tags' })
  @ObjectTypeQuery()
  @IncludedDeletedQuery()
  @AuditQuery()
  @ApiOkResponse({ type: [Tag] })
  async getAllTags(
    @Param('accountId', UuidPipe) accountId: string,
    @Query('objectType', ObjectTypePipe) objectType: ObjectType | undefined,
    @Query('includedDeleted', new BooleanPipe(false)) includedDeleted: boolean,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Tag[]> {
    return (await this.tags.forAccount(accountId, objectType, { includedDeleted, audit })).map(toTagJson);
  }

  @Get(':accountId/customFields')
  @TenantScoped()
  @ApiOperation({ operationId: 'getAccountCustomFields', summary: 'Retrieve account custom fields' })
  @AuditQuery()
  @ApiOkResponse({ type: [CustomField] })
  async getAccountCustomFields(@Param('accountId', UuidPipe) accountId: string, @Query('audit', AuditLevelPipe) audit: AuditLevel): Promise<CustomField[]> {
    return (await this.customFields.forObject('ACCOUNT', accountId, audit)).map(toCustomFieldJson);
  }

  @Post(':accountId/customFields')
  @TenantScoped('custom_field:add')
  @AuditedCall()
  @Created('/1.0/kb/accounts/{accountId}/customFields')
  @ApiOperation({ operationId: 'createAccountCustomFields', summary: 'Add custom fields to account' })
  @ApiBody({ type: [CustomField] })
  async createAccountCustomFields(@Param('accountId', UuidPipe) accountId: string, @Body(ObjectArrayBodyPipe) body: Record<string, unknown>[]): Promise<void> {
    await this.customFields.add('ACCOUNT', accountId, toNewCustomFields(body));
  }

  @Put(':accountId/customFields')
  @TenantScoped('custom_field:update')
  @AuditedCall()
  @HttpCode(204)
  @ApiOperation({ operationId: 'modifyAccountCustomFields', summary: 'Modify custom fields to account' })
  @ApiBody({ type: [CustomField] })
  async modifyAccountCustomFields(@Param('accountId', UuidPipe) accountId: string, @Body(ObjectArrayBodyPipe) body: Record<string, unknown>[]): Promise<void> {
    await this.customFields.modify('ACCOUNT', accountId, toCustomFieldChanges(body));
  }

  @Delete(':accountId/customFields')
  @TenantScoped('custom_field:delete')
  @AuditedCall()
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteAccountCustomFields', summary: 'Remove custom fields from account' })
  @ApiQuery({ name: 'customField', required: false, type: [String] })
  async deleteAccountCustomFields(
    @Param('accountId', UuidPipe) accountId: string,
    @Query('customField', UuidListPipe) customFieldIds: string[],
  ): Promise<void> {
    await this.customFields.remove('ACCOUNT', accountId, customFieldIds);
  }

  @Get(':accountId/allCustomFields')
  @TenantScoped()
  @ApiOperation({ operationId: 'getAllCustomFields', summary: 'Retrieve account customFields' })
  @ObjectTypeQuery()
  @AuditQuery()
  @ApiOkResponse({ type: [CustomField] })
  async getAllCustomFields(
    @Param('accountId', UuidPipe) accountId: string,
    @Query('objectType', ObjectTypePipe) objectType: ObjectType | undefined,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<CustomField[]> {
    return (await this.customFields.forAccount(accountId, objectType, audit)).map(toCustomFieldJson);
  }
}
