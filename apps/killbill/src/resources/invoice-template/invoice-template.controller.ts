import { type ArgumentsHost, Body, Catch, Controller, type ExceptionFilter, Get, Header, Param, Post, Query, UseFilters } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditedCall, BooleanPipe, Created, TenantScoped, UuidParam } from '@kb/platform';
import { InvoiceTemplateService, TemplateAlreadyExists, TemplateNotFound, type UploadedAt } from '@kb/invoice';

/** Kill Bill answers these with a bare status: 400 when the value exists and may not be replaced, 404 when none is stored. */
@Catch(TemplateAlreadyExists, TemplateNotFound)
class BareStatusFilter implements ExceptionFilter {
  catch(exception: TemplateAlreadyExists | TemplateNotFound, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    response.removeHeader('Content-Type');
    response.status(exception instanceof TemplateAlreadyExists ? 400 : 404).end();
  }
}

const TEXT_BODY = { schema: { type: 'string' } };
const DeleteIfExists = () => Query('deleteIfExists', new BooleanPipe(false));
const DELETE_IF_EXISTS = { name: 'deleteIfExists', required: false, schema: { type: 'boolean', default: false } } as const;

/** InvoiceResource's templates, translations and HTML rendering (the tenant's Mustache template and .properties bundles). */
@ApiTags('Invoice')
@Controller('1.0/kb/invoices')
@UseFilters(BareStatusFilter)
export class InvoiceTemplateController {
  constructor(private readonly templates: InvoiceTemplateService) {}

  @Post('template')
  @TenantScoped('tenant_kvs:add')
  @AuditedCall()
  @Created('/1.0/kb/invoices/template', String)
  @ApiOperation({ operationId: 'uploadInvoiceTemplate', summary: 'Upload the invoice template for the tenant' })
  @ApiConsumes('text/html')
  @ApiBody(TEXT_BODY)
  @ApiQuery(DELETE_IF_EXISTS)
  uploadInvoiceTemplate(@Body() body: unknown, @DeleteIfExists() deleteIfExists: boolean): Promise<UploadedAt> {
    return this.templates.uploadTemplate(body, deleteIfExists);
  }

  @Get('template')
  @TenantScoped()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ operationId: 'getInvoiceTemplate', summary: 'Retrieves the invoice template for the tenant' })
  @ApiProduces('text/html')
  @ApiOkResponse({ schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'Template not found' })
  getInvoiceTemplate(): Promise<string> {
    return this.templates.getTemplate();
  }

  @Post('manualPayTemplate')
  @TenantScoped('tenant_kvs:add')
  @AuditedCall()
  @Created('/1.0/kb/invoices/manualPayTemplate/{locale}', String)
  @ApiOperation({ operationId: 'uploadInvoiceMPTemplate', summary: 'Upload the manualPay invoice template for the tenant' })
  @ApiConsumes('text/html')
  @ApiBody(TEXT_BODY)
  @ApiQuery(DELETE_IF_EXISTS)
  uploadInvoiceMPTemplate(@Body() body: unknown, @DeleteIfExists() deleteIfExists: boolean): Promise<UploadedAt> {
    return this.templates.uploadManualPayTemplate(body, deleteIfExists);
  }

  @Get('manualPayTemplate/:locale')
  @TenantScoped()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ operationId: 'getInvoiceMPTemplate', summary: 'Retrieves the manualPay invoice template for the tenant' })
  @ApiProduces('text/html')
  @ApiOkResponse({ schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'Template not found' })
  getInvoiceMPTemplate(@Param('locale') _locale: string): Promise<string> {
    return this.templates.getManualPayTemplate();
  }

  @Post('translation/:locale')
  @TenantScoped('tenant_kvs:add')
  @AuditedCall()
  @Created('/1.0/kb/invoices/translation/{locale}', String)
  @ApiOperation({ operationId: 'uploadInvoiceTranslation', summary: 'Upload the invoice translation for the tenant' })
  @ApiConsumes('text/plain')
  @ApiBody(TEXT_BODY)
  @ApiQuery(DELETE_IF_EXISTS)
  uploadInvoiceTranslation(@Param('locale') locale: string, @Body() body: unknown, @DeleteIfExists() deleteIfExists: boolean): Promise<UploadedAt> {
    return this.templates.uploadInvoiceTranslation(locale, body, deleteIfExists);
  }

  @Get('translation/:locale')
  @TenantScoped()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ operationId: 'getInvoiceTranslation', summary: 'Retrieves the invoice translation for the tenant' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ schema: { type: 'string' } })
  @ApiBadRequestResponse({ description: 'Invalid locale supplied' })
  @ApiNotFoundResponse({ description: 'Translation not found' })
  getInvoiceTranslation(@Param('locale') locale: string): Promise<string> {
    return this.templates.getInvoiceTranslation(locale);
  }

  @Post('catalogTranslation/:locale')
  @TenantScoped('tenant_kvs:add')
  @AuditedCall()
  @Created('/1.0/kb/invoices/catalogTranslation/{locale}', String)
  @ApiOperation({ operationId: 'uploadCatalogTranslation', summary: 'Upload the catalog translation for the tenant' })
  @ApiConsumes('text/plain')
  @ApiBody(TEXT_BODY)
  @ApiQuery(DELETE_IF_EXISTS)
  uploadCatalogTranslation(@Param('locale') locale: string, @Body() body: unknown, @DeleteIfExists() deleteIfExists: boolean): Promise<UploadedAt> {
    return this.templates.uploadCatalogTranslation(locale, body, deleteIfExists);
  }

  @Get('catalogTranslation/:locale')
  @TenantScoped()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ operationId: 'getCatalogTranslation', summary: 'Retrieves the catalog translation for the tenant' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ schema: { type: 'string' } })
  @ApiBadRequestResponse({ description: 'Invalid locale supplied' })
  @ApiNotFoundResponse({ description: 'Template not found' })
  getCatalogTranslation(@Param('locale') locale: string): Promise<string> {
    return this.templates.getCatalogTranslation(locale);
  }

  @Get(':invoiceId/html')
  @TenantScoped()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ operationId: 'getInvoiceAsHTML', summary: 'Render an invoice as HTML' })
  @ApiProduces('text/html')
  @ApiOkResponse({ schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'Invoice not found' })
  getInvoiceAsHTML(@UuidParam('invoiceId') invoiceId: string): Promise<string> {
    return this.templates.invoiceHtml(invoiceId);
  }
}
