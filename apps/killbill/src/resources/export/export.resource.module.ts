import { Module } from '@nestjs/common';
import { AccountModule } from '@kb/account';
import { AccountExportService } from './account-export.service';
import { ExportController } from './export.controller';

/** Kill Bill's ExportResource: an account's rows, every table of the schema. */
@Module({ imports: [AccountModule], controllers: [ExportController], providers: [AccountExportService] })
export class ExportResourceModule {}
