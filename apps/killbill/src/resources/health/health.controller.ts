import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@kb/platform';
import type { Response } from 'express';
import { HealthService } from './health.service';

/** Outside /1.0/kb and outside the contract, as Kill Bill's metrics healthcheck servlet. */
@ApiExcludeController()
@Controller('1.0/healthcheck')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public()
  async healthcheck(@Res() response: Response): Promise<void> {
    const { healthy, checks } = await this.health.check();
    response.status(healthy ? 200 : 500).json(checks);
  }
}
