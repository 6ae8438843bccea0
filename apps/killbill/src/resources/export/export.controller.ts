import { Controller, Get, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { AuditedCall, TenantScoped, UuidParam } from '@kb/platform';
import { AccountExportService } from './account-export.service';

export const EXPORT_CONTENT_TYPE = 'application/octet-stream';

@ApiTags('Export')
@Controller('1.0/kb/export')
export class ExportController {
  constructor(private readonly exports: AccountExportService) {}

  @Get(':accountId')
  @TenantScoped()
  @AuditedCall()
  @ApiOperation({ operationId: 'exportDataForAccount', summary: 'Export account data' })
  @ApiResponse({ status: 200, description: 'Success', content: { [EXPORT_CONTENT_TYPE]: {} } })
  @ApiResponse({ status: 400, description: 'Invalid account id supplied' })
  @ApiResponse({ status: 404, description: 'Account not found' })
  async exportDataForAccount(@UuidParam('accountId') accountId: string): Promise<StreamableFile> {
    return new StreamableFile(Readable.from(await this.exports.exportAccount(accountId)), { type: EXPORT_CONTENT_TYPE });
  }
}
