import { Module } from '@nestjs/common';
import { SecurityModule } from '@kb/security';
import { SecurityController } from './security.controller';

@Module({ imports: [SecurityModule], controllers: [SecurityController] })
export class SecurityResourceModule {}
