import { Controller, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InvoiceGenerationService } from '@kb/invoice';
import { AuditedCall, Created, RepeatedQueryDoc, TenantScoped, UuidQuery } from '@kb/platform';
import { Invoice } from './dto/invoice.dto';

/** Kill Bill's InvoiceResource runs of the generator: `POST /invoices` and `POST /invoices/group`. */
@ApiTags('Invoice')
@Controller('1.0/kb/invoices')
export class InvoiceGenerationController {
  constructor(private readonly generation: InvoiceGenerationService) {}

  @Post()
  @TenantScoped('invoice:trigger')
  @AuditedCall()
  @Created('/1.0/kb/invoices/{invoiceId}/', Invoice)
  @ApiOperation({ operationId: 'createFutureInvoice', summary: 'Trigger an invoice generation' })
  @ApiQuery({ name: 'targetDate', required: false, type: String, format: 'date' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async createFutureInvoice(@UuidQuery('accountId', { required: true }) accountId: string, @Query('targetDate') targetDate: string | undefined): Promise<{ invoiceId: string }> {
    return this.generation.createFutureInvoice(accountId, targetDate);
  }

  @Post('group')
  @TenantScoped('invoice:trigger')
  @AuditedCall()
  @Created('/1.0/kb/invoices/{groupId}/group', [Invoice])
  @ApiOperation({ operationId: 'createFutureInvoiceGroup', summary: 'Trigger an invoice generation, allowing the invoice to be split in a group' })
  @ApiQuery({ name: 'targetDate', required: false, type: String, format: 'date' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async createFutureInvoiceGroup(@UuidQuery('accountId', { required: true }) accountId: string, @Query('targetDate') targetDate: string | undefined): Promise<{ groupId: string }> {
    return this.generation.createFutureInvoiceGroup(accountId, targetDate);
  }
}
