import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsOptional, ValidateNested } from 'class-validator';
import { AuditLog, InvalidRequestException } from '@kb/platform';
import type { ComboOrder, ComboTransaction, PluginProperty as PluginPropertyValue } from '@kb/payment';
import type { Currency } from '@kb/kernel';
import { Account } from '../account/dto/account.dto';
import { toAccountInput } from '../account/account.mapper';
import { PaymentMethod, PluginProperty } from '../payment-method/payment-method.dto';
import { toNewPaymentMethod } from '../payment-method/payment-method.mapper';
import { PaymentTransaction } from '../payment/dto/payment.dto';
import { HostedPaymentPageFields } from '../payment-gateway/payment-gateway.dto';

const PropertyList = (): PropertyDecorator => (target, key) => {
  ApiPropertyOptional({ type: () => [PluginProperty] })(target, key);
  IsOptional()(target, key);
  IsArray()(target, key);
  ValidateNested({ each: true })(target, key);
  Type(() => PluginProperty)(target, key);
};

const Nested = (lazyType: () => new () => object): PropertyDecorator => (target, key) => {
  // Written inline so swagger sees a lazy type (it recognises one by the function's name, `type`).
  ApiPropertyOptional({ type: () => lazyType() })(target, key);
  IsOptional()(target, key);
  ValidateNested()(target, key);
  Type(lazyType)(target, key);
};

/** The account, method and properties both combo bodies share. */
abstract class ComboBody {
  @Nested(() => Account) account?: Account | null;
  @Nested(() => PaymentMethod) paymentMethod?: PaymentMethod | null;
  @PropertyList() paymentMethodPluginProperties?: PluginProperty[] | null;
  @ApiPropertyOptional({ type: () => [AuditLog] }) auditLogs?: AuditLog[];
}

/** Kill Bill's ComboPaymentTransaction JSON (POST /payments/combo). */
export class ComboPaymentTransaction extends ComboBody {
  @Nested(() => PaymentTransaction) transaction?: PaymentTransaction | null;
  @PropertyList() transactionPluginProperties?: PluginProperty[] | null;
}

/** Kill Bill's ComboHostedPaymentPage JSON (POST /paymentGateways/hosted/form). */
export class ComboHostedPaymentPage extends ComboBody {
  @Nested(() => HostedPaymentPageFields) hostedPaymentPageFields?: HostedPaymentPageFields | null;
}

/** Body properties ({key, value}) as plugin properties. */
export function propertiesOf(list: readonly PluginProperty[] | null | undefined): PluginPropertyValue[] {
  return (list ?? []).map((property) => ({ key: property.key ?? '', value: property.value ?? null }));
}

/** The account and payment method parts of a combo body. */
export function comboOrder(body: ComboBody): ComboOrder {
  const account = body.account ?? {};
  const method = body.paymentMethod ?? null;
  return {
    account: { accountId: account.accountId ?? null, externalKey: account.externalKey ?? null, fields: toAccountInput(account) },
    paymentMethod: method === null ? null : { ...toNewPaymentMethod(method), paymentMethodId: method.paymentMethodId ?? null },
    paymentMethodProperties: propertiesOf(body.paymentMethodPluginProperties),
  };
}

/** Kill Bill's verifyNonNullOrEmpty on a combo body. */
export function requiredBody<T>(body: T | undefined | null, name: string): T {
  if (body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0)) throw new InvalidRequestException(`${name} body should be specified`);
  return body;
}

/** The combo's transaction part, with the transaction plugin properties and the query's control plugins. */
export function comboTransaction(body: ComboPaymentTransaction, controlPluginNames: readonly string[]): ComboTransaction {
  const transaction = body.transaction ?? {};
  return {
    transactionType: transaction.transactionType ?? null,
    amount: transaction.amount ?? null,
    // Checked against Kill Bill's currencies by the DTO's CurrencyProperty.
    currency: (transaction.currency ?? null) as Currency | null,
    paymentExternalKey: transaction.paymentExternalKey ?? null,
    transactionExternalKey: transaction.transactionExternalKey ?? null,
    properties: propertiesOf(body.transactionPluginProperties),
    controlPluginNames,
  };
}
