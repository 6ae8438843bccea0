import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { AuditQuery, RepeatedQueryDoc } from '@kb/platform';

/** The read options every payment GET of the contract documents: withPluginInfo, withAttempts, pluginProperty, audit. */
export const PaymentReadQueries = (options: { pluginProperty?: boolean } = {}): MethodDecorator =>
  applyDecorators(
    ApiQuery({ name: 'withPluginInfo', required: false, schema: { type: 'boolean', default: false } }),
    ApiQuery({ name: 'withAttempts', required: false, schema: { type: 'boolean', default: false } }),
    ...(options.pluginProperty === false ? [] : [RepeatedQueryDoc('pluginProperty', { type: 'string' })]),
    AuditQuery(),
  );
