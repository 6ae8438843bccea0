import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InvoiceQueryService } from '@kb/invoice';
import {
  AuditLevel,
  AuditLevelPipe,
  AuditQuery,
  BooleanPipe,
  LocalDateQuery,
  mapPage,
  type Page,
  PageParams,
  type PageRequest,
  Paginated,
  TenantScoped,
  UuidParam,
} from '@kb/platform';
import { Invoice } from './dto/invoice.dto';
import { toInvoiceJson } from './invoice.mapper';

const flag = (name: string) => ApiQuery({ name, required: false, schema: { type: 'boolean', default: false } });

/** The account's invoices (Kill Bill's AccountResource#getInvoicesForAccount and its paginated form). */
@ApiTags('Account')
@Controller('1.0/kb/accounts')
export class AccountInvoicesController {
  constructor(private readonly invoices: InvoiceQueryService) {}

  @Get(':accountId/invoices/pagination')
  @TenantScoped()
  @ApiOperation({ operationId: 'getInvoicesForAccountPaginated', summary: 'Retrieve paginated invoices for account' })
  @Paginated()
  @AuditQuery()
  @ApiOkResponse({ type: [Invoice] })
  @ApiResponse({ status: 400, description: 'Invalid account id supplied' })
  @ApiResponse({ status: 404, description: 'Account not found' })
  async getInvoicesForAccountPaginated(
    @UuidParam('accountId') accountId: string,
    @PageParams() page: PageRequest,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Page<Invoice>> {
    return mapPage(await this.invoices.forAccountPage(accountId, page, audit), toInvoiceJson);
  }

  @Get(':accountId/invoices')
  @TenantScoped()
  @ApiOperation({ operationId: 'getInvoicesForAccount', summary: 'Retrieve account invoices' })
  @flag('withMigrationInvoices')
  @flag('unpaidInvoicesOnly')
  @flag('includeVoidedInvoices')
  @flag('includeInvoiceComponents')
  @ApiQuery({ name: 'invoicesFilter', required: false, type: String })
  @AuditQuery()
  @ApiOkResponse({ type: [Invoice] })
  @ApiResponse({ status: 400, description: 'Invalid account id supplied' })
  @ApiResponse({ status: 404, description: 'Account not found' })
  async getInvoicesForAccount(
    @UuidParam('accountId') accountId: string,
    @LocalDateQuery('startDate') startDate: string | undefined,
    @LocalDateQuery('endDate') endDate: string | undefined,
    @Query('withMigrationInvoices', new BooleanPipe(false)) withMigrationInvoices: boolean,
    @Query('unpaidInvoicesOnly', new BooleanPipe(false)) unpaidInvoicesOnly: boolean,
    @Query('includeVoidedInvoices', new BooleanPipe(false)) includeVoidedInvoices: boolean,
    @Query('includeInvoiceComponents', new BooleanPipe(false)) includeInvoiceComponents: boolean,
    @Query('invoicesFilter') invoicesFilter: string | undefined,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Invoice[]> {
    const filter = { startDate, endDate, withMigrationInvoices, unpaidInvoicesOnly, includeVoidedInvoices, includeInvoiceComponents, invoicesFilter };
    return (await this.invoices.forAccount(accountId, filter, audit)).map(toInvoiceJson);
  }
}
