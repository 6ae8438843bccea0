import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InvoiceDryRunService } from '@kb/invoice';
import { AuditedCall, LocalDateQuery, OptionalBody, RepeatedQueryDoc, TenantScoped, UuidQuery } from '@kb/platform';
import { InvoiceDryRun } from './dto/invoice-dry-run.dto';
import { Invoice } from './dto/invoice.dto';
import { toDryRunInvoiceJson, toDryRunSpec } from './invoice-dry-run.mapper';

/** Kill Bill's InvoiceResource#generateDryRunInvoice: the invoice a run would generate, never stored. */
@ApiTags('Invoice')
@Controller('1.0/kb/invoices')
export class InvoiceDryRunController {
  constructor(private readonly dryRuns: InvoiceDryRunService) {}

  // Kill Bill reads a missing body as a TARGET_DATE dry run (its contract marks the body required).
  @Post('dryRun')
  @HttpCode(200)
  @OptionalBody()
  @TenantScoped('invoice:trigger')
  @AuditedCall()
  @ApiOperation({ operationId: 'generateDryRunInvoice', summary: 'Generate a dryRun invoice' })
  @ApiBody({ type: InvoiceDryRun, required: true })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiOkResponse({ type: Invoice, description: 'successful operation' })
  @ApiNoContentResponse({ description: 'Nothing to generate' })
  async generateDryRunInvoice(
    @Body() body: InvoiceDryRun,
    @UuidQuery('accountId', { required: true }) accountId: string,
    @LocalDateQuery('targetDate') targetDate: string | undefined,
  ): Promise<Invoice> {
    return toDryRunInvoiceJson(await this.dryRuns.generate(accountId, targetDate, toDryRunSpec(body)));
  }
}
