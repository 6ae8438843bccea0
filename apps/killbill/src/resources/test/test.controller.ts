import { Controller, Get, HttpCode, HttpException, Post, Put, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type ClockView, currentTenant, OptionalIntPipe, TenantScoped, TestClockService } from '@kb/platform';

const DEFAULT_TIMEOUT_SEC = 5;

/** Kill Bill's TestResource: only mounted in test mode, hidden from the contract as in Kill Bill. */
@ApiExcludeController()
@Controller('1.0/kb/test')
export class TestController {
  constructor(private readonly testClock: TestClockService) {}

  @Get('clock')
  @TenantScoped()
  getCurrentTime(@Query('timeZone') timeZone?: string): ClockView {
    return this.testClock.view(timeZone);
  }

  @Post('clock')
  @TenantScoped()
  @HttpCode(200)
  async setClockTime(
    @Query('requestedDate') requestedDate: string | undefined,
    @Query('timeZone') timeZone: string | undefined,
    @Query('timeoutSec', OptionalIntPipe) timeoutSec: number | undefined,
  ): Promise<ClockView> {
    this.testClock.view(timeZone);
    await this.testClock.set(requestedDate);
    await this.testClock.waitForQueues(currentTenant().recordId, timeoutSec ?? DEFAULT_TIMEOUT_SEC);
    return this.testClock.view(timeZone);
  }

  @Put('clock')
  @TenantScoped()
  async updateTestClockTime(
    @Query('days', OptionalIntPipe) days: number | undefined,
    @Query('weeks', OptionalIntPipe) weeks: number | undefined,
    @Query('months', OptionalIntPipe) months: number | undefined,
    @Query('years', OptionalIntPipe) years: number | undefined,
    @Query('timeZone') timeZone: string | undefined,
    @Query('timeoutSec', OptionalIntPipe) timeoutSec: number | undefined,
  ): Promise<ClockView> {
    this.testClock.view(timeZone);
    await this.testClock.move({ days, weeks, months, years });
    await this.testClock.waitForQueues(currentTenant().recordId, timeoutSec ?? DEFAULT_TIMEOUT_SEC);
    return this.testClock.view(timeZone);
  }

  @Get('queues')
  @TenantScoped()
  async waitForQueues(@Query('timeoutSec', OptionalIntPipe) timeoutSec: number | undefined): Promise<void> {
    const drained = await this.testClock.waitForQueues(currentTenant().recordId, timeoutSec ?? DEFAULT_TIMEOUT_SEC);
    if (!drained) throw new HttpException('Queues not drained', 412);
  }
}
