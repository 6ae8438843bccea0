import { Module } from '@nestjs/common';
import { InvoiceModule } from '@kb/invoice';
import { ObjectMetadataModule } from '../object-metadata/object-metadata.module';
import { InvoiceWritesController } from './invoice-writes.controller';
import { InvoiceGenerationController } from './invoice-generation.controller';
import { InvoiceDryRunController } from './invoice-dry-run.controller';

/** Kill Bill's InvoiceResource, InvoiceItemResource and CreditResource. */
@Module({ imports: [InvoiceModule, ObjectMetadataModule], controllers: [InvoiceDryRunController, InvoiceGenerationController, InvoiceWritesController] })
export class InvoiceResourceModule {}
