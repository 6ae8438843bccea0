import { Body, Controller, HttpCode, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AuditedCall, InvalidRequestException, TenantScoped, TextProperty, UuidParam } from '@kb/platform';
import { AdminPaymentService, type AdminFixRequest, TRANSACTION_STATUSES, type TransactionStatus } from '@kb/payment';

/** Kill Bill's AdminPayment JSON: the status a transaction is set to and, optionally, the payment's states. */
export class AdminPayment {
  @TextProperty() lastSuccessPaymentState?: string | null;
  @TextProperty() currentPaymentStateName?: string | null;

  @ApiPropertyOptional({ type: String, enum: [...TRANSACTION_STATUSES] })
  @IsOptional()
  @IsIn([...TRANSACTION_STATUSES])
  transactionStatus?: string | null;
}

function adminFixOf(body: AdminPayment | undefined): AdminFixRequest {
  if (!body?.transactionStatus) throw new InvalidRequestException('AdminPaymentJson transactionStatus needs to be set');
  return {
    transactionStatus: body.transactionStatus as TransactionStatus,
    lastSuccessPaymentState: body.lastSuccessPaymentState ?? null,
    currentPaymentStateName: body.currentPaymentStateName ?? null,
  };
}

/** AdminResource#updatePaymentTransactionState (the other admin routes live in the admin resource). */
@ApiTags('Admin')
@Controller('1.0/kb/admin')
export class AdminPaymentController {
  constructor(private readonly admin: AdminPaymentService) {}

  @Put('payments/:paymentId/transactions/:paymentTransactionId')
  @HttpCode(204)
  @TenantScoped('admin:update')
  @AuditedCall()
  @ApiOperation({ operationId: 'updatePaymentTransactionState', summary: 'Update existing paymentTransaction and associated payment state' })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async updatePaymentTransactionState(
    @UuidParam('paymentId') paymentId: string,
    @UuidParam('paymentTransactionId') paymentTransactionId: string,
    @Body() body: AdminPayment,
  ): Promise<void> {
    await this.admin.fixTransactionState(paymentId, paymentTransactionId, adminFixOf(body));
  }
}
