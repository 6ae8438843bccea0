import { Body, Controller, Delete, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditedCall, Created, DateTimeQuery, TenantScoped, UuidPipe, UuidQuery } from '@kb/platform';
import { CatalogService } from '@kb/catalog';
import { Catalog, CatalogValidation, PlanDetail, SimplePlan } from './catalog.dto';
import { toCatalogsJson, toPlanDetailsJson, toSimplePlanInput, toValidationJson, toVersionsJson, toXmlBody } from './catalog.mapper';

const XML_BODY = { schema: { type: 'string' }, description: 'The complete catalog version as XML' };
const CATALOG_LOCATION = '/1.0/kb/catalog';

@ApiTags('Catalog')
@Controller('1.0/kb/catalog')
export class CatalogController {
  constructor(private readonly catalogs: CatalogService) {}

  @Post('xml')
  @TenantScoped('catalog:config_upload')
  @AuditedCall()
  @Created(CATALOG_LOCATION, String)
  @ApiOperation({ operationId: 'uploadCatalogXml', summary: 'Upload the full catalog as XML' })
  @ApiConsumes('text/xml')
  @ApiBody(XML_BODY)
  async uploadCatalogXml(@Body() body: unknown): Promise<void> {
    await this.catalogs.upload(toXmlBody(body));
  }

  /** Kill Bill's hidden twin of uploadCatalogXml on the resource path (older clients). */
  @Post()
  @TenantScoped('catalog:config_upload')
  @AuditedCall()
  @Created(CATALOG_LOCATION)
  @ApiExcludeEndpoint()
  async uploadCatalogXmlOriginal(@Body() body: unknown): Promise<void> {
    await this.catalogs.upload(toXmlBody(body));
  }

  @Get('xml')
  @TenantScoped()
  @Header('Content-Type', 'text/xml; charset=utf-8')
  @ApiOperation({ operationId: 'getCatalogXml', summary: 'Retrieve the full catalog as XML' })
  @ApiProduces('text/xml')
  @ApiOkResponse({ schema: { type: 'string' } })
  async getCatalogXml(
    @DateTimeQuery('requestedDate') requestedDate: Date | undefined,
    @UuidQuery('accountId') _accountId: string | undefined,
  ): Promise<string> {
    return this.catalogs.catalogXml(requestedDate);
  }

  @Post('xml/validate')
  @TenantScoped()
  @AuditedCall()
  @HttpCode(200)
  @ApiOperation({ operationId: 'validateCatalogXml', summary: 'Validate a XML catalog' })
  @ApiConsumes('text/xml')
  @ApiBody(XML_BODY)
  @ApiOkResponse({ type: CatalogValidation })
  async validateCatalogXml(@Body() body: unknown): Promise<CatalogValidation> {
    return toValidationJson(await this.catalogs.validate(toXmlBody(body)));
  }

  @Get()
  @TenantScoped()
  @ApiOperation({ operationId: 'getCatalogJson', summary: 'Retrieve the catalog as JSON' })
  @ApiOkResponse({ type: [Catalog] })
  async getCatalogJson(
    @DateTimeQuery('requestedDate') requestedDate: Date | undefined,
    @UuidQuery('accountId') _accountId: string | undefined,
  ): Promise<Catalog[]> {
    return toCatalogsJson(await this.catalogs.versions(requestedDate));
  }

  @Get('versions')
  @TenantScoped()
  @ApiOperation({ operationId: 'getCatalogVersions', summary: 'Retrieve a list of catalog versions' })
  @ApiQuery({ name: 'accountId', required: false, type: String, format: 'uuid' })
  @ApiOkResponse({ schema: { type: 'array', items: { type: 'string', format: 'date-time' } } })
  async getCatalogVersions(@Query('accountId', UuidPipe) _accountId: string | undefined): Promise<string[]> {
    return toVersionsJson(await this.catalogs.versionDates());
  }

  @Get('availableBasePlans')
  @TenantScoped()
  @ApiOperation({ operationId: 'getAvailableBasePlans', summary: 'Retrieve available base plans' })
  @ApiQuery({ name: 'accountId', required: false, type: String, format: 'uuid' })
  @ApiOkResponse({ type: [PlanDetail] })
  async getAvailableBasePlans(@Query('accountId', UuidPipe) _accountId: string | undefined): Promise<PlanDetail[]> {
    return toPlanDetailsJson(await this.catalogs.availableBasePlans());
  }

  @Get('availableAddons')
  @TenantScoped()
  @ApiOperation({ operationId: 'getAvailableAddons', summary: 'Retrieve available add-ons for a given product' })
  @ApiQuery({ name: 'baseProductName', required: false, type: String })
  @ApiQuery({ name: 'priceListName', required: false, type: String })
  @ApiQuery({ name: 'accountId', required: false, type: String, format: 'uuid' })
  @ApiOkResponse({ type: [PlanDetail] })
  async getAvailableAddons(
    @Query('baseProductName') baseProductName: string | undefined,
    @Query('priceListName') priceListName: string | undefined,
    @Query('accountId', UuidPipe) _accountId: string | undefined,
  ): Promise<PlanDetail[]> {
    return toPlanDetailsJson(await this.catalogs.availableAddons(baseProductName, priceListName));
  }

  @Post('simplePlan')
  @TenantScoped('catalog:config_upload')
  @AuditedCall()
  @Created(CATALOG_LOCATION, String)
  @ApiOperation({ operationId: 'addSimplePlan', summary: 'Add a simple plan entry in the current version of the catalog' })
  async addSimplePlan(@Body() body: SimplePlan): Promise<void> {
    await this.catalogs.addSimplePlan(toSimplePlanInput(body));
  }

  @Delete()
  @TenantScoped('catalog:delete')
  @AuditedCall()
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteCatalog', summary: 'Delete all versions for a per tenant catalog' })
  @ApiResponse({ status: 204, description: 'Successful operation' })
  async deleteCatalog(): Promise<void> {
    await this.catalogs.deleteCatalog();
  }
}
