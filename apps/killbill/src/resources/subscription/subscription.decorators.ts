import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { RepeatedQueryDoc } from '@kb/platform';

/** The query parameters the three create endpoints share. */
export const CreateQueries = (): MethodDecorator =>
  applyDecorators(
    ApiQuery({ name: 'entitlementDate', required: false, type: String }),
    ApiQuery({ name: 'billingDate', required: false, type: String }),
    ApiQuery({ name: 'renameKeyIfExistsAndUnused', required: false, type: Boolean }),
    ApiQuery({ name: 'migrated', required: false, type: Boolean }),
    ApiQuery({ name: 'skipResponse', required: false, type: Boolean }),
    ApiQuery({ name: 'callCompletion', required: false, type: Boolean }),
    ApiQuery({ name: 'callTimeoutSec', required: false, type: Number }),
    // Kill Bill hands them to entitlement plugins; none is installed here, so they carry no meaning yet.
    RepeatedQueryDoc('pluginProperty', { type: 'string' }),
  );

const BILLING_POLICIES = ['START_OF_TERM', 'END_OF_TERM', 'IMMEDIATE', 'ILLEGAL'];

/** The query parameters of a plan change (requestedDate and billingPolicy exclude each other). */
export const ChangeQueries = (): MethodDecorator =>
  applyDecorators(
    ApiQuery({ name: 'requestedDate', required: false, type: String, format: 'date' }),
    ApiQuery({ name: 'callCompletion', required: false, type: Boolean }),
    ApiQuery({ name: 'callTimeoutSec', required: false, type: Number, format: 'int64' }),
    ApiQuery({ name: 'billingPolicy', required: false, enum: BILLING_POLICIES }),
  );

/** The query parameters of a cancellation. */
export const CancelQueries = (): MethodDecorator =>
  applyDecorators(
    ApiQuery({ name: 'requestedDate', required: false, type: String, format: 'date' }),
    ApiQuery({ name: 'callCompletion', required: false, type: Boolean }),
    ApiQuery({ name: 'callTimeoutSec', required: false, type: Number, format: 'int64' }),
    ApiQuery({ name: 'entitlementPolicy', required: false, enum: ['IMMEDIATE', 'END_OF_TERM'] }),
    ApiQuery({ name: 'billingPolicy', required: false, enum: BILLING_POLICIES }),
    ApiQuery({ name: 'useRequestedDateForBilling', required: false, type: Boolean }),
  );
