import { Module } from '@nestjs/common';
import { InvoiceModule } from '@kb/invoice';
import { ObjectMetadataModule } from '../object-metadata/object-metadata.module';
import { InvoiceWritesController } from './invoice-writes.controller';
import { InvoiceGenerationController } from './invoice-generation.controller';

/** Kill Bill's InvoiceResource, InvoiceItemResource and CreditResource. */
@Module({ imports: [InvoiceModule, ObjectMetadataModule], controllers: [InvoiceGenerationController, InvoiceWritesController] })
export class InvoiceResourceModule {}
