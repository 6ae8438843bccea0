/**
 * The invoice template used when the tenant uploaded none: the data of Kill Bill's default
 * (HtmlInvoiceTemplate.mustache: company, invoice number and date, bill-to, items by service period,
 * totals), laid out for reading and printing. It reads only what Kill Bill's model has, so a tenant
 * can start from it; `invoiceBillTo` and `invoiceCurrency` are texts of the built-in bundle.
 */
export const DEFAULT_INVOICE_TEMPLATE = `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{text.invoiceTitle}} {{text.invoiceNumber}}{{invoice.invoiceNumber}}</title>
<style>
  body { margin: 0; padding: 32px 16px; background: #f3f4f6; color: #1f2937; font: 15px/1.5 "Helvetica Neue", Helvetica, Arial, sans-serif; }
  .invoice { max-width: 820px; margin: 0 auto; padding: 48px; background: #fff; border: 1px solid #e5e7eb; border-radius: 6px; }
  header { display: flex; justify-content: space-between; align-items: flex-start; gap: 24px; padding-bottom: 24px; border-bottom: 3px solid #1f2937; }
  .company-name { margin: 0 0 4px; font-size: 22px; font-weight: 700; }
  .muted { color: #6b7280; }
  .title { margin: 0; font-size: 34px; font-weight: 300; letter-spacing: 2px; text-transform: uppercase; text-align: right; }
  .facts { margin: 8px 0 0; border-collapse: collapse; margin-left: auto; }
  .facts th { padding: 2px 12px 2px 0; font-weight: 400; color: #6b7280; text-align: right; }
  .facts td { padding: 2px 0; font-weight: 600; text-align: right; }
  .bill-to { margin: 28px 0; }
  .label { margin: 0 0 4px; font-size: 12px; font-weight: 700; letter-spacing: 1px; text-transform: uppercase; color: #6b7280; }
  table.items { width: 100%; border-collapse: collapse; }
  table.items th { padding: 10px 12px; background: #f3f4f6; border-bottom: 2px solid #d1d5db; font-size: 12px; letter-spacing: 1px; text-transform: uppercase; text-align: left; }
  table.items td { padding: 12px; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
  table.items .period { width: 32%; white-space: nowrap; }
  table.items .amount { width: 18%; text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
  .detail { font-size: 13px; }
  table.totals { margin: 20px 0 0 auto; min-width: 320px; border-collapse: collapse; }
  table.totals th { padding: 6px 12px; font-weight: 400; text-align: left; }
  table.totals td { padding: 6px 12px; text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
  table.totals tr.balance th, table.totals tr.balance td { border-top: 2px solid #1f2937; font-size: 18px; font-weight: 700; }
  footer { margin-top: 40px; padding-top: 16px; border-top: 1px solid #e5e7eb; font-size: 13px; }
  @media print { body { padding: 0; background: #fff; } .invoice { border: 0; padding: 0; } }
  @media (max-width: 600px) { .invoice { padding: 24px; } header { flex-direction: column; } .title, .facts { text-align: left; margin-left: 0; } }
</style>
</head>
<body>
<main class="invoice">
  <header>
    <div>
      <p class="company-name">{{text.companyName}}</p>
      <div class="muted">
        {{text.companyAddress}}<br>
        {{text.companyCityProvincePostalCode}}<br>
        {{text.companyCountry}}
      </div>
    </div>
    <div>
      <h1 class="title">{{text.invoiceTitle}}</h1>
      <table class="facts">
        <tr><th>{{text.invoiceNumber}}</th><td>{{invoice.invoiceNumber}}</td></tr>
        <tr><th>{{text.invoiceDate}}</th><td>{{invoice.formattedInvoiceDate}}</td></tr>
      </table>
    </div>
  </header>

  <section class="bill-to">
    <p class="label">{{#text.properties}}invoiceBillTo{{/text.properties}}</p>
    {{#account.name}}<strong>{{account.name}}</strong><br>{{/account.name}}
    {{#account.companyName}}{{account.companyName}}<br>{{/account.companyName}}
    {{#account.address1}}{{account.address1}}<br>{{/account.address1}}
    {{#account.address2}}{{account.address2}}<br>{{/account.address2}}
    {{#account.city}}{{account.city}}{{#account.stateOrProvince}}, {{account.stateOrProvince}}{{/account.stateOrProvince}} {{account.postalCode}}<br>{{/account.city}}
    {{#account.country}}{{account.country}}<br>{{/account.country}}
    {{#account.email}}<span class="muted">{{account.email}}</span>{{/account.email}}
  </section>

  <table class="items">
    <thead>
      <tr>
        <th class="period">{{text.invoiceItemServicePeriod}}</th>
        <th>{{text.invoiceItemDescription}}</th>
        <th class="amount">{{text.invoiceItemAmount}}</th>
      </tr>
    </thead>
    <tbody>
      {{#invoice.invoiceItems}}
      <tr>
        <td class="period">{{formattedStartDate}}{{#formattedEndDate}} – {{formattedEndDate}}{{/formattedEndDate}}</td>
        <td>
          {{#prettyPlanName}}<strong>{{prettyPlanName}}</strong><br><span class="muted detail">{{description}}</span>{{/prettyPlanName}}
          {{^prettyPlanName}}{{description}}{{/prettyPlanName}}
        </td>
        <td class="amount">{{formattedAmount}}</td>
      </tr>
      {{/invoice.invoiceItems}}
    </tbody>
  </table>

  <table class="totals">
    <tr><th>{{text.invoiceAmount}}</th><td>{{invoice.formattedChargedAmount}}</td></tr>
    <tr><th>{{text.invoiceAmountPaid}}</th><td>{{invoice.formattedPaidAmount}}</td></tr>
    <tr class="balance"><th>{{text.invoiceBalance}}</th><td>{{invoice.formattedBalance}}</td></tr>
  </table>

  <footer class="muted">{{#text.properties}}invoiceCurrency{{/text.properties}} {{invoice.currency}}</footer>
</main>
</body>
</html>
`;
