import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';

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
  );
