import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InvoiceQueryService } from '@kb/invoice';
import { AuditLevel, AuditLevelPipe, AuditQuery, BooleanPipe, mapPage, type Page, PageParams, type PageRequest, Paginated, TenantScoped, UuidParam, UuidPipe } from '@kb/platform';
import { Invoice } from './dto/invoice.dto';
import { toInvoiceJson } from './invoice.mapper';

const WITH_CHILDREN_ITEMS = { name: 'withChildrenItems', required: false, schema: { type: 'boolean', default: false } } as const;

/**
 * The reads of Kill Bill's InvoiceResource: an invoice by id, number or item, a run's group, and the
 * tenant's invoices paged or searched (shallow). Static paths come before `:invoiceId`.
 */
@ApiTags('Invoice')
@Controller('1.0/kb/invoices')
export class InvoiceController {
  constructor(private readonly invoices: InvoiceQueryService) {}

  @Get('pagination')
  @TenantScoped()
  @ApiOperation({ operationId: 'getInvoices', summary: 'List invoices' })
  @Paginated()
  @AuditQuery()
  @ApiOkResponse({ type: [Invoice] })
  async getInvoices(@PageParams() page: PageRequest, @Query('audit', AuditLevelPipe) audit: AuditLevel): Promise<Page<Invoice>> {
    return mapPage(await this.invoices.list(page, audit), toInvoiceJson);
  }

  @Get('search/:searchKey')
  @TenantScoped()
  @ApiOperation({ operationId: 'searchInvoices', summary: 'Search invoices' })
  @Paginated()
  @AuditQuery()
  @ApiOkResponse({ type: [Invoice] })
  async searchInvoices(
    @Param('searchKey') searchKey: string,
    @PageParams() page: PageRequest,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Page<Invoice>> {
    return mapPage(await this.invoices.search(searchKey, page, audit), toInvoiceJson);
  }

  @Get('byNumber/:invoiceNumber')
  @TenantScoped()
  @ApiOperation({ operationId: 'getInvoiceByNumber', summary: 'Retrieve an invoice by number' })
  @ApiParam({ name: 'invoiceNumber', required: true, schema: { type: 'integer', format: 'int32' } })
  @ApiQuery(WITH_CHILDREN_ITEMS)
  @AuditQuery()
  @ApiOkResponse({ type: Invoice })
  @ApiResponse({ status: 404, description: 'Invoice not found' })
  async getInvoiceByNumber(
    @Param('invoiceNumber') invoiceNumber: string,
    @Query('withChildrenItems', new BooleanPipe(false)) withChildrenItems: boolean,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Invoice> {
    return toInvoiceJson(await this.invoices.byNumber(invoiceNumber, { withChildrenItems, audit }));
  }

  @Get('byItemId/:itemId')
  @TenantScoped()
  @ApiOperation({ operationId: 'getInvoiceByItemId', summary: 'Retrieve an invoice by invoice item id' })
  @ApiQuery(WITH_CHILDREN_ITEMS)
  @AuditQuery()
  @ApiOkResponse({ type: Invoice })
  @ApiResponse({ status: 404, description: 'Invoice not found' })
  async getInvoiceByItemId(
    @UuidParam('itemId') itemId: string,
    @Query('withChildrenItems', new BooleanPipe(false)) withChildrenItems: boolean,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Invoice> {
    return toInvoiceJson(await this.invoices.byItemId(itemId, { withChildrenItems, audit }));
  }

  @Get(':groupId/group')
  @TenantScoped()
  @ApiOperation({ operationId: 'getInvoicesGroup', summary: 'Retrieve a set of invoices by group id' })
  @ApiQuery({ name: 'accountId', required: true, type: String, format: 'uuid' })
  @ApiQuery(WITH_CHILDREN_ITEMS)
  @AuditQuery()
  @ApiOkResponse({ type: [Invoice] })
  @ApiResponse({ status: 400, description: 'Invalid group id supplied' })
  async getInvoicesGroup(
    @UuidParam('groupId') groupId: string,
    @Query('accountId', UuidPipe) accountId: string | undefined,
    @Query('withChildrenItems', new BooleanPipe(false)) withChildrenItems: boolean,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Invoice[]> {
    return (await this.invoices.group(groupId, accountId, { withChildrenItems, audit })).map(toInvoiceJson);
  }

  @Get(':invoiceId')
  @TenantScoped()
  @ApiOperation({ operationId: 'getInvoice', summary: 'Retrieve an invoice by id' })
  @ApiQuery(WITH_CHILDREN_ITEMS)
  @AuditQuery()
  @ApiOkResponse({ type: Invoice })
  @ApiResponse({ status: 400, description: 'Invalid invoice id supplied' })
  @ApiResponse({ status: 404, description: 'Invoice not found' })
  async getInvoice(
    @UuidParam('invoiceId') invoiceId: string,
    @Query('withChildrenItems', new BooleanPipe(false)) withChildrenItems: boolean,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Invoice> {
    return toInvoiceJson(await this.invoices.byId(invoiceId, { withChildrenItems, audit }));
  }
}
