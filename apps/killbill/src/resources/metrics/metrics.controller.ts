import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Metrics, Public } from '@kb/platform';
import type { Response } from 'express';

/**
 * Prometheus text at /metrics. Outside the contract: Kill Bill's own /1.0/metrics is Dropwizard JSON;
 * this is what a Prometheus scraper expects. Public like the healthcheck (keep it off the public network).
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Public()
  async scrape(@Res() response: Response): Promise<void> {
    response.type(this.metrics.contentType).send(await this.metrics.text());
  }
}
