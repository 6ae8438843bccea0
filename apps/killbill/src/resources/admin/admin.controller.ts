import { Controller, Delete, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditedCall, UuidParam, type Page, PageParams, type PageRequest, Paginated, RepeatedQueryDoc, Rotation, TenantScoped } from '@kb/platform';
import { ParkedAccountsService } from '@kb/invoice';
import { AdminCacheService } from './admin-cache.service';

@ApiTags('Admin')
@Controller('1.0/kb/admin')
export class AdminController {
  constructor(
    private readonly rotation: Rotation,
    private readonly caches: AdminCacheService,
    private readonly parkedAccounts: ParkedAccountsService,
  ) {}

  @Post('invoices')
  @TenantScoped('admin:trigger_invoice_generation')
  @AuditedCall()
  @HttpCode(200)
  @Paginated()
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiOperation({ operationId: 'triggerInvoiceGenerationForParkedAccounts', summary: 'Trigger an invoice generation for all parked accounts' })
  @ApiResponse({ status: 200, description: 'Successful operation: each parked account id mapped to OK or the ErrorCode name of its failure', schema: { type: 'object', additionalProperties: { type: 'string' } } })
  triggerInvoiceGenerationForParkedAccounts(@PageParams() page: PageRequest): Promise<Page<string>> {
    return this.parkedAccounts.invoiceParkedAccounts(page);
  }

  @Put('healthcheck')
  @TenantScoped('admin:update')
  @HttpCode(204)
  @ApiOperation({ operationId: 'putInRotation', summary: 'Put the host back into rotation' })
  @ApiResponse({ status: 204, description: 'Successful operation' })
  putInRotation(): void {
    this.rotation.putIn();
  }

  @Delete('healthcheck')
  @TenantScoped('admin:update')
  @HttpCode(204)
  @ApiOperation({ operationId: 'putOutOfRotation', summary: 'Put the host out of rotation' })
  @ApiResponse({ status: 204, description: 'Successful operation' })
  putOutOfRotation(): void {
    this.rotation.takeOut();
  }

  @Delete('cache')
  @TenantScoped()
  @HttpCode(204)
  @ApiOperation({ operationId: 'invalidatesCache', summary: 'Invalidates the given Cache if specified, otherwise invalidates all caches' })
  @ApiQuery({ name: 'cacheName', required: false, type: String })
  @ApiResponse({ status: 204, description: 'Successful operation' })
  @ApiResponse({ status: 400, description: 'Cache name does not exist or is not alive' })
  invalidatesCache(@Query('cacheName') cacheName: string | undefined): void {
    this.caches.invalidate(cacheName);
  }

  @Delete('cache/tenants')
  @TenantScoped()
  @HttpCode(204)
  @ApiOperation({ operationId: 'invalidatesCacheByTenant', summary: 'Invalidates Caches per tenant level' })
  @ApiResponse({ status: 204, description: 'Successful operation' })
  invalidatesCacheByTenant(): void {
    this.caches.invalidateTenant();
  }

  @Delete('cache/accounts/:accountId')
  @TenantScoped()
  @HttpCode(204)
  @ApiOperation({ operationId: 'invalidatesCacheByAccount', summary: 'Invalidates Caches per account level' })
  @ApiResponse({ status: 204, description: 'Successful operation' })
  @ApiResponse({ status: 400, description: 'Invalid account id supplied' })
  @ApiResponse({ status: 404, description: 'Account not found' })
  invalidatesCacheByAccount(@UuidParam('accountId') accountId: string): Promise<void> {
    return this.caches.invalidateAccount(accountId);
  }
}
