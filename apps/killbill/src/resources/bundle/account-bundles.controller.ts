import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditLevel, AuditLevelPipe, AuditQuery, mapPage, type Page, PageParams, type PageRequest, Paginated, TenantScoped, UuidPipe } from '@kb/platform';
import { BundleService } from '@kb/entitlement';
import { Bundle } from './dto/bundle.dto';
import { toBundleJson } from '../subscription/subscription.mapper';

/** The account's bundles (Kill Bill's AccountResource#getAccountBundles…), kept apart from the account controller. */
@ApiTags('Account')
@Controller('1.0/kb/accounts')
export class AccountBundlesController {
  constructor(private readonly bundles: BundleService) {}

  @Get(':accountId/bundles')
  @TenantScoped()
  @ApiOperation({ operationId: 'getAccountBundles', summary: 'Retrieve bundles for account' })
  @ApiQuery({ name: 'externalKey', required: false, type: String })
  @ApiQuery({ name: 'bundlesFilter', required: false, type: String })
  @AuditQuery()
  @ApiOkResponse({ type: [Bundle] })
  async getAccountBundles(
    @Param('accountId', UuidPipe) accountId: string,
    @Query('externalKey') externalKey: string | undefined,
    @Query('bundlesFilter') bundlesFilter: string | undefined,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Bundle[]> {
    return (await this.bundles.forAccount(accountId, externalKey, bundlesFilter, audit)).map(toBundleJson);
  }

  @Get(':accountId/bundles/pagination')
  @TenantScoped()
  @ApiOperation({ operationId: 'getAccountBundlesPaginated', summary: 'Retrieve paginated bundles for account' })
  @Paginated()
  @AuditQuery()
  @ApiOkResponse({ type: [Bundle] })
  async getAccountBundlesPaginated(
    @Param('accountId', UuidPipe) accountId: string,
    @PageParams() page: PageRequest,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Page<Bundle>> {
    return mapPage(await this.bundles.pageForAccount(accountId, page, audit), toBundleJson);
  }
}
