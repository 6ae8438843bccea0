import { Module } from '@nestjs/common';
import { USER_AUTHENTICATOR } from '@kb/platform';
import { AuthenticationCache } from './authentication-cache';
import { SecurityService } from './security.service';
import { UserAuthenticatorService } from './user-authenticator';

@Module({
  providers: [AuthenticationCache, SecurityService, UserAuthenticatorService, { provide: USER_AUTHENTICATOR, useExisting: UserAuthenticatorService }],
  exports: [SecurityService, USER_AUTHENTICATOR],
})
export class SecurityModule {}
