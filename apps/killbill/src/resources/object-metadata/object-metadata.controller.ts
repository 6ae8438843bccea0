import { applyDecorators, Body, Controller, Delete, Get, HttpCode, type OnApplicationBootstrap, Param, Post, Put, Query, type Type } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, type ApiQueryOptions, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  AuditedCall,
  type AuditedObjectType,
  AuditLevel,
  AuditLevelPipe,
  AuditLog,
  AuditQuery,
  BooleanPipe,
  Created,
  ObjectHistory,
  ObjectRegistry,
  RepeatedQueryDoc,
  TenantScoped,
  UuidPipe,
} from '@kb/platform';
import { type CustomFieldChange, CustomFieldService, type NewCustomField } from '@kb/custom-field';
import { TagService } from '@kb/tag';
import { CustomField } from '../custom-field/custom-field.dto';
import { toCustomFieldJson } from '../custom-field/custom-field.mapper';
import { Tag } from '../tag/tag.dto';
import { toTagJson } from '../tag/tag.mapper';
import { IncludedDeletedQuery } from './metadata.decorators';
import { CustomFieldChangesBodyPipe, NewCustomFieldsBodyPipe, UuidArrayBodyPipe, UuidListPipe } from './metadata.pipes';

/** The sub-resources Kill Bill mounts under an object; not every object has all of them (payment methods have no tags). */
export type MetadataRoute = 'tags' | 'customFields' | 'auditLogsWithHistory';

export interface MetadataOperationIds {
  readonly getTags: string;
  readonly createTags: string;
  readonly deleteTags: string;
  readonly getCustomFields: string;
  readonly createCustomFields: string;
  readonly modifyCustomFields: string;
  readonly deleteCustomFields: string;
  readonly getAuditLogsWithHistory: string;
}

export interface MetadataControllerOptions {
  /** The ObjectType the routes work on; some module must register it in the ObjectRegistry (checked at start-up). */
  readonly objectType: AuditedObjectType;
  /** The collection path under /1.0/kb, e.g. `accounts`. */
  readonly path: string;
  /** The name of the id path parameter, e.g. `accountId`. */
  readonly idParam: string;
  /** The contract's name of the object in operationIds, e.g. `Account` (getAccountTags), `Transaction` (getTransactionTags). */
  readonly operationName: string;
  /** The resource tag of the contract; defaults to `operationName`. */
  readonly apiTag?: string;
  /** The object in the contract's summaries, e.g. `account` ("Add tags to account"), `invoice item`. */
  readonly label: string;
  /** Which sub-resources to mount; all three by default. */
  readonly routes?: readonly MetadataRoute[];
  /** Overrides of the derived operationIds, for the odd one out. */
  readonly operationIds?: Partial<MetadataOperationIds>;
  /** The id path parameter of auditLogsWithHistory when it differs (`/invoicePayments/{invoicePaymentId}/…`). */
  readonly auditIdParam?: string;
  /** The summary of auditLogsWithHistory when it differs from "Retrieve <label> audit logs with history by id". */
  readonly auditSummary?: string;
  /** The 404 description when it differs from "<Label> not found" (bundles: "Subscription bundle not found"). */
  readonly notFoundDescription?: string;
  /** Extra query parameters the contract lists on GET …/tags (invoice items: `accountId`; invoice payments: `pluginProperty`). */
  readonly getTagsQueries?: readonly ApiQueryOptions[];
}

/** The routes' public face, for a subclass that adds routes of its own (the account's allTags). */
export interface ObjectMetadataRoutes {
  readonly tags: TagService;
  readonly customFields: CustomFieldService;
}

/** The operationIds of the contract for an object named `name`: getAccountTags, createAccountTags, …, getAccountAuditLogsWithHistory. */
export function metadataOperationIds(name: string): MetadataOperationIds {
  return {
    getTags: `get${name}Tags`,
    createTags: `create${name}Tags`,
    deleteTags: `delete${name}Tags`,
    getCustomFields: `get${name}CustomFields`,
    createCustomFields: `create${name}CustomFields`,
    modifyCustomFields: `modify${name}CustomFields`,
    deleteCustomFields: `delete${name}CustomFields`,
    getAuditLogsWithHistory: `get${name}AuditLogsWithHistory`,
  };
}

const ALL_ROUTES: readonly MetadataRoute[] = ['tags', 'customFields', 'auditLogsWithHistory'];
const TAG_DEFINITION_IDS_BODY = { schema: { type: 'array', items: { type: 'string', format: 'uuid' } } } as const;

