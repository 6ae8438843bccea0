import { Injectable } from '@nestjs/common';
import { KillBillException } from '@kb/platform';
import { PaymentConfig } from '../payment-config';
import { type PaymentPluginApi, PaymentPluginTimeoutException } from './payment-plugin-api';

/** What `GET /pluginsInfo` tells of a plugin (Kill Bill's PluginInfo of its OSGI bundle). */
export interface PaymentPluginDescription {
  readonly bundleSymbolicName: string;
  readonly pluginKey: string;
  readonly version: string;
}

/** Kill Bill's PluginState of a plugin this server knows of (a built-in plugin is never merely INSTALLED). */
export type PaymentPluginState = 'RUNNING' | 'STOPPED';

export interface RegisteredPaymentPlugin {
  readonly name: string;
  readonly state: PaymentPluginState;
  /** Absent for the server's own `__EXTERNAL_PAYMENT__`, which Kill Bill does not list as a plugin either. */
  readonly description?: PaymentPluginDescription;
}

/** Kill Bill's service type name of payment plugins, as `PluginInfo.services[].serviceTypeName` shows it. */
export const PAYMENT_PLUGIN_SERVICE_TYPE = 'org.killbill.billing.payment.plugin.api.PaymentPluginApi';

/**
 * The payment plugins of this server, by name (Kill Bill's OSGIServiceRegistration of
 * PaymentPluginApi). A gateway plugin registers itself at start-up (a module's onModuleInit calling
 * `register`, see docs/payment-plugins.md). Callers get the plugin wrapped so that every call is
 * bounded by `org.killbill.payment.plugin.timeout`.
 */
@Injectable()
export class PaymentPluginRegistry {
  private readonly plugins = new Map<string, { readonly plugin: PaymentPluginApi; readonly description?: PaymentPluginDescription }>();
  /** Plugins stopped by a node command: known (listed) but not serving, as a stopped OSGI bundle is. */
  private readonly stopped = new Set<string>();

  constructor(private readonly config: PaymentConfig) {}

  /** Registers a plugin under its name; a second plugin under a taken name is a wiring mistake. */
  register(name: string, plugin: PaymentPluginApi, description?: PaymentPluginDescription): void {
    if (!name.trim()) throw new Error('A payment plugin needs a name');
    if (this.plugins.has(name)) throw new Error(`A payment plugin named ${name} is already registered`);
    this.plugins.set(name, { plugin, description });
  }

  /** Removes a plugin (a plugin module shutting down). */
  unregister(name: string): void {
    this.plugins.delete(name);
    this.stopped.delete(name);
  }

  /** A node command's STOP_PLUGIN / START_PLUGIN: false for a name that is not registered. */
  setRunning(name: string, running: boolean): boolean {
    if (!this.plugins.has(name)) return false;
    if (running) this.stopped.delete(name);
    else this.stopped.add(name);
    return true;
  }

  /** The plugins serving calls. */
  names(): string[] {
    return [...this.plugins.keys()].filter((name) => !this.stopped.has(name));
  }

  /** Every registered plugin, stopped ones included. */
  registered(): RegisteredPaymentPlugin[] {
    return [...this.plugins].map(([name, { description }]) => ({ name, state: this.stopped.has(name) ? 'STOPPED' : 'RUNNING', description }));
  }

  has(name: string): boolean {
    return this.plugins.has(name) && !this.stopped.has(name);
  }

  /** The plugin, its calls bounded by the plugin timeout; an unknown (or stopped) name is PAYMENT_NO_SUCH_PAYMENT_PLUGIN. */
  require(name: string): PaymentPluginApi {
    const entry = this.has(name) ? this.plugins.get(name) : undefined;
    if (!entry) throw new KillBillException('PAYMENT_NO_SUCH_PAYMENT_PLUGIN', [name]);
    return bounded(name, entry.plugin, this.config.pluginTimeoutMillis());
  }
}

/**
 * The plugin with each method racing the timeout. The plugin's own work is not cancelled (a promise
 * cannot be): its late answer is dropped, and the transaction it was for is left UNKNOWN for the janitor.
 */
export function bounded(name: string, plugin: PaymentPluginApi, timeoutMillis: number): PaymentPluginApi {
  return new Proxy(plugin, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => withTimeout(() => (value as (...a: unknown[]) => unknown).apply(target, args), timeoutMillis, () => new PaymentPluginTimeoutException(name, String(property), timeoutMillis));
    },
  });
}

export async function withTimeout<T>(work: () => T | Promise<T>, timeoutMillis: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMillis);
  });
  try {
    return await Promise.race([Promise.resolve().then(work), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
