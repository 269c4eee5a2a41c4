import { requireSelfOrRole, requireViewer, resolveOwnUser, type Viewer } from '../../lib/auth.ts';
import { decodeCursor, forwardPage, lazyConnection, pageSize } from '../../lib/connection.ts';
import { badUserInput, type UserError } from '../../lib/errors.ts';
import { formatSnils } from '../../lib/format.ts';
import { historyCount, historyPage } from './db/history.ts';
import type { ProfileDatabase } from './db/store.ts';
import type { PersonalDataRow } from './db/schema.ts';
import { MAY_READ_NAME, MAY_RESOLVE, requireOwner, visibleDocuments } from './domain/access.ts';
import * as changes from './domain/changes.ts';
import { startDataCheck, type DataCheckRunner } from './domain/data-check.ts';
import { asText } from './domain/history.ts';
import { categoryFromApi, DOCUMENT_TYPENAME, presentChild, presentDocument } from './domain/present.ts';
import type { Resolvers, SaveDocumentInput } from './generated/schema-types.ts';
import type { ProfileLoaders } from './loaders.ts';

export interface ProfileContext {
  viewer: Viewer | null;
  database: ProfileDatabase;
  loaders: ProfileLoaders;
  dataChecks: DataCheckRunner;
}

const verification = (row: Pick<PersonalDataRow, 'verificationStatus' | 'checkedAt' | 'failureReason'>) => ({
  status: row.verificationStatus,
  checkedAt: row.checkedAt,
  failureReason: row.failureReason,
});

const failed = (errors: UserError[]) => ({ errors, warnings: [] });

/** Driving categories arrive as the API's enum; the licence's own spelling is stored. */
function documentInput(input: SaveDocumentInput) {
  const licence = input.driverLicence;
  return licence ? { ...input, driverLicence: { ...licence, categories: licence.categories.map(categoryFromApi) } } : input;
}

export const resolvers: Resolvers = {
  Mutation: {
    updatePersonalData: async (_root, { input }, { viewer, database }) => {
      const saved = await changes.updatePersonalData(database.db, requireViewer(viewer).userId, input);
      return 'errors' in saved ? failed(saved.errors) : { personalData: saved.value, errors: [], warnings: saved.warnings };
    },
    saveDocument: async (_root, { input }, { viewer, database }) => {
      const saved = await changes.saveDocument(database.db, requireViewer(viewer).userId, documentInput(input));
      return 'errors' in saved ? failed(saved.errors) : { document: presentDocument(saved.value), errors: [], warnings: saved.warnings };
    },
    removeDocument: async (_root, { input }, { viewer, database }) => {
      const { errors } = await changes.removeDocument(database.db, requireViewer(viewer).userId, input.documentId);
      return { removedId: errors.length ? null : input.documentId, errors };
    },
    saveChild: async (_root, { input }, { viewer, database }) => {
      const saved = await changes.saveChild(database.db, requireViewer(viewer).userId, input);
      return 'errors' in saved ? failed(saved.errors) : { child: presentChild(saved.value), errors: [], warnings: saved.warnings };
    },
    removeChild: async (_root, { input }, { viewer, database }) => {
      const { errors } = await changes.removeRecord(database.db, requireViewer(viewer).userId, 'CHILD', input.childId);
      return { removedId: errors.length ? null : input.childId, errors };
    },
    saveVehicle: async (_root, { input }, { viewer, database }) => {
      const saved = await changes.saveVehicle(database.db, requireViewer(viewer).userId, input);
      return 'errors' in saved ? { errors: saved.errors } : { vehicle: saved.value, errors: [] };
    },
    removeVehicle: async (_root, { input }, { viewer, database }) => {
      const { errors } = await changes.removeRecord(database.db, requireViewer(viewer).userId, 'VEHICLE', input.vehicleId);
      return { removedId: errors.length ? null : input.vehicleId, errors };
    },
    startDataCheck: async (_root, _args, { viewer, database, dataChecks }) => {
      const started = await startDataCheck(database.db, requireViewer(viewer).userId);
      if ('errors' in started) return { dataCheck: null, errors: started.errors };
      dataChecks.run(started.check.id);
      return { dataCheck: started.check, errors: [] };
    },
  },
  User: {
    __resolveReference: resolveOwnUser(MAY_RESOLVE),
    name: async (user, _args, { viewer, loaders }) => {
      requireSelfOrRole(viewer, user.id, MAY_READ_NAME);
      return loaders.personalDataByUserId.load(user.id);
    },
    profile: async (user, _args, { viewer, loaders }) => {
      requireOwner(viewer, user.id);
      return loaders.personalDataByUserId.load(user.id);
    },
    documents: async (user, _args, { viewer, loaders }) => {
      const caller = requireSelfOrRole(viewer, user.id, ['OPERATOR']);
      const [owner, documents] = await Promise.all([loaders.personalDataByUserId.load(user.id), loaders.documentsByUserId.load(user.id)]);
      return visibleDocuments(caller, user.id, owner, documents).map(presentDocument);
    },
    children: async (user, _args, { viewer, loaders }) => {
      requireOwner(viewer, user.id);
      return (await loaders.childrenByUserId.load(user.id)).map(presentChild);
    },
    vehicles: async (user, _args, { viewer, loaders }) => {
      requireOwner(viewer, user.id);
      return loaders.vehiclesByUserId.load(user.id);
    },
    dataCheck: async (user, _args, { viewer, loaders }) => {
      requireOwner(viewer, user.id);
      return loaders.latestCheckByUserId.load(user.id);
    },
    profileHistory: async (user, args, { viewer, database }) => {
      requireOwner(viewer, user.id);
      const first = pageSize(args.first);
      const after = decodeCursor(args.after, 1)?.[0] ?? null;
      if (after !== null && (typeof after !== 'number' || !Number.isInteger(after))) throw badUserInput('Некорректный курсор: возьмите его из pageInfo предыдущей страницы.');
      return lazyConnection(
        () => historyPage(database.db, user.id, first + 1, after).then((rows) => forwardPage(rows, first, (row) => [row.position], after !== null)),
        () => historyCount(database.db, user.id),
      );
    },
    applicationPrefill: async (user, _args, { viewer, loaders }) => {
      requireOwner(viewer, user.id);
      const [person, documents] = await Promise.all([loaders.personalDataByUserId.load(user.id), loaders.documentsByUserId.load(user.id)]);
      if (!person) return null;
      const byType = (type: string) => documents.find((document) => document.type === type);
      const passport = byType('RUSSIAN_PASSPORT');
      const snils = byType('SNILS');
      const inn = byType('INN');
      return {
        ...person,
        passport: passport ? presentDocument(passport) : null,
        snils: snils ? formatSnils(String(snils.details.number)) : null,
        inn: inn ? String(inn.details.number) : null,
        checked: person.verificationStatus === 'CHECKED' && passport?.verificationStatus === 'CHECKED' && snils?.verificationStatus === 'CHECKED',
      };
    },
  },
  PersonalData: {
    verification,
  },
  ProfileChange: {
    changes: (entry) => entry.changes.map((change) => ({ field: change.field, before: asText(change.before), after: asText(change.after) })),
  },
  Document: {
    __resolveType: (document) => DOCUMENT_TYPENAME[document.type],
  },
};