/**
 * A controller mounting Kill Bill's tags, custom fields and auditLogsWithHistory sub-resources of one
 * object type, with the contract's paths, operationIds, parameters, status codes and Location headers:
 *
 *   GET    /1.0/kb/<path>/{id}/tags                  200 [Tag]          includedDeleted, audit
 *   POST   /1.0/kb/<path>/{id}/tags                  201 Location …/tags  body: [tagDefinitionId]
 *   DELETE /1.0/kb/<path>/{id}/tags                  204                tagDef (repeated)
 *   GET    /1.0/kb/<path>/{id}/customFields          200 [CustomField]  audit
 *   POST   /1.0/kb/<path>/{id}/customFields          201 Location …/customFields  body: [CustomField]
 *   PUT    /1.0/kb/<path>/{id}/customFields          204                body: [CustomField]
 *   DELETE /1.0/kb/<path>/{id}/customFields          204                customField (repeated)
 *   GET    /1.0/kb/<path>/{id}/auditLogsWithHistory  200 [AuditLog]
 *
 * A resource adds them with one call, listing the result among its module's controllers (its module
 * imports ObjectMetadataModule and registers the object type in the ObjectRegistry):
 *
 *   controllers: [BundleController, metadataController({ objectType: 'BUNDLE', path: 'bundles', idParam: 'bundleId',
 *                                                         operationName: 'Bundle', label: 'bundle',
 *                                                         notFoundDescription: 'Subscription bundle not found' })]
 *
 * A resource with routes of its own on the same objects extends the result (see AccountMetadataController).
 */
