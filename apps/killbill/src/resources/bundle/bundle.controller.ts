import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditLevel, AuditLevelPipe, AuditQuery, BooleanPipe, mapPage, type Page, PageParams, type PageRequest, Paginated, TenantScoped, UuidPipe } from '@kb/platform';
import { BundleService } from '@kb/entitlement';
import { Bundle } from './dto/bundle.dto';
import { toBundleJson } from '../subscription/subscription.mapper';

/** Kill Bill's BundleResource reads (transfer, pause/resume, block, rename and metadata come next). */
@ApiTags('Bundle')
@Controller('1.0/kb/bundles')
export class BundleController {
  constructor(private readonly bundles: BundleService) {}

  @Get()
  @TenantScoped()
  @ApiOperation({ operationId: 'getBundleByKey', summary: 'Retrieve a bundle by external key' })
  @ApiQuery({ name: 'externalKey', required: true, type: String })
  @ApiQuery({ name: 'includedDeleted', required: false, type: Boolean })
  @AuditQuery()
  @ApiOkResponse({ type: [Bundle] })
  async getBundleByKey(
    @Query('externalKey') externalKey: string | undefined,
    @Query('includedDeleted', new BooleanPipe(false)) includedDeleted: boolean,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Bundle[]> {
    return (await this.bundles.getByExternalKey(externalKey, includedDeleted, audit)).map(toBundleJson);
  }

  @Get('pagination')
  @TenantScoped()
  @ApiOperation({ operationId: 'getBundles', summary: 'List bundles' })
  @Paginated()
  @AuditQuery()
  @ApiOkResponse({ type: [Bundle] })
  async getBundles(@PageParams() page: PageRequest, @Query('audit', AuditLevelPipe) audit: AuditLevel): Promise<Page<Bundle>> {
    return mapPage(await this.bundles.list(page, audit), toBundleJson);
  }

  @Get('search/:searchKey')
  @TenantScoped()
  @ApiOperation({ operationId: 'searchBundles', summary: 'Search bundles' })
  @Paginated()
  @AuditQuery()
  @ApiOkResponse({ type: [Bundle] })
  async searchBundles(@Param('searchKey') searchKey: string, @PageParams() page: PageRequest, @Query('audit', AuditLevelPipe) audit: AuditLevel): Promise<Page<Bundle>> {
    return mapPage(await this.bundles.search(searchKey, page, audit), toBundleJson);
  }

  @Get(':bundleId')
  @TenantScoped()
  @ApiOperation({ operationId: 'getBundle', summary: 'Retrieve a bundle by id' })
  @AuditQuery()
  @ApiOkResponse({ type: Bundle })
  async getBundle(@Param('bundleId', UuidPipe) bundleId: string, @Query('audit', AuditLevelPipe) audit: AuditLevel): Promise<Bundle> {
    return toBundleJson(await this.bundles.getById(bundleId, audit));
  }
}
