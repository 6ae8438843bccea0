import { Body, Controller, Get, Header, Post } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuditedCall, Created, TenantScoped } from '@kb/platform';
import { OverdueConfigService, type OverdueJson } from '@kb/overdue';
import { Overdue } from './dto/overdue.dto';
import { toXmlBody } from './overdue.mapper';

const OVERDUE_LOCATION = '/1.0/kb/overdue';

@ApiTags('Overdue')
@Controller('1.0/kb/overdue')
export class OverdueController {
  constructor(private readonly configs: OverdueConfigService) {}

  @Get()
  @TenantScoped()
  @ApiOperation({ operationId: 'getOverdueConfigJson', summary: 'Retrieve the overdue config as JSON' })
  @ApiOkResponse({ type: Overdue })
  async getOverdueConfigJson(): Promise<OverdueJson> {
    return this.configs.configJson();
  }

  @Post()
  @TenantScoped('overdue:config_upload')
  @AuditedCall()
  @Created(OVERDUE_LOCATION, Overdue)
  @ApiOperation({ operationId: 'uploadOverdueConfigJson', summary: 'Upload the full overdue config as JSON' })
  @ApiConsumes('application/json')
  async uploadOverdueConfigJson(@Body() body: Overdue): Promise<void> {
    await this.configs.uploadJson(body);
  }

  @Get('xml')
  @TenantScoped()
  @Header('Content-Type', 'text/xml; charset=utf-8')
  @ApiOperation({ operationId: 'getOverdueConfigXml', summary: 'Retrieve the overdue config as XML' })
  @ApiProduces('text/xml')
  @ApiOkResponse({ schema: { type: 'string' } })
  async getOverdueConfigXml(): Promise<string> {
    return this.configs.configXml();
  }

  @Post('xml')
  @TenantScoped('overdue:config_upload')
  @AuditedCall()
  @Created(OVERDUE_LOCATION, String)
  @ApiOperation({ operationId: 'uploadOverdueConfigXml', summary: 'Upload the full overdue config as XML' })
  @ApiConsumes('text/xml')
  @ApiBody({ schema: { type: 'string' }, description: 'The overdue configuration as XML' })
  async uploadOverdueConfigXml(@Body() body: unknown): Promise<void> {
    await this.configs.uploadXml(toXmlBody(body));
  }
}
