import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AuditLog, FitsColumn } from '@kb/platform';
import { OBJECT_TYPES, type ObjectType, TagDefinitionRow } from '@kb/tag';
import { ArrayNotEmpty, IsArray, IsIn, IsNotEmpty, IsString } from 'class-validator';

/** Kill Bill's TagDefinition JSON; on create only name, description and applicableObjectTypes are read. */
export class TagDefinition {
  @ApiPropertyOptional({ format: 'uuid' })
  id?: string;

  @ApiPropertyOptional()
  isControlTag?: boolean;

  @ApiProperty()
  @IsString({ message: 'TagDefinition name needs to be set' })
  @IsNotEmpty({ message: 'TagDefinition name needs to be set' })
  @FitsColumn(TagDefinitionRow, 'name', { label: 'TagDefinition name' })
  name!: string;

  @ApiProperty()
  @IsString({ message: 'TagDefinition description needs to be set' })
  @IsNotEmpty({ message: 'TagDefinition description needs to be set' })
  @FitsColumn(TagDefinitionRow, 'description', { label: 'TagDefinition description' })
  description!: string;

  @ApiPropertyOptional({ enum: OBJECT_TYPES, isArray: true, uniqueItems: true })
  @IsArray({ message: 'Applicable object types must be set' })
  @ArrayNotEmpty({ message: 'Applicable object types must be set' })
  @IsIn(OBJECT_TYPES, { each: true, message: 'applicableObjectTypes must be Kill Bill object types' })
  applicableObjectTypes!: ObjectType[];

  @ApiPropertyOptional({ type: () => [AuditLog] })
  auditLogs?: AuditLog[];
}
