import { Module } from '@nestjs/common';
import { PaymentModule } from '@kb/payment';
import { NodesInfoController } from './nodes-info.controller';
import { NodesInfoService } from './nodes-info.service';

/** Kill Bill's NodesInfoResource: the nodes sharing the database and the node commands. */
@Module({ imports: [PaymentModule], controllers: [NodesInfoController], providers: [NodesInfoService] })
export class NodesInfoResourceModule {}
