import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { requireSelfOrRole, resolveOwnUser, type Viewer } from '../../lib/auth.ts';
import { DOCUMENT_TYPENAME, MAY_READ_DOCUMENTS, MAY_READ_PERSONAL_DATA, presentDocument } from './domain.ts';
import type { ProfileLoaders } from './loaders.ts';

export interface ProfileContext {
  viewer: Viewer | null;
  loaders: ProfileLoaders;
}

type UserRef = { id: string };

export const resolvers: GraphQLResolverMap<ProfileContext> = {
  User: {
    __resolveReference: resolveOwnUser(MAY_READ_PERSONAL_DATA),
    profile: (user: UserRef, _args, { viewer, loaders }) => {
      requireSelfOrRole(viewer, user.id, MAY_READ_PERSONAL_DATA);
      return loaders.personalDataByUserId.load(user.id);
    },
    documents: async (user: UserRef, _args, { viewer, loaders }) => {
      requireSelfOrRole(viewer, user.id, MAY_READ_DOCUMENTS);
      return (await loaders.documentsByUserId.load(user.id)).map(presentDocument);
    },
  },
  Document: {
    __resolveType: (document: { type: keyof typeof DOCUMENT_TYPENAME }) => DOCUMENT_TYPENAME[document.type],
  },
};
