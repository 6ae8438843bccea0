import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditLevel, AuditLevelPipe, BooleanPipe, TenantScoped, UuidParam } from '@kb/platform';
import { PaymentQueryService, type PluginProperty } from '@kb/payment';
import { PluginProperties } from '../payment-method/plugin-property.pipe';
import { InvoicePayment, Payment } from './dto/payment.dto';
import { toInvoicePaymentJson, toPaymentJson } from './payment.mapper';
import { PaymentReadQueries } from './payment-read-options';

/** The account's payment reads of Kill Bill's AccountResource. */
@ApiTags('Account')
@Controller('1.0/kb/accounts')
export class AccountPaymentsReadController {
  constructor(private readonly payments: PaymentQueryService) {}

  @Get(':accountId/payments')
  @TenantScoped()
  @ApiOperation({ operationId: 'getPaymentsForAccount', summary: 'Retrieve account payments' })
  @PaymentReadQueries()
  @ApiOkResponse({ type: [Payment] })
  @ApiResponse({ status: 400, description: 'Invalid account id supplied' })
  async getPaymentsForAccount(
    @UuidParam('accountId') accountId: string,
    @Query('withAttempts', new BooleanPipe(false)) withAttempts: boolean,
    @Query('withPluginInfo', new BooleanPipe(false)) withPluginInfo: boolean,
    @PluginProperties() properties: PluginProperty[],
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Payment[]> {
    return (await this.payments.forAccount(accountId, { withPluginInfo, withAttempts, properties, audit })).map(toPaymentJson);
  }

  @Get(':accountId/invoicePayments')
  @TenantScoped()
  @ApiOperation({ operationId: 'getInvoicePayments', summary: 'Retrieve account invoice payments' })
  @PaymentReadQueries()
  @ApiOkResponse({ type: [InvoicePayment] })
  @ApiResponse({ status: 400, description: 'Invalid account id supplied' })
  @ApiResponse({ status: 404, description: 'Account not found' })
  async getInvoicePayments(
    @UuidParam('accountId') accountId: string,
    @Query('withPluginInfo', new BooleanPipe(false)) withPluginInfo: boolean,
    @Query('withAttempts', new BooleanPipe(false)) withAttempts: boolean,
    @PluginProperties() properties: PluginProperty[],
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<InvoicePayment[]> {
    return (await this.payments.invoicePaymentsForAccount(accountId, { withPluginInfo, withAttempts, properties, audit })).map(toInvoicePaymentJson);
  }
}
