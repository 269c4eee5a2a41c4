/**
 * `npm run codegen`: resolver, argument, input and enum types from each subgraph's SDL, written to
 * subgraphs/<name>/generated/schema-types.ts (graphql-codegen, `typescript` + `typescript-resolvers`
 * with Apollo Federation). The files are committed; CI regenerates them and fails when that changes
 * them, and `npm run check:types` fails when a resolver no longer fits its schema.
 *
 * A mapper says what a resolver of that type gets as its parent (and what the field returning it
 * may answer with): the storage row when the object is a row, the domain's object when the domain
 * shapes it. Paths are relative to the generated file.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';

/** A connection whose page and count load only when asked for (lib/connection.ts `lazyConnection`). */
const lazyConnection = (node: string) => `import('../../../lib/connection.ts').LazyConnection<${node}>`;
const row = (type: string) => `import('../db/schema.ts').${type}`;
/** What a domain function makes of a row for the API: `presented('present', 'presentChild')`. */
const presented = (module: string, fn: string) => `ReturnType<typeof import('../domain/${module}.ts').${fn}>`;
/**
 * An entity another subgraph owns, extended here: its resolvers get the reference the gateway sent
 * (`__typename` and the key), which `__resolveReference` checks and passes on.
 */
const reference = (type: string) => `FederationReferenceTypes['${type}']`;

/** Profile's documents are one row type, shown by domain/present.ts whatever their kind. */
const DOCUMENT_KINDS = ['RussianPassport', 'Snils', 'Inn', 'ForeignPassport', 'DriverLicence', 'OmsPolicy', 'MilitaryId', 'BirthCertificate'];

const MAPPERS: Record<SubgraphName, Record<string, string>> = {
  identity: {
    User: '../db/schema.ts#Account',
    Session: '../db/schema.ts#Session',
    SecurityEvent: '../db/schema.ts#SecurityEventRow',
    SessionConnection: lazyConnection(row('Session')),
    SecurityEventConnection: lazyConnection(row('SecurityEventRow')),
  },
  profile: {
    User: reference('User'),
    PersonName: '../db/schema.ts#PersonalDataRow',
    PersonalData: '../db/schema.ts#PersonalDataRow',
    Child: presented('present', 'presentChild'),
    // A jsonb column, checked by domain/people.ts before it is stored.
    BirthCertificateDetails: 'Record<string, unknown>',
    Vehicle: '../db/schema.ts#VehicleRow',
    DataCheck: '../db/schema.ts#DataCheckRow',
    ProfileChange: '../db/schema.ts#HistoryRow',
    ProfileChangeConnection: lazyConnection(row('HistoryRow')),
    ...Object.fromEntries(DOCUMENT_KINDS.map((kind) => [kind, presented('present', 'presentDocument')])),
  },
  notifications: {
    User: reference('User'),
    Notification: presented('present', 'presentItem'),
    NotificationConnection: '../resolvers.ts#FeedConnection',
  },
  appeals: {
    User: reference('User'),
    Appeal: '../db/schema.ts#AppealRow',
    AppealConnection: lazyConnection(row('AppealRow')),
    AppealTimelineEntry: '../db/schema.ts#TimelineRow',
    Topic: '../db/schema.ts#TopicRow',
    Authority: '../db/schema.ts#AuthorityRow',
    AppealRouting: '../domain/routing.ts#AppealRouting',
    AppealReassignment: '../domain/routing.ts#Reassignment',
    AppealStatusChange: '../db/timeline.ts#TimelineChangeRow',
    AuthorityQueueChange: '../db/timeline.ts#TimelineChangeRow',
  },
};

const CONTEXTS: Record<SubgraphName, string> = {
  identity: 'IdentityContext',
  profile: 'ProfileContext',
  notifications: 'NotificationsContext',
  appeals: 'AppealsContext',
};

/**
 * The cabinet's typed operations (docs/cabinet.md): every `graphql(\`…\`)` in web/src, checked against
 * the committed supergraph, and the trusted-documents manifest, web/src/generated/persisted-documents.json
 * (`{ "<sha256 hex>": "<document text>" }`, the gateway's list of the cabinet's operations). The
 * documents carry `__typename` as Apollo Client's cache would add it, so the text the cabinet sends is
 * the manifest's own (web/src/api/documents.ts prints it the same way).
 */
const cabinet: CodegenConfig['generates'] = {
  'web/src/generated/': {
    schema: 'schema/supergraph.graphql',
    documents: ['web/src/**/*.tsx', 'web/src/**/*.ts', '!web/src/generated/**'],
    preset: 'client',
    presetConfig: { persistedDocuments: { hashAlgorithm: 'sha256' }, fragmentMasking: false },
    documentTransforms: [addTypenameSelectionDocumentTransform],
    config: {
      scalars: { DateTime: 'string', Date: 'string' },
      enumsAsTypes: true,
      useTypeImports: true,
      // Only the types the cabinet's operations use, not the whole supergraph's.
      onlyOperationTypes: true,
    },
  },
};

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    ...cabinet,
    ...Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [
        `subgraphs/${name}/generated/schema-types.ts`,
        {
          schema: `schema/${name}.graphql`,
          plugins: [{ add: { content: `/* Generated by \`npm run codegen\` from schema/${name}.graphql (schema/codegen.ts): do not edit. */` } }, 'typescript', 'typescript-resolvers'],
          config: {
            federation: true,
            contextType: `../resolvers.ts#${CONTEXTS[name]}`,
            mappers: MAPPERS[name],
            // The mapped types are imported under another name: `Session` the row is not `Session` the API's.
            mapperTypeSuffix: 'Model',
            // `DateTime` arrives as a Date (graphql-scalars) and may be answered with one or its ISO text;
            // `Date` is a calendar date's `YYYY-MM-DD` both ways (lib/service.ts); `_FieldSet` is
            // federation's, the text of `@key(fields:)`. Every scalar must be named here (strictScalars).
            scalars: { _FieldSet: 'string', DateTime: { input: 'Date', output: 'Date | string' }, Date: 'string' },
            strictScalars: true,
            // String unions, as the domain spells its own: no runtime enum objects.
            enumsAsTypes: true,
            useTypeImports: true,
          },
        },
      ]),
    ),
  },
};

export default config;
