import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiExcludeController, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import Big from 'big.js';
import { AuditedCall, InvalidRequestException, TenantScoped } from '@kb/platform';
import { isTestPluginAction, PaymentPluginRegistry, TEST_PAYMENT_PLUGIN, type TestPaymentPlugin, type TestPluginStatus } from '@kb/payment';
import { PluginInfo, pluginsInfoOf } from './plugins-info';

/** Kill Bill's PluginInfoResource: the plugins registered on this node (the built-in __EXTERNAL_PAYMENT__ is no plugin there). */
@ApiTags('PluginInfo')
@Controller('1.0/kb/pluginsInfo')
export class PluginInfoController {
  constructor(private readonly plugins: PaymentPluginRegistry) {}

  @Get()
  @TenantScoped()
  @ApiOperation({ operationId: 'getPluginsInfo', summary: 'Retrieve the list of registered plugins' })
  @ApiOkResponse({ type: [PluginInfo] })
  getPluginsInfo(): PluginInfo[] {
    return pluginsInfoOf(this.plugins);
  }
}

/**
 * The test plugin's own servlet (`/plugins/killbill-payment-test/…`, not part of Kill Bill's API
 * contract). Its configuration is global to this server process, as the Java plugin's is to its node.
 */
@ApiExcludeController()
@Controller('plugins/killbill-payment-test')
export class TestPaymentPluginController {
  constructor(@Inject(TEST_PAYMENT_PLUGIN) private readonly plugin: TestPaymentPlugin) {}

  @Get('status')
  @TenantScoped()
  status(): TestPluginStatus {
    return this.plugin.status();
  }

  @Post('configure')
  @HttpCode(200)
  @TenantScoped()
  @AuditedCall()
  configure(@Body() body: Record<string, unknown> | undefined): void {
    const action = body?.CONFIGURE_ACTION ?? null;
    if (action !== null && !isTestPluginAction(action)) throw new InvalidRequestException(`Unknown CONFIGURE_ACTION ${String(action)}`);
    const method = typeof body?.METHODS === 'string' && body.METHODS !== '' ? body.METHODS : null;
    const sleepSeconds = Number(body?.SLEEP_TIME_SEC ?? 0);
    if (!Number.isInteger(sleepSeconds) || sleepSeconds < 0) throw new InvalidRequestException('SLEEP_TIME_SEC must be a whole number of seconds');
    let amount: Big | null = null;
    if (body?.AMOUNT !== undefined && body.AMOUNT !== null) {
      try {
        amount = new Big(String(body.AMOUNT));
      } catch {
        throw new InvalidRequestException(`Invalid AMOUNT ${String(body.AMOUNT)}`);
      }
    }
    if (!this.plugin.configure({ action, method, sleepSeconds, amount })) throw new InvalidRequestException('Error adding');
  }
}
