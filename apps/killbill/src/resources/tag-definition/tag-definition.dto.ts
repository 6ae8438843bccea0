import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AuditLog } from '@kb/platform';
import { OBJECT_TYPES, type ObjectType } from '@kb/tag';
import { ArrayNotEmpty, IsArray, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** Kill Bill's TagDefinition JSON; on create only name, description and applicableObjectTypes are read. */
export class TagDefinition {
  @ApiPropertyOptional({ format: 'uuid' })
  id?: string;

  @ApiPropertyOptional()
  isControlTag?: boolean;

  @ApiProperty()
  @IsString({ message: 'TagDefinition name needs to be set' })
  @IsNotEmpty({ message: 'TagDefinition name needs to be set' })
  @MaxLength(20, { message: 'TagDefinition name is longer than 20 characters' })
  name!: string;

  @ApiProperty()
  @IsString({ message: 'TagDefinition description needs to be set' })
  @IsNotEmpty({ message: 'TagDefinition description needs to be set' })
  @MaxLength(200, { message: 'TagDefinition description is longer than 200 characters' })
  description!: string;

  @ApiPropertyOptional({ enum: OBJECT_TYPES, isArray: true, uniqueItems: true })
  @IsArray({ message: 'Applicable object types must be set' })
  @ArrayNotEmpty({ message: 'Applicable object types must be set' })
  @IsIn(OBJECT_TYPES, { each: true, message: 'applicableObjectTypes must be Kill Bill object types' })
  applicableObjectTypes!: ObjectType[];

  @ApiPropertyOptional({ type: () => [AuditLog] })
  auditLogs?: AuditLog[];
}
