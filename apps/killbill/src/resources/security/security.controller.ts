import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditedCall, Created, currentContext, NoTenant } from '@kb/platform';
import { SecurityService } from '@kb/security';
import { RoleDefinition, Subject, UserRoles, UserRolesUpdate } from './security.dto';
import { toPermissionsJson, toRoleDefinitionJson, toSubjectJson, toUserRolesJson } from './security.mapper';

@ApiTags('Security')
@Controller('1.0/kb/security')
export class SecurityController {
  constructor(private readonly security: SecurityService) {}

  @Get('permissions')
  @NoTenant()
  @ApiOperation({ operationId: 'getCurrentUserPermissions', summary: 'List user permissions' })
  @ApiOkResponse({ type: [String] })
  getCurrentUserPermissions(): string[] {
    return toPermissionsJson(currentContext().principal);
  }

  @Get('subject')
  @NoTenant()
  @ApiOperation({ operationId: 'getCurrentUserSubject', summary: 'Get user information' })
  @ApiOkResponse({ type: Subject })
  getCurrentUserSubject(): Subject {
    return toSubjectJson(currentContext().principal);
  }

  @Post('users')
  @NoTenant('user:create')
  @AuditedCall()
  @Created('/1.0/kb/security/users/{username}/roles', UserRoles)
  @ApiOperation({ operationId: 'addUserRoles', summary: 'Add a new user with roles (to make api requests)' })
  async addUserRoles(@Body() body: UserRoles): Promise<{ username: string }> {
    await this.security.addUser(body.username, body.password ?? '', body.roles ?? []);
    return { username: body.username };
  }

  @Put('users/:username/password')
  @NoTenant('user:create')
  @AuditedCall()
  @HttpCode(204)
  @ApiOperation({ operationId: 'updateUserPassword', summary: 'Update a user password' })
  @ApiBody({ type: UserRoles })
  async updateUserPassword(@Param('username') username: string, @Body() body: UserRolesUpdate): Promise<void> {
    await this.security.updatePassword(username, body.password);
  }

  @Get('users/:username/roles')
  @NoTenant()
  @ApiOperation({ operationId: 'getUserRoles', summary: 'Get roles associated to a user' })
  @ApiOkResponse({ type: UserRoles })
  async getUserRoles(@Param('username') username: string): Promise<UserRoles> {
    return toUserRolesJson(username, await this.security.getUserRoles(username));
  }

  @Put('users/:username/roles')
  @NoTenant('user:create')
  @AuditedCall()
  @HttpCode(204)
  @ApiOperation({ operationId: 'updateUserRoles', summary: 'Update roles associated to a user' })
  @ApiBody({ type: UserRoles })
  async updateUserRoles(@Param('username') username: string, @Body() body: UserRolesUpdate): Promise<void> {
    await this.security.updateUserRoles(username, body.roles);
  }

  @Delete('users/:username')
  @NoTenant('user:create')
  @AuditedCall()
  @HttpCode(204)
  @ApiOperation({ operationId: 'invalidateUser', summary: 'Invalidate an existing user' })
  async invalidateUser(@Param('username') username: string): Promise<void> {
    await this.security.invalidateUser(username);
  }

  @Post('roles')
  @NoTenant('user:create')
  @AuditedCall()
  @Created('/1.0/kb/security/roles/{role}', RoleDefinition)
  @ApiOperation({ operationId: 'addRoleDefinition', summary: 'Add a new role definition)' })
  async addRoleDefinition(@Body() body: RoleDefinition): Promise<{ role: string }> {
    await this.security.addRole(body.role, body.permissions);
    return { role: body.role };
  }

  @Put('roles')
  @NoTenant('user:create')
  @AuditedCall()
  @HttpCode(204)
  @ApiOperation({ operationId: 'updateRoleDefinition', summary: 'Update a new role definition)' })
  async updateRoleDefinition(@Body() body: RoleDefinition): Promise<void> {
    await this.security.updateRole(body.role, body.permissions);
  }

  @Get('roles/:role')
  @NoTenant()
  @ApiOperation({ operationId: 'getRoleDefinition', summary: 'Get role definition' })
  @ApiOkResponse({ type: RoleDefinition })
  async getRoleDefinition(@Param('role') role: string): Promise<RoleDefinition> {
    return toRoleDefinitionJson(role, await this.security.getRolePermissions(role));
  }
}
