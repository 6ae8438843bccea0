import { Controller, Delete, HttpCode, Put } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Rotation, TenantScoped } from '@kb/platform';

@ApiTags('Admin')
@Controller('1.0/kb/admin')
export class AdminController {
  constructor(private readonly rotation: Rotation) {}

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
}
