import { Controller, Delete, HttpCode, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditedCall, TenantScoped, UuidParam } from '@kb/platform';
import { PaymentRetryService } from '@kb/payment';

/**
 * PaymentResource#cancelScheduledPaymentTransaction*: removes the retry scheduled after a failed
 * invoice payment. Registered before PaymentWritesController so the static segment wins over `:paymentId`.
 */
@ApiTags('Payment')
@Controller('1.0/kb/payments')
export class ScheduledPaymentsController {
  constructor(private readonly retries: PaymentRetryService) {}

  @Delete('cancelScheduledPaymentTransaction')
  @HttpCode(204)
  @TenantScoped('payment:trigger')
  @AuditedCall()
  @ApiOperation({ operationId: 'cancelScheduledPaymentTransactionByExternalKey', summary: 'Cancels a scheduled payment attempt retry' })
  @ApiQuery({ name: 'transactionExternalKey', required: true, type: String })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async cancelScheduledPaymentTransactionByExternalKey(@Query('transactionExternalKey') transactionExternalKey: string | undefined): Promise<void> {
    await this.retries.cancelScheduledRetry({ transactionExternalKey: transactionExternalKey ?? '' });
  }

  @Delete(':paymentTransactionId/cancelScheduledPaymentTransaction')
  @HttpCode(204)
  @TenantScoped('payment:trigger')
  @AuditedCall()
  @ApiOperation({ operationId: 'cancelScheduledPaymentTransactionById', summary: 'Cancels a scheduled payment attempt retry' })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async cancelScheduledPaymentTransactionById(@UuidParam('paymentTransactionId') paymentTransactionId: string): Promise<void> {
    await this.retries.cancelScheduledRetry({ transactionId: paymentTransactionId });
  }
}
