import { Query } from '@nestjs/common';
import { type PipeTransform } from '@nestjs/common';
import { parsePluginProperties, type PluginProperty } from '@kb/payment';

/** The repeated `pluginProperty=key=value` query parameter as Kill Bill reads it. */
class PluginPropertiesPipe implements PipeTransform<string[] | string | undefined, PluginProperty[]> {
  transform(value: string[] | string | undefined): PluginProperty[] {
    return parsePluginProperties(value);
  }
}

export const PluginProperties = (): ParameterDecorator => Query('pluginProperty', new PluginPropertiesPipe());
