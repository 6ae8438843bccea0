import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditedCall, BooleanPipe, Created, FitsColumnPipe, NoTenant, TenantScoped, UuidParam } from '@kb/platform';
import { TenantConfigService, TenantKey, TenantKvRow, TenantKvService, TenantService } from '@kb/tenant';
import { Tenant, TenantKeyValue } from './tenant.dto';
import { toTenantJson, toTenantKeyValueJson } from './tenant.mapper';

const TEXT_BODY = { schema: { type: 'string' } };

/** Names that become (part of) a tenant key must fit tenant_kvs.tenant_key once their prefix is added. */
const fitsTenantKey = (storedAfter = '') => FitsColumnPipe.of(TenantKvRow, 'tenantKey', storedAfter);

@ApiTags('Tenant')
@Controller('1.0/kb/tenants')
export class TenantController {
  constructor(
    private readonly tenants: TenantService,
    private readonly kv: TenantKvService,
    private readonly tenantConfig: TenantConfigService,
  ) {}

  @Post()
  @NoTenant('tenant:create')
  @AuditedCall()
  @Created('/1.0/kb/tenants/{tenantId}', Tenant)
  @ApiOperation({ operationId: 'createTenant', summary: 'Create a tenant' })
  @ApiQuery({ name: 'useGlobalDefault', required: false, schema: { type: 'boolean', default: false } })
  async createTenant(@Body() body: Tenant, @Query('useGlobalDefault', new BooleanPipe(false)) useGlobalDefault: boolean): Promise<{ tenantId: string }> {
    const tenant = await this.tenants.create({ apiKey: body.apiKey, apiSecret: body.apiSecret ?? '', externalKey: body.externalKey }, useGlobalDefault);
    return { tenantId: tenant.id };
  }

  @Get()
  // Kill Bill lets the exact path /1.0/kb/tenants through without tenant headers (its
  // requiresTenantInformation), so a client can look a tenant up by its key alone.
  @NoTenant()
  @ApiOperation({ operationId: 'getTenantByApiKey', summary: 'Retrieve a tenant by its API key' })
  @ApiQuery({ name: 'apiKey', required: false, type: String })
  @ApiOkResponse({ type: Tenant })
  async getTenantByApiKey(@Query('apiKey') apiKey: string | undefined): Promise<Tenant> {
    return toTenantJson(await this.tenants.getByApiKey(apiKey));
  }

  @Post('registerNotificationCallback')
  @TenantScoped('tenant_kvs:add')
  @AuditedCall()
  @Created('/1.0/kb/tenants/registerNotificationCallback', TenantKeyValue)
  @ApiOperation({ operationId: 'registerPushNotificationCallback', summary: 'Create a push notification' })
  @ApiQuery({ name: 'cb', required: false, type: String })
  async registerPushNotificationCallback(@Query('cb') cb: string | undefined): Promise<void> {
    await this.tenantConfig.registerCallback(cb);
  }

  @Get('registerNotificationCallback')
  @TenantScoped()
  @ApiOperation({ operationId: 'getPushNotificationCallbacks', summary: 'Retrieve a push notification' })
  @ApiOkResponse({ type: TenantKeyValue })
  async getPushNotificationCallbacks(): Promise<TenantKeyValue> {
    return toTenantKeyValueJson(await this.kv.get(TenantKey.PUSH_NOTIFICATION_CB));
  }

  @Delete('registerNotificationCallback')
  @TenantScoped('tenant_kvs:delete')
  @AuditedCall()
  @HttpCode(204)
  @ApiOperation({ operationId: 'deletePushNotificationCallbacks', summary: 'Delete a push notification' })
  async deletePushNotificationCallbacks(): Promise<void> {
    await this.kv.delete(TenantKey.PUSH_NOTIFICATION_CB);
  }

  @Post('uploadPluginConfig/:pluginName')
  @TenantScoped('tenant_kvs:add')
  @AuditedCall()
  @Created('/1.0/kb/tenants/uploadPluginConfig/{pluginName}', TenantKeyValue)
  @ApiOperation({ operationId: 'uploadPluginConfiguration', summary: 'Add a per tenant configuration for a plugin' })
  @ApiConsumes('text/plain')
  @ApiBody(TEXT_BODY)
  async uploadPluginConfiguration(@Param('pluginName', fitsTenantKey(TenantKey.PLUGIN_CONFIG_)) pluginName: string, @Body() body: unknown): Promise<void> {
    await this.tenantConfig.uploadPluginConfig(pluginName, body);
  }

  @Get('uploadPluginConfig/:pluginName')
  @TenantScoped()
  @ApiOperation({ operationId: 'getPluginConfiguration', summary: 'Retrieve a per tenant configuration for a plugin' })
  @ApiOkResponse({ type: TenantKeyValue })
  async getPluginConfiguration(@Param('pluginName') pluginName: string): Promise<TenantKeyValue> {
    return toTenantKeyValueJson(await this.kv.get(TenantKey.PLUGIN_CONFIG_ + pluginName));
  }

  @Delete('uploadPluginConfig/:pluginName')
  @TenantScoped('tenant_kvs:delete')
  @AuditedCall()
  @HttpCode(204)
  @ApiOperation({ operationId: 'deletePluginConfiguration', summary: 'Delete a per tenant configuration for a plugin' })
  async deletePluginConfiguration(@Param('pluginName') pluginName: string): Promise<void> {
    await this.kv.delete(TenantKey.PLUGIN_CONFIG_ + pluginName);
  }

