import { type PipeTransform, Query } from '@nestjs/common';

/** The repeated `controlPluginName` query parameter, as a list (empty when absent). */
class ControlPluginNamesPipe implements PipeTransform<string[] | string | undefined, string[]> {
  transform(value: string[] | string | undefined): string[] {
    const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
    return list.filter((name) => name.trim() !== '');
  }
}

export const ControlPluginNames = (): ParameterDecorator => Query('controlPluginName', new ControlPluginNamesPipe());
