import Mustache from 'mustache';
import { DEFAULT_INVOICE_TEMPLATE } from './default-template';

/** The built-in template is parsed once; a tenant's is parsed per render, so replaced uploads pile up in no cache. */
const builtIn = new Mustache.Writer();

/** Renders an invoice template (Kill Bill's Mustache dialect: `{{x}}` escaped, `{{{x}}}` raw) with the model of invoiceHtmlModel. */
export function renderInvoiceHtml(template: string | undefined, model: Record<string, unknown>): string {
  return template === undefined ? builtIn.render(DEFAULT_INVOICE_TEMPLATE, model) : new Mustache.Writer().render(template, model);
}
