import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditedCall, AuditLevel, AuditLevelPipe, AuditLog, AuditQuery, Created, TenantScoped, UuidParam } from '@kb/platform';
import { TagDefinitionService } from '@kb/tag';
import { TagDefinition } from './tag-definition.dto';
import { toTagDefinitionJson } from './tag-definition.mapper';

@ApiTags('TagDefinition')
@Controller('1.0/kb/tagDefinitions')
export class TagDefinitionController {
  constructor(private readonly definitions: TagDefinitionService) {}

  @Get()
  @TenantScoped()
  @ApiOperation({ operationId: 'getTagDefinitions', summary: 'List tag definitions' })
  @AuditQuery()
  @ApiOkResponse({ type: [TagDefinition] })
  async getTagDefinitions(@Query('audit', AuditLevelPipe) audit: AuditLevel): Promise<TagDefinition[]> {
    return (await this.definitions.list(audit)).map(toTagDefinitionJson);
  }

  @Post()
  @TenantScoped('tag:create_tag_definition')
  @AuditedCall()
  @Created('/1.0/kb/tagDefinitions/{id}', TagDefinition)
  @ApiOperation({ operationId: 'createTagDefinition', summary: 'Create a tag definition' })
  async createTagDefinition(@Body() body: TagDefinition): Promise<{ id: string }> {
    return { id: (await this.definitions.create(body)).id };
  }

  @Get(':tagDefinitionId')
  @TenantScoped()
  @ApiOperation({ operationId: 'getTagDefinition', summary: 'Retrieve a tag definition' })
  @AuditQuery()
  @ApiOkResponse({ type: TagDefinition })
  async getTagDefinition(@UuidParam('tagDefinitionId') tagDefinitionId: string, @Query('audit', AuditLevelPipe) audit: AuditLevel): Promise<TagDefinition> {
    return toTagDefinitionJson(await this.definitions.get(tagDefinitionId, audit));
  }

  @Delete(':tagDefinitionId')
  @TenantScoped('tag:delete_tag_definition')
  @AuditedCall()
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteTagDefinition', summary: 'Delete a tag definition' })
  async deleteTagDefinition(@UuidParam('tagDefinitionId') tagDefinitionId: string): Promise<void> {
    await this.definitions.delete(tagDefinitionId);
  }

  @Get(':tagDefinitionId/auditLogsWithHistory')
  @TenantScoped()
  @ApiOperation({ operationId: 'getTagDefinitionAuditLogsWithHistory', summary: 'Retrieve tag definition audit logs with history by id' })
  @ApiOkResponse({ type: [AuditLog] })
  async getTagDefinitionAuditLogsWithHistory(@UuidParam('tagDefinitionId') tagDefinitionId: string): Promise<AuditLog[]> {
    return this.definitions.auditLogsWithHistory(tagDefinitionId);
  }
}
