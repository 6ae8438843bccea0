import { metadataController } from '../object-metadata/object-metadata.controller';

/** Tags, custom fields and auditLogsWithHistory of a bundle (Kill Bill's BundleResource sub-resources). */
export class BundleMetadataController extends metadataController({
  objectType: 'BUNDLE',
  path: 'bundles',
  idParam: 'bundleId',
  operationName: 'Bundle',
  label: 'bundle',
  notFoundDescription: 'Subscription bundle not found',
}) {}
