import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditLevel, AuditLevelPipe, AuditLog, DEFAULT_PAGE_LIMIT, OptionalIntPipe, setPaginationHeaders, TenantScoped, UuidPipe } from '@kb/platform';
import { CustomFieldService } from '@kb/custom-field';
import { type ObjectType, ObjectTypePipe } from '@kb/tag';
import { AuditQuery, PaginationQueries } from '../account-metadata/metadata.decorators';
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
  @PaginationQueries()
  @AuditQuery()
  @ApiOkResponse({ type: [CustomField] })
  async getCustomFields(
    @Query('offset', OptionalIntPipe) offset: number | undefined,
    @Query('limit', OptionalIntPipe) limit: number | undefined,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CustomField[]> {
    const page = await this.customFields.page(offset ?? 0, limit ?? DEFAULT_PAGE_LIMIT, audit);
    setPaginationHeaders(request, response, page);
    return page.items.map(toCustomFieldJson);
  }

  @Get('search')
  @TenantScoped()
  @ApiOperation({ operationId: 'searchCustomFieldsByTypeName', summary: 'Search custom fields by type, name and optional value' })
  @ApiQuery({ name: 'objectType', required: false })
  @ApiQuery({ name: 'fieldName', required: false })
  @ApiQuery({ name: 'fieldValue', required: false })
  @PaginationQueries()
  @AuditQuery()
  @ApiOkResponse({ type: [CustomField] })
  async searchCustomFieldsByTypeName(
    @Query('objectType', RequiredQueryPipe, ObjectTypePipe) objectType: ObjectType,
    @Query('fieldName', RequiredQueryPipe) fieldName: string,
    @Query('fieldValue') fieldValue: string | undefined,
    @Query('offset', OptionalIntPipe) offset: number | undefined,
    @Query('limit', OptionalIntPipe) limit: number | undefined,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CustomField[]> {
    const page = await this.customFields.searchByTypeName({ objectType, fieldName, fieldValue }, offset ?? 0, limit ?? DEFAULT_PAGE_LIMIT, audit);
    setPaginationHeaders(request, response, page);
    return page.items.map(toCustomFieldJson);
  }

  @Get('search/:searchKey')
  @TenantScoped()
  @ApiOperation({ operationId: 'searchCustomFields', summary: 'Search custom fields' })
  @PaginationQueries()
  @AuditQuery()
  @ApiOkResponse({ type: [CustomField] })
  async searchCustomFields(
    @Param('searchKey') searchKey: string,
    @Query('offset', OptionalIntPipe) offset: number | undefined,
    @Query('limit', OptionalIntPipe) limit: number | undefined,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CustomField[]> {
    const page = await this.customFields.search(searchKey, offset ?? 0, limit ?? DEFAULT_PAGE_LIMIT, audit);
    setPaginationHeaders(request, response, page);
    return page.items.map(toCustomFieldJson);
  }

  @Get(':customFieldId/auditLogsWithHistory')
  @TenantScoped()
  @ApiOperation({ operationId: 'getCustomFieldAuditLogsWithHistory', summary: 'Retrieve custom field audit logs with history by id' })
  @ApiOkResponse({ type: [AuditLog] })
  async getCustomFieldAuditLogsWithHistory(@Param('customFieldId', UuidPipe) customFieldId: string): Promise<AuditLog[]> {
    return this.customFields.auditLogsWithHistory(customFieldId);
  }
}
