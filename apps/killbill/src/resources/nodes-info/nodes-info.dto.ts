import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsOptional, ValidateNested } from 'class-validator';
import { BooleanProperty, TextProperty } from '@kb/platform';
import { PluginInfo } from '../plugin-info/plugins-info';

/** Kill Bill's NodeInfo JSON. */
export class NodeInfo {
  @ApiProperty() nodeName!: string;
  @ApiProperty({ type: String, format: 'date-time' }) bootTime!: string;
  @ApiProperty({ type: String, format: 'date-time' }) lastUpdatedDate!: string;
  @ApiProperty() kbVersion!: string;
  @ApiProperty() apiVersion!: string;
  @ApiProperty() pluginApiVersion!: string;
  @ApiProperty() commonVersion!: string;
  @ApiProperty() platformVersion!: string;
  @ApiProperty({ type: () => [PluginInfo] }) pluginsInfo!: PluginInfo[];
}

/** Kill Bill's NodeCommandProperty JSON. */
export class NodeCommandProperty {
  @TextProperty({ required: true }) key!: string;
  // Kill Bill types it as any object; the plugin commands read strings (as PluginProperty.value is documented).
  @ApiPropertyOptional({ type: String }) value?: unknown;
}

/** Kill Bill's NodeCommand JSON. */
export class NodeCommand {
  @BooleanProperty() isSystemCommandType?: boolean;
  @TextProperty({ required: true }) nodeCommandType!: string;
  @ApiPropertyOptional({ type: () => [NodeCommandProperty] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => NodeCommandProperty)
  nodeCommandProperties?: NodeCommandProperty[];
}
