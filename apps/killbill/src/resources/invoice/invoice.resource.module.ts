import { Module } from '@nestjs/common';
import { InvoiceModule } from '@kb/invoice';
import { ObjectMetadataModule } from '../object-metadata/object-metadata.module';

/** Kill Bill's InvoiceResource, InvoiceItemResource and CreditResource. */
@Module({ imports: [InvoiceModule, ObjectMetadataModule], controllers: [] })
export class InvoiceResourceModule {}
