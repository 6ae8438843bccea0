import { applyDecorators, type ArgumentsHost, Catch, Controller, type ExceptionFilter, Get, Query, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { TenantScoped, UuidPipe } from '@kb/platform';
import { toPhaseJson, toPlanJson, toPriceListJson, toProductJson } from '@kb/catalog';
import { SubscriptionCatalogService, SubscriptionDateOutOfRange } from '@kb/entitlement';
import { Phase, Plan, PriceList, Product } from './catalog.dto';

/** Kill Bill answers a date outside the subscription's life with a text/plain 400, not its error JSON. */
@Catch(SubscriptionDateOutOfRange)
class SubscriptionDateOutOfRangeFilter implements ExceptionFilter {
  catch(exception: SubscriptionDateOutOfRange, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(400).type('text/plain').send(exception.message);
  }
}

const SubscriptionAndDate = () =>
  applyDecorators(
    ApiQuery({ name: 'subscriptionId', required: false, type: String, format: 'uuid' }),
    ApiQuery({ name: 'requestedDate', required: false, type: String, format: 'date-time' }),
  );

/** The catalog entries a subscription is on at a date (Kill Bill's CatalogResource `…ForSubscriptionAndDate`). */
@ApiTags('Catalog')
@Controller('1.0/kb/catalog')
@UseFilters(SubscriptionDateOutOfRangeFilter)
export class CatalogSubscriptionController {
  constructor(private readonly entries: SubscriptionCatalogService) {}

  @Get('plan')
  @TenantScoped()
  @ApiOperation({ operationId: 'getPlanForSubscriptionAndDate', summary: 'Retrieve plan for a given subscription and date' })
  @SubscriptionAndDate()
  @ApiOkResponse({ type: Plan })
  async getPlanForSubscriptionAndDate(
    @Query('subscriptionId', UuidPipe) subscriptionId: string | undefined,
    @Query('requestedDate') requestedDate: string | undefined,
  ): Promise<Plan> {
    const { version, plan } = await this.entries.at(subscriptionId, requestedDate);
    return toPlanJson(version, plan);
  }

  @Get('phase')
  @TenantScoped()
  @ApiOperation({ operationId: 'getPhaseForSubscriptionAndDate', summary: 'Retrieve phase for a given subscription and date' })
  @SubscriptionAndDate()
  @ApiOkResponse({ type: Phase })
  async getPhaseForSubscriptionAndDate(
    @Query('subscriptionId', UuidPipe) subscriptionId: string | undefined,
    @Query('requestedDate') requestedDate: string | undefined,
  ): Promise<Phase> {
    return toPhaseJson((await this.entries.at(subscriptionId, requestedDate)).phase);
  }

  @Get('priceList')
  @TenantScoped()
  @ApiOperation({ operationId: 'getPriceListForSubscriptionAndDate', summary: 'Retrieve priceList for a given subscription and date' })
  @SubscriptionAndDate()
  @ApiOkResponse({ type: PriceList })
  async getPriceListForSubscriptionAndDate(
    @Query('subscriptionId', UuidPipe) subscriptionId: string | undefined,
    @Query('requestedDate') requestedDate: string | undefined,
  ): Promise<PriceList> {
    return toPriceListJson((await this.entries.at(subscriptionId, requestedDate)).priceList);
  }

  /** The product alone: Kill Bill's ProductJson of one product lists no plans. */
  @Get('product')
  @TenantScoped()
  @ApiOperation({ operationId: 'getProductForSubscriptionAndDate', summary: 'Retrieve product for a given subscription and date' })
  @SubscriptionAndDate()
  @ApiOkResponse({ type: Product })
  async getProductForSubscriptionAndDate(
    @Query('subscriptionId', UuidPipe) subscriptionId: string | undefined,
    @Query('requestedDate') requestedDate: string | undefined,
  ): Promise<Product> {
    const { version, product } = await this.entries.at(subscriptionId, requestedDate);
    return toProductJson(version, product, false);
  }
}
