import type { NewPaymentMethod, PaymentMethodPlugin, PaymentMethodView } from '@kb/payment';
import type { PaymentMethod, PaymentMethodPluginDetail, PluginProperty } from './payment-method.dto';

export function toPaymentMethodJson(view: PaymentMethodView): PaymentMethod {
  const row = view.paymentMethod;
  return {
    paymentMethodId: row.id,
    externalKey: row.externalKey,
    accountId: row.accountId,
    isDefault: view.isDefault,
    pluginName: row.pluginName,
    pluginInfo: view.pluginDetail ? toPluginDetailJson(view.pluginDetail) : null,
    auditLogs: view.auditLogs,
  };
}

function toPluginDetailJson(detail: PaymentMethodPlugin): PaymentMethodPluginDetail {
  return {
    externalPaymentMethodId: detail.externalPaymentMethodId,
    isDefaultPaymentMethod: detail.isDefaultPaymentMethod,
    properties: detail.properties.map((property) => ({ key: property.key, value: property.value, isUpdatable: property.isUpdatable ?? false })),
  };
}

export function toNewPaymentMethod(body: PaymentMethod): NewPaymentMethod {
  const info = body.pluginInfo;
  return {
    pluginName: body.pluginName ?? null,
    externalKey: body.externalKey ?? null,
    pluginInfo: info
      ? {
          kbPaymentMethodId: null,
          externalPaymentMethodId: info.externalPaymentMethodId ?? null,
          isDefaultPaymentMethod: info.isDefaultPaymentMethod ?? false,
          properties: (info.properties ?? []).map((property: PluginProperty) => ({ key: property.key ?? '', value: property.value ?? null, isUpdatable: property.isUpdatable ?? false })),
        }
      : null,
  };
}
