import { type DynamicModule, Module } from '@nestjs/common';
import { PaymentModule } from '@kb/payment';
import { PluginInfoController, TestPaymentPluginController } from './plugin-info.controller';

/** Kill Bill's PluginInfoResource, and on a test-mode server the test payment plugin's routes. */
@Module({})
export class PluginInfoResourceModule {
  static register(testMode: boolean): DynamicModule {
    return { module: PluginInfoResourceModule, imports: [PaymentModule], controllers: [PluginInfoController, ...(testMode ? [TestPaymentPluginController] : [])] };
  }
}
