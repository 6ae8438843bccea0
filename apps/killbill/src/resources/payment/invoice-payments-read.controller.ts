import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditLevel, AuditLevelPipe, BooleanPipe, TenantScoped, UuidParam } from '@kb/platform';
import { PaymentQueryService } from '@kb/payment';
import { InvoicePayment } from './dto/payment.dto';
import { toInvoicePaymentJson } from './payment.mapper';
import { PaymentReadQueries } from './payment-read-options';

/** GET /invoices/{invoiceId}/payments of Kill Bill's InvoiceResource. */
@ApiTags('Invoice')
@Controller('1.0/kb/invoices')
export class InvoicePaymentsReadController {
  constructor(private readonly payments: PaymentQueryService) {}

  @Get(':invoiceId/payments')
  @TenantScoped()
  @ApiOperation({ operationId: 'getPaymentsForInvoice', summary: 'Retrieve payments associated with an invoice' })
  @PaymentReadQueries({ pluginProperty: false })
  @ApiOkResponse({ type: [InvoicePayment] })
  @ApiResponse({ status: 400, description: 'Invalid invoice id supplied' })
  @ApiResponse({ status: 404, description: 'Invoice not found' })
  async getPaymentsForInvoice(
    @UuidParam('invoiceId') invoiceId: string,
    @Query('withPluginInfo', new BooleanPipe(false)) withPluginInfo: boolean,
    @Query('withAttempts', new BooleanPipe(false)) withAttempts: boolean,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<InvoicePayment[]> {
    return (await this.payments.forInvoice(invoiceId, { withPluginInfo, withAttempts, audit })).map(toInvoicePaymentJson);
  }
}
