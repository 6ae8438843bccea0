import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FitsColumn, TextProperty } from '@kb/platform';
import { RolePermissionRow, UserRoleRow, UserRow } from '@kb/security';
import { IsArray, IsNotEmpty, IsOptional, IsString } from 'class-validator';

export class UserRoles {
  @ApiProperty() @IsString() @IsNotEmpty() @FitsColumn(UserRow, 'username') username!: string;
  @TextProperty({ required: true }) @IsNotEmpty() password!: string | null;
  @ApiProperty({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) @FitsColumn(UserRoleRow, 'roleName', { each: true }) roles!: string[];
}

/** Body of `PUT /users/{username}/password` and `/roles`: the username comes from the path. */
export class UserRolesUpdate {
  @ApiPropertyOptional() @IsOptional() @IsString() username?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() password?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @FitsColumn(UserRoleRow, 'roleName', { each: true })
  roles?: string[];
}

export class RoleDefinition {
  @ApiProperty() @IsString() @IsNotEmpty() @FitsColumn(RolePermissionRow, 'roleName') role!: string;
  @ApiProperty({ type: [String] }) @IsArray() @IsString({ each: true }) @FitsColumn(RolePermissionRow, 'permission', { each: true }) permissions!: string[];
}

export class Session {
  @ApiPropertyOptional() id?: string;
  @ApiPropertyOptional({ format: 'date-time' }) startDate?: string;
  @ApiPropertyOptional({ format: 'date-time' }) lastAccessDate?: string;
  @ApiPropertyOptional({ type: 'integer', format: 'int64' }) timeout?: number;
  @ApiPropertyOptional() host?: string;
}

export class Subject {
  @ApiPropertyOptional() principal?: string;
  @ApiPropertyOptional() isAuthenticated?: boolean;
  @ApiPropertyOptional() isRemembered?: boolean;
  @ApiPropertyOptional({ type: () => Session, nullable: true }) session?: Session | null;
}
