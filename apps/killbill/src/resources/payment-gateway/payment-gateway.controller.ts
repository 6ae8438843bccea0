import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditedCall, AuditLog, RepeatedQueryDoc, TenantScoped, UuidParam, UuidQuery } from '@kb/platform';
import { PaymentGatewayService, type PluginProperty } from '@kb/payment';
import { PluginProperty as PluginPropertyJson } from '../payment-method/payment-method.dto';
import { PluginProperties } from '../payment-method/plugin-property.pipe';

export class HostedPaymentPageFields {
  @ApiPropertyOptional({ type: () => [PluginPropertyJson] }) formFields?: PluginPropertyJson[];
}

export class HostedPaymentPageFormDescriptor {
  @ApiProperty({ format: 'uuid' }) kbAccountId!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) formMethod!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) formUrl!: string | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'object' } }) formFields!: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'object' } }) properties!: Record<string, unknown>;
  @ApiPropertyOptional({ type: () => [AuditLog] }) auditLogs!: AuditLog[];
}

const asMap = (properties: readonly PluginProperty[]): Record<string, unknown> => Object.fromEntries(properties.map((property) => [property.key, property.value]));

/** Kill Bill's PaymentGatewayResource: hosted payment pages and gateway notifications, answered by the plugin. */
@ApiTags('PaymentGateway')
@Controller('1.0/kb/paymentGateways')
export class PaymentGatewayController {
  constructor(private readonly gateways: PaymentGatewayService) {}

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
    const descriptor = await this.gateways.buildFormDescriptor(accountId, paymentMethodId, customFields, properties);
    return { kbAccountId: descriptor.kbAccountId, formMethod: descriptor.formMethod, formUrl: descriptor.formUrl, formFields: asMap(descriptor.formFields), properties: asMap(descriptor.properties), auditLogs: [] };
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