  @Get('uploadPerTenantConfig/:keyPrefix/search')
  @TenantScoped()
  @ApiOperation({ operationId: 'getAllPluginConfiguration', summary: 'Retrieve a per tenant key value based on key prefix' })
  @ApiOkResponse({ type: [TenantKeyValue] })
  async getAllPluginConfiguration(@Param('keyPrefix') keyPrefix: string): Promise<TenantKeyValue[]> {
    return (await this.kv.search(keyPrefix)).map(toTenantKeyValueJson);
  }

  @Post('uploadPerTenantConfig')
  @TenantScoped('tenant_kvs:add')
  @AuditedCall()
  @Created('/1.0/kb/tenants/uploadPerTenantConfig', TenantKeyValue)
  @ApiOperation({ operationId: 'uploadPerTenantConfiguration', summary: 'Add a per tenant configuration (system properties)' })
  @ApiConsumes('text/plain')
  @ApiBody(TEXT_BODY)
  async uploadPerTenantConfiguration(@Body() body: unknown): Promise<void> {
    await this.tenantConfig.uploadPerTenantConfig(body);
  }

  @Get('uploadPerTenantConfig')
  @TenantScoped()
  @ApiOperation({ operationId: 'getPerTenantConfiguration', summary: 'Retrieve a per tenant configuration (system properties)' })
  @ApiOkResponse({ type: TenantKeyValue })
  async getPerTenantConfiguration(): Promise<TenantKeyValue> {
    return toTenantKeyValueJson(await this.kv.get(TenantKey.PER_TENANT_CONFIG));
  }

  @Delete('uploadPerTenantConfig')
  @TenantScoped('tenant_kvs:delete')
  @AuditedCall()
  @HttpCode(204)
  @ApiOperation({ operationId: 'deletePerTenantConfiguration', summary: 'Delete a per tenant configuration (system properties)' })
  async deletePerTenantConfiguration(): Promise<void> {
    await this.kv.delete(TenantKey.PER_TENANT_CONFIG);
  }

  @Post('uploadPluginPaymentStateMachineConfig/:pluginName')
  @TenantScoped('tenant_kvs:add')
  @AuditedCall()
  @Created('/1.0/kb/tenants/uploadPluginPaymentStateMachineConfig/{pluginName}', TenantKeyValue)
  @ApiOperation({ operationId: 'uploadPluginPaymentStateMachineConfig', summary: 'Add a per tenant payment state machine for a plugin' })
  @ApiConsumes('text/plain')
  @ApiBody(TEXT_BODY)
  async uploadPluginPaymentStateMachineConfig(
    @Param('pluginName', fitsTenantKey(TenantKey.PLUGIN_PAYMENT_STATE_MACHINE_)) pluginName: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.tenantConfig.uploadPaymentStateMachine(pluginName, body);
  }

  @Get('uploadPluginPaymentStateMachineConfig/:pluginName')
  @TenantScoped()
  @ApiOperation({ operationId: 'getPluginPaymentStateMachineConfig', summary: 'Retrieve a per tenant payment state machine for a plugin' })
  @ApiOkResponse({ type: TenantKeyValue })
  async getPluginPaymentStateMachineConfig(@Param('pluginName') pluginName: string): Promise<TenantKeyValue> {
    return toTenantKeyValueJson(await this.kv.get(TenantKey.PLUGIN_PAYMENT_STATE_MACHINE_ + pluginName));
  }

  @Delete('uploadPluginPaymentStateMachineConfig/:pluginName')
  @TenantScoped('tenant_kvs:delete')
  @AuditedCall()
  @HttpCode(204)
  @ApiOperation({ operationId: 'deletePluginPaymentStateMachineConfig', summary: 'Delete a per tenant payment state machine for a plugin' })
  async deletePluginPaymentStateMachineConfig(@Param('pluginName') pluginName: string): Promise<void> {
    await this.kv.delete(TenantKey.PLUGIN_PAYMENT_STATE_MACHINE_ + pluginName);
  }

  @Post('userKeyValue/:keyName')
  @TenantScoped('tenant_kvs:add')
  @AuditedCall()
  @Created('/1.0/kb/tenants/userKeyValue/{keyName}', TenantKeyValue)
  @ApiOperation({ operationId: 'insertUserKeyValue', summary: 'Add a per tenant user key/value' })
  @ApiConsumes('text/plain')
  @ApiBody(TEXT_BODY)
  async insertUserKeyValue(@Param('keyName', fitsTenantKey()) keyName: string, @Body() body: unknown): Promise<void> {
    await this.tenantConfig.insertUserKeyValue(keyName, body);
  }

  @Get('userKeyValue/:keyName')
  @TenantScoped()
  @ApiOperation({ operationId: 'getUserKeyValue', summary: 'Retrieve a per tenant user key/value' })
  @ApiOkResponse({ type: TenantKeyValue })
  async getUserKeyValue(@Param('keyName') keyName: string): Promise<TenantKeyValue> {
    return toTenantKeyValueJson(await this.kv.get(keyName));
  }

  @Delete('userKeyValue/:keyName')
  @TenantScoped('tenant_kvs:delete')
  @AuditedCall()
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteUserKeyValue', summary: 'Delete  a per tenant user key/value' })
  async deleteUserKeyValue(@Param('keyName') keyName: string): Promise<void> {
    await this.kv.delete(keyName);
  }

  @Get(':tenantId')
  @TenantScoped()
  @ApiOperation({ operationId: 'getTenant', summary: 'Retrieve a tenant by id' })
  @ApiOkResponse({ type: Tenant })
  async getTenant(@UuidParam('tenantId') tenantId: string): Promise<Tenant> {
    return toTenantJson(await this.tenants.getById(tenantId));
  }
}
