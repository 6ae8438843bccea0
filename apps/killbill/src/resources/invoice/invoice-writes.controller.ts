import { Body, Controller, Delete, HttpCode, NotFoundException, ParseArrayPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditedCall, BooleanPipe, Created, LocalDateQuery, RepeatedQueryDoc, TenantScoped, UuidParam, UuidPipe } from '@kb/platform';
import { InvoiceAdjustmentsService, InvoiceChargesService } from '@kb/invoice';
import { Invoice, InvoiceItem } from './dto/invoice.dto';
import { toPlainItemJson } from './invoice.mapper';

const ITEMS = new ParseArrayPipe({ items: InvoiceItem, forbidUnknownValues: false });

/** Kill Bill's InvoiceResource writes: external charges, taxes, item adjustments, commit, void, CBA deletion, migration invoices. */
@ApiTags('Invoice')
@Controller('1.0/kb/invoices')
export class InvoiceWritesController {
  constructor(
    private readonly charges: InvoiceChargesService,
    private readonly adjustments: InvoiceAdjustmentsService,
  ) {}

  // Kill Bill answers 200 with the items (its contract says 201).
  @Post('charges/:accountId')
  @HttpCode(200)
  @TenantScoped('invoice:external_charge')
  @AuditedCall()
  @ApiOperation({ operationId: 'createExternalCharges', summary: 'Create external charge(s)' })
  @ApiBody({ type: [InvoiceItem] })
  @ApiQuery({ name: 'autoCommit', required: false, type: Boolean })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiOkResponse({ type: [InvoiceItem] })
  async createExternalCharges(
    @UuidParam('accountId') accountId: string,
    @Body(ITEMS) body: InvoiceItem[],
    @LocalDateQuery('requestedDate') requestedDate: string | undefined,
    @Query('autoCommit', new BooleanPipe(false)) autoCommit: boolean,
  ): Promise<InvoiceItem[]> {
    return (await this.charges.insertItems('EXTERNAL_CHARGE', accountId, body, { requestedDate, autoCommit })).map((item) => toPlainItemJson(item));
  }

  @Post('taxes/:accountId')
  @HttpCode(200)
  @TenantScoped('invoice:external_charge')
  @AuditedCall()
  @ApiOperation({ operationId: 'createTaxItems', summary: 'Create tax items' })
  @ApiBody({ type: [InvoiceItem] })
  @ApiQuery({ name: 'autoCommit', required: false, type: Boolean })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiOkResponse({ type: [InvoiceItem] })
  async createTaxItems(
    @UuidParam('accountId') accountId: string,
    @Body(ITEMS) body: InvoiceItem[],
    @LocalDateQuery('requestedDate') requestedDate: string | undefined,
    @Query('autoCommit', new BooleanPipe(false)) autoCommit: boolean,
  ): Promise<InvoiceItem[]> {
    return (await this.charges.insertItems('TAX', accountId, body, { requestedDate, autoCommit })).map((item) => toPlainItemJson(item));
  }

  @Post('migration/:accountId')
  @TenantScoped('invoice:trigger')
  @AuditedCall()
  @Created('/1.0/kb/invoices/{invoiceId}/', Invoice)
  @ApiOperation({ operationId: 'createMigrationInvoice', summary: 'Create a migration invoice' })
  @ApiBody({ type: [InvoiceItem] })
  async createMigrationInvoice(
    @UuidParam('accountId') accountId: string,
    @Body(ITEMS) body: InvoiceItem[],
    @LocalDateQuery('targetDate') targetDate: string | undefined,
  ): Promise<{ invoiceId: string }> {
    return this.charges.createMigrationInvoice(accountId, body, targetDate);
  }

  @Post(':invoiceId')
  @TenantScoped('invoice:item_adjust')
  @AuditedCall()
  @Created('/1.0/kb/invoices/{invoiceId}/', Invoice)
  @ApiOperation({ operationId: 'adjustInvoiceItem', summary: 'Adjust an invoice item' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async adjustInvoiceItem(
    @UuidParam('invoiceId') invoiceId: string,
    @Body() body: InvoiceItem,
    @LocalDateQuery('requestedDate') requestedDate: string | undefined,
  ): Promise<{ invoiceId: string }> {
    const adjusted = await this.adjustments.adjustItem(invoiceId, body, requestedDate);
    // Nothing left to adjust: Kill Bill answers a bare 404.
    if (!adjusted) throw new NotFoundException();
    return adjusted;
  }

  @Put(':invoiceId/commitInvoice')
  @HttpCode(204)
  @TenantScoped('invoice:trigger')
  @AuditedCall()
  @ApiOperation({ operationId: 'commitInvoice', summary: 'Perform the invoice status transition from DRAFT to COMMITTED' })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async commitInvoice(@UuidParam('invoiceId') invoiceId: string): Promise<void> {
    await this.adjustments.commit(invoiceId);
  }

  @Put(':invoiceId/voidInvoice')
  @HttpCode(204)
  @TenantScoped('invoice:trigger')
  @AuditedCall()
  @ApiOperation({ operationId: 'voidInvoice', summary: 'Perform the action of voiding an invoice' })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async voidInvoice(@UuidParam('invoiceId') invoiceId: string): Promise<void> {
    await this.adjustments.void(invoiceId);
  }

  @Delete(':invoiceId/:invoiceItemId/cba')
  @HttpCode(204)
  @TenantScoped('invoice:delete_cba')
  @AuditedCall()
  @ApiOperation({ operationId: 'deleteCBA', summary: 'Delete a CBA item' })
  @ApiQuery({ name: 'accountId', required: true, type: String, format: 'uuid' })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async deleteCBA(
    @UuidParam('invoiceId') invoiceId: string,
    @UuidParam('invoiceItemId') invoiceItemId: string,
    @Query('accountId', UuidPipe) accountId: string,
  ): Promise<void> {
    await this.adjustments.deleteCba(accountId, invoiceId, invoiceItemId);
  }
}
