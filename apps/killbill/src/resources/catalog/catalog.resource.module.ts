import { Module } from '@nestjs/common';
import { CatalogModule } from '@kb/catalog';
import { CatalogController } from './catalog.controller';

@Module({ imports: [CatalogModule], controllers: [CatalogController] })
export class CatalogResourceModule {}
