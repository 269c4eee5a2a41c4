import graphql from '@graphql-eslint/eslint-plugin';
import { shapes } from './rules.js';

/**
 * The lint of subgraph SDL files (`npm run lint:schema`): the graph's conventions
 * (/work/shared/design/api-conventions.md, docs/api.md "Shapes") as @graphql-eslint rules and our
 * own (rules.js). Each file is linted against its own subgraph schema (federation directives
 * included, @graphql-eslint builds it with @apollo/subgraph).
 *
 * `extended` names, per file, the entity types the file only extends (`type User @key` outside
 * identity): the owning subgraph describes them.
 */
export function schemaLint(files, extended = {}) {
  const projects = Object.fromEntries(files.map((file) => [file, { schema: file }]));
  // Every subgraph adds to the root types; their fields carry the descriptions.
  const describe = (ignored = []) => [
    'error',
    {
      types: true,
      rootField: true,
      FieldDefinition: true,
      InputValueDefinition: true,
      EnumValueDefinition: true,
      ignoredSelectors: [`ObjectTypeDefinition[name.value=/^(${['Query', 'Mutation', 'Subscription', ...ignored].join('|')})$/]`],
    },
  ];
  return [
    {
      files,
      languageOptions: { parser: graphql.parser, parserOptions: { graphQLConfig: { projects } } },
      plugins: { '@graphql-eslint': graphql, shapes },
      rules: {
        ...graphql.configs['flat/schema-recommended'].rules,
        // Short descriptions are one-line strings, long ones blocks: both kinds stay.
        '@graphql-eslint/description-style': 'off',
        // Value types (Money, PageInfo, payloads) have no id; entities do, checked by review.
        '@graphql-eslint/strict-id-in-types': 'off',
        // A `#` comment above an extended entity says who describes it; a description would be a second one.
        '@graphql-eslint/no-hashtag-description': 'off',
        '@graphql-eslint/naming-convention': [
          'error',
          {
            ...graphql.configs['flat/schema-recommended'].rules['@graphql-eslint/naming-convention'][1],
            InputObjectTypeDefinition: { style: 'PascalCase', requiredSuffixes: ['Input'] },
          },
        ],
        '@graphql-eslint/require-description': describe(),
        '@graphql-eslint/relay-connection-types': 'error',
        '@graphql-eslint/relay-edge-types': ['error', { withEdgeSuffix: true, shouldImplementNode: false, listTypeCanWrapOnlyEdgeType: false }],
        '@graphql-eslint/relay-page-info': 'error',
        '@graphql-eslint/relay-arguments': ['error', { includeBoth: false }],
        'shapes/mutation-payload': 'error',
        'shapes/count-names': 'error',
        'shapes/growing-lists-are-connections': 'error',
      },
    },
    ...Object.entries(extended).map(([file, types]) => ({ files: [file], rules: { '@graphql-eslint/require-description': describe(types) } })),
  ];
}
