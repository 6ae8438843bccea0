import { Injectable } from '@nestjs/common';
import { InvalidRequestException } from '@kb/platform';
import { TenantKey } from './tenant-keys';
import { TenantKvService } from './tenant-kv.service';
import { parseStringPromise } from 'xml2js';

/**
 * The typed tenant keys of the Tenant resource: validates each value for its key before storing it
 * (a bad value would only fail later, when the key is read).
 */
@Injectable()
export class TenantConfigService {
  constructor(private readonly kv: TenantKvService) {}

  async registerCallback(url: string | undefined): Promise<void> {
    if (!url || !isHttpUrl(url)) throw new InvalidRequestException(`Invalid notification callback url: ${url ?? '(missing cb)'}`);
    await this.kv.add(TenantKey.PUSH_NOTIFICATION_CB, url);
  }

  async uploadPerTenantConfig(body: unknown): Promise<void> {
    const text = requireText(body, 'per tenant configuration');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new InvalidRequestException('The per tenant configuration must be a JSON object of Kill Bill properties');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new InvalidRequestException('The per tenant configuration must be a JSON object of Kill Bill properties');
    await this.kv.add(TenantKey.PER_TENANT_CONFIG, text);
  }

  async uploadPluginConfig(pluginName: string, body: unknown): Promise<void> {
    await this.kv.add(TenantKey.PLUGIN_CONFIG_ + pluginName, requireText(body, 'plugin configuration'));
  }

  async uploadPaymentStateMachine(pluginName: string, body: unknown): Promise<void> {
    const xml = requireText(body, 'payment state machine configuration');
    try {
      await parseStringPromise(xml);
    } catch (error) {
      throw new InvalidRequestException(`Invalid payment state machine XML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    await this.kv.add(TenantKey.PLUGIN_PAYMENT_STATE_MACHINE_ + pluginName, xml);
  }

  async insertUserKeyValue(key: string, body: unknown): Promise<void> {
    await this.kv.add(key, requireText(body, 'value'));
  }
}

function requireText(body: unknown, what: string): string {
  if (typeof body !== 'string' || body.length === 0) throw new InvalidRequestException(`The ${what} must be sent as a non-empty text/plain body`);
  return body;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
