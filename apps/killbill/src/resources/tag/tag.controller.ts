import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { TagService } from '@kb/tag';
import { Tag } from './tag.dto';
import { toTagJson } from './tag.mapper';

@ApiTags('Tag')
@Controller('1.0/kb/tags')
export class TagController {
  constructor(private readonly tags: TagService) {}

  @Get('pagination')
  @TenantScoped()
  @ApiOperation({ operationId: 'getTags', summary: 'List tags' })
  @Paginated()
  @AuditQuery()
  @ApiOkResponse({ type: [Tag] })
  async getTags(@PageParams() pageRequest: PageRequest, @Query('audit', AuditLevelPipe) audit: AuditLevel): Promise<Page<Tag>> {
    return mapPage(await this.tags.page(pageRequest.offset, pageRequest.limit, audit), toTagJson);
  }

  @Get('search/:searchKey')
  @TenantScoped()
  @ApiOperation({ operationId: 'searchTags', summary: 'Search tags' })
  @Paginated()
  @AuditQuery()
  @ApiOkResponse({ type: [Tag] })
  async searchTags(
    @Param('searchKey') searchKey: string,
    @PageParams() pageRequest: PageRequest,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Page<Tag>> {
    return mapPage(await this.tags.search(searchKey, pageRequest.offset, pageRequest.limit, audit), toTagJson);
  }

  @Get(':tagId/auditLogsWithHistory')
  @TenantScoped()
  @ApiOperation({ operationId: 'getTagAuditLogsWithHistory', summary: 'Retrieve tag audit logs with history by id' })
  @ApiOkResponse({ type: [AuditLog] })
  async getTagAuditLogsWithHistory(@UuidParam('tagId') tagId: string): Promise<AuditLog[]> {
    return this.tags.auditLogsWithHistory(tagId);
  }
}
