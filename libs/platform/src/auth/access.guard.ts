import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { currentContext } from '../context/request-context';
import { AuthenticationRequiredError, PermissionDeniedError, TenantAuthenticationError } from '../errors/auth-errors';
import { ErrorCode, formatErrorMessage } from '@kb/kernel';
import { ACCESS_METADATA, type AccessRule } from './auth.decorators';
import { TENANT_RESOLVER, type TenantResolver, USER_AUTHENTICATOR, type UserAuthenticator } from './auth-ports';
import { hasPermission } from './permissions';

/**
 * Deny by default: a route without an access rule is refused. Otherwise checks basic auth, then the
 * tenant headers where the route is tenant-scoped, then the permission; records the principal and
 * tenant in the request context.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(USER_AUTHENTICATOR) private readonly users: UserAuthenticator,
    @Inject(TENANT_RESOLVER) private readonly tenants: TenantResolver,
  ) {}

  async canActivate(execution: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [execution.getHandler(), execution.getClass()]);
    if (!rule) throw new Error(`Route ${execution.getClass().name}.${execution.getHandler().name} declares no access rule`);
    if (rule.mode === 'public') return true;

    const request = execution.switchToHttp().getRequest<Request>();
    const context = currentContext();
    const credentials = basicCredentials(request.headers.authorization);
    const principal = credentials && (await this.users.authenticate(credentials.username, credentials.password));
    if (!principal) throw new AuthenticationRequiredError('Authentication required');
    context.principal = principal;

    if (rule.mode === 'tenant') {
      const apiKey = request.header('X-Killbill-ApiKey');
      const apiSecret = request.header('X-Killbill-ApiSecret');
      if (!apiKey || !apiSecret) throw new TenantAuthenticationError('Missing tenant api key and secret (X-Killbill-ApiKey, X-Killbill-ApiSecret)');
      const tenant = await this.tenants.resolve(apiKey, apiSecret);
      if (!tenant) throw new TenantAuthenticationError(`Unable to authenticate the tenant of api key ${apiKey}`);
      context.tenant = tenant;
    }

    if (rule.permission && !hasPermission(principal.permissions, rule.permission)) {
      throw new PermissionDeniedError(`${formatErrorMessage(ErrorCode.SECURITY_NOT_ENOUGH_PERMISSIONS, [])}: ${rule.permission}`);
    }
    return true;
  }
}

function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  const match = header && /^Basic\s+(\S+)$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
