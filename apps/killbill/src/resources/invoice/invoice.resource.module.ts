import { Module } from '@nestjs/common';
import { InvoiceModule } from '@kb/invoice';
import { ObjectMetadataModule } from '../object-metadata/object-metadata.module';
import { InvoiceWritesController } from './invoice-writes.controller';

/** Kill Bill's InvoiceResource, InvoiceItemResource and CreditResource. */
@Module({ imports: [InvoiceModule, ObjectMetadataModule], controllers: [InvoiceWritesController] })
export class InvoiceResourceModule {}
