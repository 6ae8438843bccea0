import { Controller, HttpCode, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditedCall, TenantScoped, UuidParam } from '@kb/platform';
import { InvoiceAdjustmentsService } from '@kb/invoice';

/** Kill Bill's AccountResource operations on the account's credit. */
@ApiTags('Account')
@Controller('1.0/kb/accounts')
export class AccountCreditController {
  constructor(private readonly adjustments: InvoiceAdjustmentsService) {}

  @Put(':accountId/cbaRebalancing')
  @HttpCode(204)
  @TenantScoped('account:update')
  @AuditedCall()
  @ApiOperation({ operationId: 'rebalanceExistingCBAOnAccount', summary: 'Rebalance account CBA' })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async rebalanceExistingCBAOnAccount(@UuidParam('accountId') accountId: string): Promise<void> {
    await this.adjustments.rebalance(accountId);
  }

  @Put(':childAccountId/transferCredit')
  @HttpCode(204)
  @TenantScoped('account:update')
  @AuditedCall()
  @ApiOperation({ operationId: 'transferChildCreditToParent', summary: 'Move a given child credit to the parent level' })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async transferChildCreditToParent(@UuidParam('childAccountId') childAccountId: string): Promise<void> {
    await this.adjustments.transferCreditToParent(childAccountId);
  }
}