export function metadataController(options: MetadataControllerOptions): Type<ObjectMetadataRoutes> {
  const { objectType, idParam, label } = options;
  const routes = new Set(options.routes ?? ALL_ROUTES);
  const operationIds = { ...metadataOperationIds(options.operationName), ...options.operationIds };
  const auditIdParam = options.auditIdParam ?? idParam;
  const objectPath = `/1.0/kb/${options.path}/{${idParam}}`;
  const invalidId = ApiResponse({ status: 400, description: `Invalid ${label} id supplied` });
  const notFound = ApiResponse({ status: 404, description: options.notFoundDescription ?? `${label.charAt(0).toUpperCase()}${label.slice(1)} not found` });
  const idParamDoc = (name: string) => ApiParam({ name, required: true, schema: { type: 'string', format: 'uuid' } });
  const when = (route: MetadataRoute, ...decorators: MethodDecorator[]): MethodDecorator =>
    routes.has(route) ? applyDecorators(...decorators) : () => undefined;

  @ApiTags(options.apiTag ?? options.operationName)
  @Controller(`1.0/kb/${options.path}`)
  class ObjectMetadataController implements ObjectMetadataRoutes, OnApplicationBootstrap {
    constructor(
      readonly tags: TagService,
      readonly customFields: CustomFieldService,
      readonly history: ObjectHistory,
      readonly registry: ObjectRegistry,
    ) {}

    /** Routes for a type nobody registered would answer 404 for every object: refuse to start instead. */
    onApplicationBootstrap(): void {
      if (!this.registry.isRegistered(objectType))
        throw new Error(`Routes under /1.0/kb/${options.path} need the object type ${objectType} registered in the ObjectRegistry`);
    }

    @when(
      'tags',
      Get(`:${idParam}/tags`),
      TenantScoped(),
      ApiOperation({ operationId: operationIds.getTags, summary: `Retrieve ${label} tags` }),
      idParamDoc(idParam),
      ...(options.getTagsQueries ?? []).map((query) => ApiQuery(query)),
      IncludedDeletedQuery(),
      AuditQuery(),
      ApiOkResponse({ type: [Tag] }),
      invalidId,
      notFound,
    )
    async getTags(
      @Param(idParam, UuidPipe) id: string,
      @Query('includedDeleted', new BooleanPipe(false)) includedDeleted: boolean,
      @Query('audit', AuditLevelPipe) audit: AuditLevel,
    ): Promise<Tag[]> {
      return (await this.tags.forObject(objectType, id, { includedDeleted, audit })).map(toTagJson);
    }

    @when(
      'tags',
      Post(`:${idParam}/tags`),
      TenantScoped('tag:add'),
      AuditedCall(),
      Created(`${objectPath}/tags`, [Tag]),
      ApiOperation({ operationId: operationIds.createTags, summary: `Add tags to ${label}` }),
      idParamDoc(idParam),
      ApiBody(TAG_DEFINITION_IDS_BODY),
      invalidId,
    )
    async createTags(@Param(idParam, UuidPipe) id: string, @Body(UuidArrayBodyPipe) tagDefinitionIds: string[]): Promise<void> {
      await this.tags.add(objectType, id, tagDefinitionIds);
    }

    @when(
      'tags',
      Delete(`:${idParam}/tags`),
      TenantScoped('tag:delete'),
      AuditedCall(),
      HttpCode(204),
      ApiOperation({ operationId: operationIds.deleteTags, summary: `Remove tags from ${label}` }),
      idParamDoc(idParam),
      RepeatedQueryDoc('tagDef', { type: 'string', format: 'uuid' }),
      ApiNoContentResponse({ description: 'Successful operation' }),
      invalidId,
    )
    async deleteTags(@Param(idParam, UuidPipe) id: string, @Query('tagDef', UuidListPipe) tagDefinitionIds: string[]): Promise<void> {
      await this.tags.remove(objectType, id, tagDefinitionIds);
    }

    @when(
      'customFields',
      Get(`:${idParam}/customFields`),
      TenantScoped(),
      ApiOperation({ operationId: operationIds.getCustomFields, summary: `Retrieve ${label} custom fields` }),
      idParamDoc(idParam),
      AuditQuery(),
      ApiOkResponse({ type: [CustomField] }),
      invalidId,
    )
    async getCustomFields(@Param(idParam, UuidPipe) id: string, @Query('audit', AuditLevelPipe) audit: AuditLevel): Promise<CustomField[]> {
      return (await this.customFields.forObject(objectType, id, audit)).map(toCustomFieldJson);
    }

    @when(
      'customFields',
      Post(`:${idParam}/customFields`),
      TenantScoped('custom_field:add'),
      AuditedCall(),
      Created(`${objectPath}/customFields`, [CustomField]),
      ApiOperation({ operationId: operationIds.createCustomFields, summary: `Add custom fields to ${label}` }),
      idParamDoc(idParam),
      ApiBody({ type: [CustomField] }),
      invalidId,
    )
    async createCustomFields(@Param(idParam, UuidPipe) id: string, @Body(NewCustomFieldsBodyPipe) fields: NewCustomField[]): Promise<void> {
      await this.customFields.add(objectType, id, fields);
    }

    @when(
      'customFields',
      Put(`:${idParam}/customFields`),
      TenantScoped('custom_field:update'),
      AuditedCall(),
      HttpCode(204),
      ApiOperation({ operationId: operationIds.modifyCustomFields, summary: `Modify custom fields to ${label}` }),
      idParamDoc(idParam),
      ApiBody({ type: [CustomField] }),
      ApiNoContentResponse({ description: 'Successful operation' }),
      invalidId,
    )
    async modifyCustomFields(@Param(idParam, UuidPipe) id: string, @Body(CustomFieldChangesBodyPipe) changes: CustomFieldChange[]): Promise<void> {
      await this.customFields.modify(objectType, id, changes);
    }

    @when(
      'customFields',
      Delete(`:${idParam}/customFields`),
      TenantScoped('custom_field:delete'),
      AuditedCall(),
      HttpCode(204),
      ApiOperation({ operationId: operationIds.deleteCustomFields, summary: `Remove custom fields from ${label}` }),
      idParamDoc(idParam),
      RepeatedQueryDoc('customField', { type: 'string', format: 'uuid' }),
      ApiNoContentResponse({ description: 'Successful operation' }),
      invalidId,
    )
    async deleteCustomFields(@Param(idParam, UuidPipe) id: string, @Query('customField', UuidListPipe) customFieldIds: string[]): Promise<void> {
      await this.customFields.remove(objectType, id, customFieldIds);
    }

    @when(
      'auditLogsWithHistory',
      Get(`:${auditIdParam}/auditLogsWithHistory`),
      TenantScoped(),
      ApiOperation({ operationId: operationIds.getAuditLogsWithHistory, summary: options.auditSummary ?? `Retrieve ${label} audit logs with history by id` }),
      idParamDoc(auditIdParam),
      ApiOkResponse({ type: [AuditLog] }),
      notFound,
    )
    async getAuditLogsWithHistory(@Param(auditIdParam, UuidPipe) id: string): Promise<AuditLog[]> {
      return this.history.withHistory(objectType, id);
    }
  }

  // Named after its object so that logs and Nest's errors say which one it is.
  Object.defineProperty(ObjectMetadataController, 'name', { value: `${options.operationName}MetadataController` });
  return ObjectMetadataController;
}
