import { Controller, Delete, HttpCode, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Rotation, TenantScoped } from '@kb/platform';
import { AdminCacheService } from './admin-cache.service';

@ApiTags('Admin')
@Controller('1.0/kb/admin')
export class AdminController {
  constructor(
    private readonly rotation: Rotation,
    private readonly caches: AdminCacheService,
  ) {}

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
}
