import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  AuditLevel,
  AuditLevelPipe,
  AuditLog,
  AuditQuery,
  mapPage,
  type Page,
  PageParams,
  type PageRequest,
  Paginated,
  TenantScoped,
  UuidParam,
} from '@kb/platform';
import { CustomFieldService } from '@kb/custom-field';
import { type ObjectType, ObjectTypePipe } from '@kb/tag';
import { RequiredQueryPipe } from './required-query.pipe';
import { CustomField } from './custom-field.dto';
import { toCustomFieldJson } from './custom-field.mapper';

@ApiTags('CustomField')
@Controller('1.0/kb/customFields')
export class CustomFieldController {
  constructor(private readonly customFields: CustomFieldService) {}

  @Get('pagination')
  @TenantScoped()
  @ApiOperation({ operationId: 'getCustomFields', summary: 'List custom fields' })
  @Paginated()
  @AuditQuery()
  @ApiOkResponse({ type: [CustomField] })
  async getCustomFields(@PageParams() pageRequest: PageRequest, @Query('audit', AuditLevelPipe) audit: AuditLevel): Promise<Page<CustomField>> {
    return mapPage(await this.customFields.page(pageRequest.offset, pageRequest.limit, audit), toCustomFieldJson);
  }

  @Get('search')
  @TenantScoped()
  @ApiOperation({ operationId: 'searchCustomFieldsByTypeName', summary: 'Search custom fields by type, name and optional value' })
  @ApiQuery({ name: 'objectType', required: false, type: String })
  @ApiQuery({ name: 'fieldName', required: false, type: String })
  @ApiQuery({ name: 'fieldValue', required: false, type: String })
  @Paginated()
  @AuditQuery()
  @ApiOkResponse({ type: [CustomField] })
  async searchCustomFieldsByTypeName(
    @Query('objectType', RequiredQueryPipe, ObjectTypePipe) objectType: ObjectType,
    @Query('fieldName', RequiredQueryPipe) fieldName: string,
    @Query('fieldValue') fieldValue: string | undefined,
    @PageParams() pageRequest: PageRequest,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Page<CustomField>> {
    return mapPage(
      await this.customFields.searchByTypeName({ objectType, fieldName, fieldValue }, pageRequest.offset, pageRequest.limit, audit),
      toCustomFieldJson,
    );
  }

  @Get('search/:searchKey')
  @TenantScoped()
  @ApiOperation({ operationId: 'searchCustomFields', summary: 'Search custom fields' })
  @Paginated()
  @AuditQuery()
  @ApiOkResponse({ type: [CustomField] })
  async searchCustomFields(
    @Param('searchKey') searchKey: string,
    @PageParams() pageRequest: PageRequest,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Page<CustomField>> {
    return mapPage(await this.customFields.search(searchKey, pageRequest.offset, pageRequest.limit, audit), toCustomFieldJson);
  }

  @Get(':customFieldId/auditLogsWithHistory')
  @TenantScoped()
  @ApiOperation({ operationId: 'getCustomFieldAuditLogsWithHistory', summary: 'Retrieve custom field audit logs with history by id' })
  @ApiOkResponse({ type: [AuditLog] })
  async getCustomFieldAuditLogsWithHistory(@UuidParam('customFieldId') customFieldId: string): Promise<AuditLog[]> {
    return this.customFields.auditLogsWithHistory(customFieldId);
  }
}
