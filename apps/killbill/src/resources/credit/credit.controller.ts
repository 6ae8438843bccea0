import { Body, Controller, Get, HttpCode, ParseArrayPipe, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditedCall, BooleanPipe, LocalDateQuery, RepeatedQueryDoc, TenantScoped, UuidParam } from '@kb/platform';
import { InvoiceChargesService } from '@kb/invoice';
import { InvoiceItem } from '../invoice/dto/invoice.dto';
import { toPlainItemJson } from '../invoice/invoice.mapper';

const ITEMS = new ParseArrayPipe({ items: InvoiceItem, forbidUnknownValues: false });

/** Kill Bill's CreditResource: credits are CREDIT_ADJ items, shown with the positive amount asked for. */
@ApiTags('Credit')
@Controller('1.0/kb/credits')
export class CreditController {
  constructor(private readonly charges: InvoiceChargesService) {}

  @Get(':creditId')
  @TenantScoped()
  @ApiOperation({ operationId: 'getCredit', summary: 'Retrieve a credit by id' })
  @ApiOkResponse({ type: InvoiceItem })
  async getCredit(@UuidParam('creditId') creditId: string): Promise<InvoiceItem> {
    return toPlainItemJson(await this.charges.getCredit(creditId), { positiveCredits: true });
  }

  // Kill Bill answers 200 with the items (its contract says 201).
  @Post()
  @HttpCode(200)
  @TenantScoped('invoice:credit')
  @AuditedCall()
  @ApiOperation({ operationId: 'createCredits', summary: 'Create a credit' })
  @ApiBody({ type: [InvoiceItem] })
  @ApiQuery({ name: 'autoCommit', required: false, type: Boolean })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiOkResponse({ type: [InvoiceItem] })
  async createCredits(
    @Body(ITEMS) body: InvoiceItem[],
    @LocalDateQuery('requestedDate') requestedDate: string | undefined,
    @Query('autoCommit', new BooleanPipe(false)) autoCommit: boolean,
  ): Promise<InvoiceItem[]> {
    return (await this.charges.insertCredits(body, { requestedDate, autoCommit })).map((item) => toPlainItemJson(item, { positiveCredits: true }));
  }
}
