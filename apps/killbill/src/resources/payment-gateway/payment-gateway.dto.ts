import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AuditLog } from '@kb/platform';
import type { HostedPaymentPageFormDescriptor as FormDescriptor, PluginProperty } from '@kb/payment';
import { PluginProperty as PluginPropertyJson } from '../payment-method/payment-method.dto';

export class HostedPaymentPageFields {
  @ApiPropertyOptional({ type: () => [PluginPropertyJson] }) formFields?: PluginPropertyJson[];
}

export class HostedPaymentPageFormDescriptor {
  @ApiProperty({ format: 'uuid' }) kbAccountId!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) formMethod!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) formUrl!: string | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'object' } }) formFields!: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'object' } }) properties!: Record<string, unknown>;
  @ApiPropertyOptional({ type: () => [AuditLog] }) auditLogs!: AuditLog[];
}

const asMap = (properties: readonly PluginProperty[]): Record<string, unknown> => Object.fromEntries(properties.map((property) => [property.key, property.value]));

export function toFormDescriptorJson(descriptor: FormDescriptor): HostedPaymentPageFormDescriptor {
  return { kbAccountId: descriptor.kbAccountId, formMethod: descriptor.formMethod, formUrl: descriptor.formUrl, formFields: asMap(descriptor.formFields), properties: asMap(descriptor.properties), auditLogs: [] };
}
