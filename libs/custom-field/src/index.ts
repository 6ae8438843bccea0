import { CustomFieldRow } from './custom-field.entity';
import { CustomFields1700000000410 } from './migrations/1700000000410-custom-fields';
import { CustomFieldUniqueActive1700000000521 } from './migrations/1700000000521-custom-field-unique-active';

export * from './custom-field.entity';
export * from './custom-field-events';
export * from './custom-field.service';
export * from './custom-field.module';

export const CUSTOM_FIELD_ENTITIES = [CustomFieldRow];
export const CUSTOM_FIELD_MIGRATIONS = [CustomFields1700000000410, CustomFieldUniqueActive1700000000521];
