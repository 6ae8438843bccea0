import { ApiProperty } from '@nestjs/swagger';
import { PAYMENT_PLUGIN_SERVICE_TYPE, type PaymentPluginRegistry } from '@kb/payment';

export class PluginServiceInfo {
  @ApiProperty() serviceTypeName!: string;
  @ApiProperty() registrationName!: string;
}

/** Kill Bill's PluginInfo JSON. */
export class PluginInfo {
  @ApiProperty() bundleSymbolicName!: string;
  @ApiProperty() pluginKey!: string;
  @ApiProperty() pluginName!: string;
  @ApiProperty() version!: string;
  @ApiProperty() state!: string;
  @ApiProperty() isSelectedForStart!: boolean;
  @ApiProperty({ type: () => [PluginServiceInfo] }) services!: PluginServiceInfo[];
}

/** The plugins registered on this node as Kill Bill lists them (the built-in __EXTERNAL_PAYMENT__ is no plugin there). */
export function pluginsInfoOf(plugins: PaymentPluginRegistry): PluginInfo[] {
  return plugins.registered().flatMap(({ name, state, description }) =>
    description
      ? [
          {
            bundleSymbolicName: description.bundleSymbolicName,
            pluginKey: description.pluginKey,
            pluginName: name,
            version: description.version,
            state,
            isSelectedForStart: true,
            // A stopped bundle has withdrawn its services.
            services: state === 'RUNNING' ? [{ serviceTypeName: PAYMENT_PLUGIN_SERVICE_TYPE, registrationName: name }] : [],
          },
        ]
      : [],
  );
}
