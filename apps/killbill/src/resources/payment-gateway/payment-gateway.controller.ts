import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditedCall, RepeatedQueryDoc, TenantScoped, UuidParam, UuidQuery } from '@kb/platform';
import { ComboPaymentService, PaymentGatewayService, type PluginProperty } from '@kb/payment';
import { HostedPaymentPageFields, HostedPaymentPageFormDescriptor, toFormDescriptorJson } from './payment-gateway.dto';
import { ComboHostedPaymentPage, comboOrder, propertiesOf, requiredBody } from '../payment-writes/combo-payment.dto';
import { PluginProperties } from '../payment-method/plugin-property.pipe';

/** Kill Bill's PaymentGatewayResource: hosted payment pages and gateway notifications, answered by the plugin. */
@ApiTags('PaymentGateway')
@Controller('1.0/kb/paymentGateways')
export class PaymentGatewayController {
  constructor(
    private readonly gateways: PaymentGatewayService,
    private readonly combos: ComboPaymentService,
  ) {}

  /** ComboPaymentResource's hosted page: the account found or created, the method found or added, then the plugin's form. */
  @Post('hosted/form')
  @HttpCode(200)
  @TenantScoped('payment_method:create')
  @AuditedCall()
  @ApiOperation({ operationId: 'buildComboFormDescriptor', summary: 'Combo API to generate form data to redirect the customer to the gateway' })
  @ApiBody({ type: ComboHostedPaymentPage })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiOkResponse({ type: HostedPaymentPageFormDescriptor })
  async buildComboFormDescriptor(@Body() body: ComboHostedPaymentPage, @PluginProperties() properties: PluginProperty[]): Promise<HostedPaymentPageFormDescriptor> {
    return toFormDescriptorJson(await this.combos.buildComboFormDescriptor(comboOrder(requiredBody(body, 'ComboHostedPaymentPageJson')), propertiesOf(body?.hostedPaymentPageFields?.formFields), properties));
  }

  @Post('hosted/form/:accountId')
  @HttpCode(200)
  @TenantScoped('payment_method:create')
  @AuditedCall()
  @ApiOperation({ operationId: 'buildFormDescriptor', summary: 'Generate form data to redirect the customer to the gateway' })
  @ApiBody({ type: HostedPaymentPageFields })
  @ApiQuery({ name: 'paymentMethodId', required: false, type: String, format: 'uuid' })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiOkResponse({ type: HostedPaymentPageFormDescriptor })
  async buildFormDescriptor(
    @UuidParam('accountId') accountId: string,
    @Body() body: HostedPaymentPageFields | undefined,
    @UuidQuery('paymentMethodId') paymentMethodId: string | undefined,
    @PluginProperties() properties: PluginProperty[],
  ): Promise<HostedPaymentPageFormDescriptor> {
    const customFields = (body?.formFields ?? []).map((field) => ({ key: field.key ?? '', value: field.value ?? null }));
    return toFormDescriptorJson(await this.gateways.buildFormDescriptor(accountId, paymentMethodId, customFields, properties));
  }

  /** The plugin says how to answer the gateway: status, headers and body are its. */
  @Post('notification/:pluginName')
  @TenantScoped('payment:trigger')
  @AuditedCall()
  @ApiOperation({ operationId: 'processNotification', summary: 'Process a gateway notification', description: 'The response is built by the appropriate plugin' })
  @ApiBody({ schema: { type: 'string' } })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiOkResponse({ description: 'Successful' })
  async processNotification(
    @Param('pluginName') pluginName: string,
    @Body() body: unknown,
    @PluginProperties() properties: PluginProperty[],
    @Res() response: Response,
  ): Promise<void> {
    const payload = typeof body === 'string' ? body : body && typeof body === 'object' && Object.keys(body).length > 0 ? JSON.stringify(body) : '';
    const answer = await this.gateways.processNotification(pluginName, payload, properties);
    for (const [name, values] of Object.entries(answer.headers)) response.setHeader(name, [...values]);
    response.status(answer.status);
    if (answer.entity === null) response.end();
    else response.send(answer.entity);
  }
}
