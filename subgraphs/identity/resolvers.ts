import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { requireSelfOrRole, requireViewer, type Viewer } from '../../lib/auth.ts';
import { findAccountByLogin, type IdentityDatabase } from './db/queries.ts';
import type { Account } from './db/schema.ts';
import { invalidCredentials, parseLogin, passwordMatches, unreadableLogin } from './domain.ts';
import type { IdentityLoaders } from './loaders.ts';
import type { TokenIssuer } from './tokens.ts';

export interface IdentityContext {
  viewer: Viewer | null;
  database: IdentityDatabase;
  loaders: IdentityLoaders;
  tokens: TokenIssuer;
}

/** Staff who may look at another person's account: an operator confirming an identity. */
const MAY_READ_OTHERS = ['OPERATOR'] as const;

export const resolvers: GraphQLResolverMap<IdentityContext> = {
  Query: {
    me: (_root, _args, { viewer, loaders }) => loaders.accountById.load(requireViewer(viewer).userId),
  },
  Mutation: {
    login: async (_root, { input }: { input: { login: string; password: string } }, { database, tokens }) => {
      const login = parseLogin(input.login);
      if (!login) return { errors: [unreadableLogin()] };
      const account = await findAccountByLogin(database.db, login);
      if (!(await passwordMatches(account?.passwordHash ?? null, input.password)) || !account) {
        return { errors: [invalidCredentials()] };
      }
      const { token, expiresAt } = await tokens.issueAccessToken(account);
      return { accessToken: token, accessTokenExpiresAt: expiresAt, user: account, errors: [] };
    },
  },
  User: {
    __resolveReference: async (user: { id: string }, { viewer, loaders }: IdentityContext) => {
      requireSelfOrRole(viewer, user.id, MAY_READ_OTHERS);
      return loaders.accountById.load(user.id);
    },
    roles: (account: Account) => account.roles,
  },
};
