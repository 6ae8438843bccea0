import { metadataController } from '../object-metadata/object-metadata.controller';

/** Tags, custom fields and auditLogsWithHistory of an invoice (Kill Bill's InvoiceResource sub-resources). */
export class InvoiceMetadataController extends metadataController({
  objectType: 'INVOICE',
  path: 'invoices',
  idParam: 'invoiceId',
  operationName: 'Invoice',
  label: 'invoice',
}) {}

/** Tags, custom fields and auditLogsWithHistory of an invoice item (Kill Bill's InvoiceItemResource); GET tags takes the account id. */
export class InvoiceItemMetadataController extends metadataController({
  objectType: 'INVOICE_ITEM',
  path: 'invoiceItems',
  idParam: 'invoiceItemId',
  operationName: 'InvoiceItem',
  label: 'invoice item',
  getTagsQueries: [{ name: 'accountId', required: true, schema: { type: 'string', format: 'uuid' } }],
}) {}
