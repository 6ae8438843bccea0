import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  AuditedCall,
  AuditLevel,
  AuditLevelPipe,
  AuditLog,
  AuditQuery,
  BooleanPipe,
  Created,
  mapPage,
  type Page,
  PageParams,
  RepeatedQueryDoc,
  type PageRequest,
  Paginated,
  TenantScoped,
  UuidParam,
} from '@kb/platform';
import { AccountAuditService, AccountEmailService, AccountService } from '@kb/account';
import { BlockingStateService } from '@kb/entitlement';
import { AccountCloseService } from './account-close.service';
import { AccountReadService } from './account-read.service';
import { Account, AccountEmail, BlockingState } from './dto/account.dto';
import { BalanceQueries, queryList } from './account.decorators';
import { toAccountEmailJson, toAccountInput, toAccountJson, toBlockingStateJson } from './account.mapper';

/**
 * Kill Bill's AccountResource (accounts, emails, children, blocking states, audit), reads with the
 * balances asked for (accountWithBalance, accountWithBalanceAndCBA). Static paths come before
 * `:accountId` so they are matched first.
 */
@ApiTags('Account')
@Controller('1.0/kb/accounts')
export class AccountController {
  constructor(
    private readonly accounts: AccountService,
    private readonly emails: AccountEmailService,
    private readonly audits: AccountAuditService,
    private readonly blockingStates: BlockingStateService,
    private readonly closing: AccountCloseService,
    private readonly reads: AccountReadService,
  ) {}

  @Post()
  @TenantScoped('account:create')
  @AuditedCall()
  @Created('/1.0/kb/accounts/{accountId}', Account)
  @ApiOperation({ operationId: 'createAccount', summary: 'Create account' })
  async createAccount(@Body() body: Account): Promise<{ accountId: string }> {
    return { accountId: (await this.accounts.create(toAccountInput(body ?? {}))).id };
  }

