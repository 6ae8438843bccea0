import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditLevel, AuditLevelPipe, AuditLog, DEFAULT_PAGE_LIMIT, OptionalIntPipe, setPaginationHeaders, TenantScoped, UuidPipe } from '@kb/platform';
import { TagService } from '@kb/tag';
import { AuditQuery, PaginationQueries } from '../account-metadata/metadata.decorators';
import { Tag } from './tag.dto';
import { toTagJson } from './tag.mapper';

@ApiTags('Tag')
@Controller('1.0/kb/tags')
export class TagController {
  constructor(private readonly tags: TagService) {}

  @Get('pagination')
  @TenantScoped()
  @ApiOperation({ operationId: 'getTags', summary: 'List tags' })
  @PaginationQueries()
  @AuditQuery()
  @ApiOkResponse({ type: [Tag] })
  async getTags(
    @Query('offset', OptionalIntPipe) offset: number | undefined,
    @Query('limit', OptionalIntPipe) limit: number | undefined,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Tag[]> {
    const page = await this.tags.page(offset ?? 0, limit ?? DEFAULT_PAGE_LIMIT, audit);
    setPaginationHeaders(request, response, page);
    return page.items.map(toTagJson);
  }

  @Get('search/:searchKey')
  @TenantScoped()
  @ApiOperation({ operationId: 'searchTags', summary: 'Search tags' })
  @PaginationQueries()
  @AuditQuery()
  @ApiOkResponse({ type: [Tag] })
  async searchTags(
    @Param('searchKey') searchKey: string,
    @Query('offset', OptionalIntPipe) offset: number | undefined,
    @Query('limit', OptionalIntPipe) limit: number | undefined,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Tag[]> {
    const page = await this.tags.search(searchKey, offset ?? 0, limit ?? DEFAULT_PAGE_LIMIT, audit);
    setPaginationHeaders(request, response, page);
    return page.items.map(toTagJson);
  }

  @Get(':tagId/auditLogsWithHistory')
  @TenantScoped()
  @ApiOperation({ operationId: 'getTagAuditLogsWithHistory', summary: 'Retrieve tag audit logs with history by id' })
  @ApiOkResponse({ type: [AuditLog] })
  async getTagAuditLogsWithHistory(@Param('tagId', UuidPipe) tagId: string): Promise<AuditLog[]> {
    return this.tags.auditLogsWithHistory(tagId);
  }
}
