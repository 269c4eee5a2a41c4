import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { BREAK, getArgumentValues, getVariableValues, Kind, print, TypeInfo, visit, visitWithTypeInfo, type DefinitionNode, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { graphQLError, type GraphQLErrorCode } from './errors.ts';

/**
 * Checks of a request every Apollo Server of ours makes once it knows the operation (the gateway's
 * and each subgraph's, through `apolloOptions` in lib/service.ts), before anything runs: the
 * caller's mistakes answered with HTTP 400 and a code, never a 500 (docs/errors.md).
 */

const refusal = (code: GraphQLErrorCode, message: string, extensions: Record<string, unknown> = {}) => graphQLError(code, message, { extensions: { ...extensions, http: { status: 400 } } });

/**
 * An `operationName` the document does not have, or several operations and no name: Apollo Server
 * answers the gateway's with 500 `INVALID_GRAPHQL` (the executor's words), a subgraph's in English.
 * The code is Apollo Server's own for it.
 */
export function operationResolution(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          const name = request.operationName;
          throw refusal(
            'OPERATION_RESOLUTION_FAILURE',
            name ? `В запросе нет операции «${name}». Укажите в operationName имя одной из операций запроса.` : 'В запросе несколько операций: укажите в operationName, какую выполнить.',
          );
        },
      };
    },
  };
}

/**
 * Control characters no one types: U+0000 (which PostgreSQL refuses in text, so it failed as an
 * internal error) and the rest of C0 but tab, line feed and carriage return, which free text keeps.
 */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

interface Found {
  field: string[];
  character: string;
}

function controlCharacterIn(value: unknown, field: string[]): Found | null {
  if (typeof value === 'string') {
    const character = CONTROL_CHARACTER.exec(value)?.[0];
    return character === undefined ? null : { field, character };
  }
  if (value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    const found = controlCharacterIn(inner, [...field, key]);
    if (found) return found;
  }
  return null;
}

/** The first argument value (literal or variable, at any depth of an input) holding a control character. */
function controlCharacterInArguments(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): Found | null {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) return null; // execution refuses such variables in its own words
  let found: Found | null = null;
  const definitions: DefinitionNode[] = [operation, ...document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)];
  for (const definition of definitions) {
    const typeInfo = new TypeInfo(schema);
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const field = typeInfo.getFieldDef();
          // The gateway's representations are built from stored data, not from what a person sent.
          if (!field || !node.arguments?.length || field.name === '_entities') return;
          let args: Record<string, unknown>;
          try {
            args = getArgumentValues(field, node, coerced.coerced);
          } catch {
            return; // a fragment spread elsewhere may use variables this operation lacks
          }
          found = controlCharacterIn(args, []);
          if (found) return BREAK;
        },
      }),
    );
    if (found) return found;
  }
  return null;
}

/**
 * Refuses a control character in any argument of any field, once for every field of every
 * subgraph: `BAD_USER_INPUT` with `extensions.field`, the path to it (`["input", "text"]`).
 * Requests without one cost a scan of their variables and a look for `\u` escapes in the text.
 */
export function refuseControlCharacters(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const source = document.loc?.source.body ?? print(document);
          if (!source.includes('\\u') && !controlCharacterIn(request.variables ?? {}, [])) return;
          const found = controlCharacterInArguments(schema, document, operation, request.variables ?? {});
          if (!found) return;
          const code = `U+${found.character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
          throw refusal('BAD_USER_INPUT', `Поле ${found.field.join('.')} содержит недопустимый управляющий символ ${code}. Уберите его и отправьте снова.`, { field: found.field });
        },
      };
    },
  };
}