  @Get()
  @TenantScoped()
  @ApiOperation({ operationId: 'getAccountByKey', summary: 'Retrieve an account by external key' })
  @ApiQuery({ name: 'externalKey', required: true, type: String })
  @BalanceQueries()
  @AuditQuery()
  @ApiOkResponse({ type: Account })
  async getAccountByKey(
    @Query('externalKey') externalKey: string | undefined,
    @Query('accountWithBalance', new BooleanPipe(false)) withBalance: boolean,
    @Query('accountWithBalanceAndCBA', new BooleanPipe(false)) withBalanceAndCba: boolean,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Account> {
    return toAccountJson(await this.reads.getByExternalKey(externalKey, audit, { withBalance, withBalanceAndCba }));
  }

  @Get('pagination')
  @TenantScoped()
  @ApiOperation({ operationId: 'getAccounts', summary: 'List accounts' })
  @Paginated()
  @BalanceQueries()
  @AuditQuery()
  @ApiOkResponse({ type: [Account] })
  async getAccounts(
    @PageParams() pageRequest: PageRequest,
    @Query('accountWithBalance', new BooleanPipe(false)) withBalance: boolean,
    @Query('accountWithBalanceAndCBA', new BooleanPipe(false)) withBalanceAndCba: boolean,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Page<Account>> {
    return mapPage(await this.reads.list(pageRequest, audit, { withBalance, withBalanceAndCba }), toAccountJson);
  }

  @Get('search/:searchKey')
  @TenantScoped()
  @ApiOperation({ operationId: 'searchAccounts', summary: 'Search accounts' })
  @Paginated()
  @BalanceQueries()
  @AuditQuery()
  @ApiOkResponse({ type: [Account] })
  async searchAccounts(
    @Param('searchKey') searchKey: string,
    @PageParams({ allowExactMatch: true }) pageRequest: PageRequest,
    @Query('accountWithBalance', new BooleanPipe(false)) withBalance: boolean,
    @Query('accountWithBalanceAndCBA', new BooleanPipe(false)) withBalanceAndCba: boolean,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Page<Account>> {
    return mapPage(await this.reads.search(searchKey, pageRequest, audit, { withBalance, withBalanceAndCba }), toAccountJson);
  }

  @Get('block/:blockingId/auditLogsWithHistory')
  @TenantScoped()
  @ApiOperation({ operationId: 'getBlockingStateAuditLogsWithHistory', summary: 'Retrieve blocking state audit logs with history by id' })
  @ApiOkResponse({ type: [AuditLog] })
  async getBlockingStateAuditLogsWithHistory(@UuidParam('blockingId') blockingId: string): Promise<AuditLog[]> {
    return this.blockingStates.auditLogsWithHistory(blockingId);
  }

  @Get(':accountId')
  @TenantScoped()
  @ApiOperation({ operationId: 'getAccount', summary: 'Retrieve an account by id' })
  @BalanceQueries()
  @AuditQuery()
  @ApiOkResponse({ type: Account })
  async getAccount(
    @UuidParam('accountId') accountId: string,
    @Query('accountWithBalance', new BooleanPipe(false)) withBalance: boolean,
    @Query('accountWithBalanceAndCBA', new BooleanPipe(false)) withBalanceAndCba: boolean,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Account> {
    return toAccountJson(await this.reads.getById(accountId, audit, { withBalance, withBalanceAndCba }));
  }

  @Put(':accountId')
  @TenantScoped('account:update')
  @AuditedCall()
  @HttpCode(204)
  @ApiOperation({ operationId: 'updateAccount', summary: 'Update account' })
  @ApiQuery({ name: 'treatNullAsReset', required: false, schema: { type: 'boolean', default: false } })
  @ApiNoContentResponse()
  async updateAccount(
    @UuidParam('accountId') accountId: string,
    @Body() body: Account,
    @Query('treatNullAsReset', new BooleanPipe(false)) treatNullAsReset: boolean,
  ): Promise<void> {
    await this.accounts.update(accountId, toAccountInput(body ?? {}), treatNullAsReset);
  }

  @Delete(':accountId')
  @TenantScoped('account:update')
  @AuditedCall()
  @HttpCode(204)
  @ApiOperation({ operationId: 'closeAccount', summary: 'Close account' })
  @ApiQuery({ name: 'cancelAllSubscriptions', required: false, schema: { type: 'boolean', default: false } })
  @ApiQuery({ name: 'writeOffUnpaidInvoices', required: false, schema: { type: 'boolean', default: false } })
  @ApiQuery({ name: 'itemAdjustUnpaidInvoices', required: false, schema: { type: 'boolean', default: false } })
  @ApiQuery({ name: 'removeFutureNotifications', required: false, schema: { type: 'boolean', default: true } })
  @ApiNoContentResponse()
  async closeAccount(
    @UuidParam('accountId') accountId: string,
    @Query('cancelAllSubscriptions', new BooleanPipe(false)) cancelAllSubscriptions: boolean,
    @Query('writeOffUnpaidInvoices', new BooleanPipe(false)) writeOffUnpaidInvoices: boolean,
    @Query('itemAdjustUnpaidInvoices', new BooleanPipe(false)) itemAdjustUnpaidInvoices: boolean,
    @Query('removeFutureNotifications', new BooleanPipe(true)) removeFutureNotifications: boolean,
  ): Promise<void> {
    await this.closing.close(accountId, { cancelAllSubscriptions, writeOffUnpaidInvoices, itemAdjustUnpaidInvoices, removeFutureNotifications });
  }

  @Get(':accountId/children')
  @TenantScoped()
  @ApiOperation({ operationId: 'getChildrenAccounts', summary: 'List children accounts' })
  @BalanceQueries()
  @AuditQuery()
  @ApiOkResponse({ type: [Account] })
  async getChildrenAccounts(
    @UuidParam('accountId') accountId: string,
    @Query('accountWithBalance', new BooleanPipe(false)) withBalance: boolean,
    @Query('accountWithBalanceAndCBA', new BooleanPipe(false)) withBalanceAndCba: boolean,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Account[]> {
    return (await this.reads.children(accountId, audit, { withBalance, withBalanceAndCba })).map(toAccountJson);
  }

  @Get(':accountId/emails')
  @TenantScoped()
  @ApiOperation({ operationId: 'getEmails', summary: 'Retrieve an account emails' })
  @ApiOkResponse({ type: [AccountEmail] })
  async getEmails(@UuidParam('accountId') accountId: string): Promise<AccountEmail[]> {
    return (await this.emails.list(accountId)).map(toAccountEmailJson);
  }

  @Post(':accountId/emails')
  @TenantScoped('account:add_emails')
  @AuditedCall()
  @Created('/1.0/kb/accounts/{accountId}/emails', [AccountEmail])
  @ApiOperation({ operationId: 'addEmail', summary: 'Add account email' })
  async addEmail(@UuidParam('accountId') accountId: string, @Body() body: AccountEmail): Promise<{ accountId: string }> {
    await this.emails.add(accountId, body?.email);
    // Kill Bill builds the Location from the body's accountId.
    return { accountId: body?.accountId ?? accountId };
  }

  @Delete(':accountId/emails/:email')
  @TenantScoped('account:delete_emails')
  @AuditedCall()
  @HttpCode(204)
  @ApiOperation({ operationId: 'removeEmail', summary: 'Delete email from account' })
  @ApiNoContentResponse()
  async removeEmail(@UuidParam('accountId') accountId: string, @Param('email') email: string): Promise<void> {
    await this.emails.remove(accountId, email);
  }

  @Get(':accountId/emails/:accountEmailId/auditLogsWithHistory')
  @TenantScoped()
  @ApiOperation({ operationId: 'getAccountEmailAuditLogsWithHistory', summary: 'Retrieve account email audit logs with history by id' })
  @ApiOkResponse({ type: [AuditLog] })
  async getAccountEmailAuditLogsWithHistory(
    @UuidParam('accountId') accountId: string,
    @UuidParam('accountEmailId') accountEmailId: string,
  ): Promise<AuditLog[]> {
    return this.audits.emailWithHistory(accountId, accountEmailId);
  }

  @Get(':accountId/block')
  @TenantScoped()
  @ApiOperation({ operationId: 'getBlockingStates', summary: 'Retrieve blocking states for account' })
  @RepeatedQueryDoc('blockingStateTypes', { type: 'string', enum: ['SUBSCRIPTION', 'SUBSCRIPTION_BUNDLE', 'ACCOUNT'] })
  @RepeatedQueryDoc('blockingStateSvcs', { type: 'string' })
  @AuditQuery()
  @ApiOkResponse({ type: [BlockingState] })
  async getBlockingStates(
    @UuidParam('accountId') accountId: string,
    @Query('blockingStateTypes') types: string | string[] | undefined,
    @Query('blockingStateSvcs') services: string | string[] | undefined,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<BlockingState[]> {
    return (await this.blockingStates.listForAccount(accountId, { types: queryList(types), services: queryList(services) }, audit)).map(toBlockingStateJson);
  }

  @Post(':accountId/block')
  @TenantScoped('entitlement:change_plan')
  @AuditedCall()
  @Created('/1.0/kb/accounts/{accountId}/block?blockingStateTypes=ACCOUNT', [BlockingState])
  @ApiOperation({ operationId: 'addAccountBlockingState', summary: 'Block an account' })
  @ApiQuery({ name: 'requestedDate', required: false, type: String, format: 'date' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async addAccountBlockingState(
    @UuidParam('accountId') accountId: string,
    @Body() body: BlockingState,
    @Query('requestedDate') requestedDate: string | undefined,
  ): Promise<void> {
    await this.blockingStates.addForAccount(accountId, body ?? {}, requestedDate);
  }

  @Get(':accountId/auditLogs')
  @TenantScoped()
  @ApiOperation({ operationId: 'getAccountAuditLogs', summary: 'Retrieve audit logs by account id' })
  @ApiOkResponse({ type: [AuditLog] })
  async getAccountAuditLogs(@UuidParam('accountId') accountId: string): Promise<AuditLog[]> {
    return this.audits.allForAccount(accountId);
  }
}
