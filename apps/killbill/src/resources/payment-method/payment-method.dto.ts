import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsOptional, ValidateNested } from 'class-validator';
import { AuditLog, BooleanProperty, TextProperty, UuidProperty } from '@kb/platform';
import { PaymentMethodRow } from '@kb/payment';

/** Kill Bill's PluginProperty JSON. */
export class PluginProperty {
  @TextProperty() key?: string;
  @ApiPropertyOptional({ type: String }) value?: unknown;
  @BooleanProperty() isUpdatable?: boolean;
}

/** Kill Bill's PaymentMethodPluginDetail JSON (the plugin's view of the method, with `withPluginInfo=true`). */
export class PaymentMethodPluginDetail {
  @TextProperty() externalPaymentMethodId?: string | null;
  @BooleanProperty() isDefaultPaymentMethod?: boolean;
  @ApiPropertyOptional({ type: () => [PluginProperty] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PluginProperty)
  properties?: PluginProperty[];
}

/** Kill Bill's PaymentMethod JSON. */
export class PaymentMethod {
  @UuidProperty() paymentMethodId?: string;
  @TextProperty({ column: [PaymentMethodRow, 'externalKey'] }) externalKey?: string | null;
  @UuidProperty() accountId?: string;
  @BooleanProperty() isDefault?: boolean;
  @TextProperty({ column: [PaymentMethodRow, 'pluginName'] }) pluginName?: string | null;
  @ApiPropertyOptional({ type: () => PaymentMethodPluginDetail })
  @IsOptional()
  @ValidateNested()
  @Type(() => PaymentMethodPluginDetail)
  pluginInfo?: PaymentMethodPluginDetail | null;
  @ApiPropertyOptional({ type: () => [AuditLog] }) auditLogs?: AuditLog[];
}
