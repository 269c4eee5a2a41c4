// The graph's own shape rules (docs/api.md, "Shapes"), for @graphql-eslint's parser: its AST is
// GraphQL's, with `gqlType` for a field's type and `parent` links; the subgraph's schema is in
// `context.sourceCode.parserServices.schema`.

/** The type a field or argument names, through `!` and `[…]`. */
const namedType = (gqlType) => (gqlType.kind === 'NamedType' ? gqlType.name.value : namedType(gqlType.gqlType));

const directiveArgument = (node, directive, argument) => node.directives?.find((each) => each.name.value === directive)?.arguments?.find((each) => each.name.value === argument)?.value;

const OBJECT_FIELD = ':matches(ObjectTypeDefinition, ObjectTypeExtension) > FieldDefinition';
const MUTATION_FIELD = ':matches(ObjectTypeDefinition, ObjectTypeExtension)[name.value="Mutation"] > FieldDefinition';

/** Every mutation returns a non-null `…Payload` with `errors: [UserError!]!` for the caller's mistakes. */
const mutationPayload = {
  meta: {
    type: 'problem',
    docs: { description: 'A mutation returns `…Payload!` with `errors: [UserError!]!`.' },
    schema: [],
    messages: {
      payload: 'Mutation `{{field}}` returns `{{type}}`: a mutation returns a non-null `…Payload` type.',
      errors: 'Mutation `{{field}}` returns `{{type}}` without `errors: [UserError!]!`: a caller\'s mistakes go there (docs/api.md, "Errors of mutations").',
    },
  },
  create(context) {
    const { schema } = context.sourceCode.parserServices;
    return {
      [MUTATION_FIELD](node) {
        const type = namedType(node.gqlType);
        const data = { field: node.name.value, type };
        if (node.gqlType.kind !== 'NonNullType' || !type.endsWith('Payload')) return context.report({ node: node.name, messageId: 'payload', data });
        const errors = schema?.getType(type)?.getFields?.().errors;
        if (String(errors?.type) !== '[UserError!]!') context.report({ node: node.name, messageId: 'errors', data });
      },
    };
  },
};

/** Counts are `…Count` and their breakdowns `…CountBy…`: `totalCount`, `unreadCount`, `unreadCountByCategory`, `countByTopic`. */
const countNames = {
  meta: {
    type: 'suggestion',
    docs: { description: 'A count field is named `…Count`, a breakdown of one `…CountBy…`.' },
    schema: [],
    messages: {
      name: 'Field `{{field}}`: a count is named `…Count` (`totalCount`, `unreadCount`) and a breakdown `…CountBy…` (`unreadCountByCategory`, `countByTopic`).',
    },
  },
  create(context) {
    return {
      [OBJECT_FIELD](node) {
        const name = node.name.value;
        if (name === 'total' || /^by[A-Z]/.test(name) || (/By[A-Z]/.test(name) && !/(^c|C)ountBy[A-Z]/.test(name))) {
          context.report({ node: node.name, messageId: 'name', data: { field: name } });
        }
      },
    };
  },
};

/**
 * A list a client pages through is a connection; a plain list is one of a known small bound and
 * says it with `@listSize(assumedSize:)`. A connection has `totalCount: Int!` beside `edges` and
 * `pageInfo` (those two are checked by @graphql-eslint's relay rules).
 */
const growingListsAreConnections = {
  meta: {
    type: 'problem',
    docs: { description: 'Paged lists are connections with `totalCount`; plain lists declare their bound.' },
    schema: [],
    messages: {
      paged: 'Field `{{field}}` pages a plain list with `{{argument}}`: a list that grows is a connection (`edges { cursor node }`, `pageInfo`, `totalCount`).',
      unbounded: 'Field `{{field}}` is a plain list without `@listSize(assumedSize:)`: declare its bound, or make it a connection if it grows.',
      totalCount: 'Connection `{{type}}` has no `totalCount: Int!`.',
    },
  },
  create(context) {
    return {
      [OBJECT_FIELD](node) {
        const type = node.gqlType.kind === 'NonNullType' ? node.gqlType.gqlType : node.gqlType;
        if (type.kind !== 'ListType') return;
        const field = node.name.value;
        const paging = node.arguments?.find((argument) => ['first', 'after', 'last', 'before'].includes(argument.name.value));
        if (paging) context.report({ node: node.name, messageId: 'paged', data: { field, argument: paging.name.value } });
        else if (directiveArgument(node, 'listSize', 'assumedSize')?.kind !== 'IntValue') context.report({ node: node.name, messageId: 'unbounded', data: { field } });
      },
      'ObjectTypeDefinition[name.value=/Connection$/]'(node) {
        const totalCount = node.fields?.find((field) => field.name.value === 'totalCount');
        const isIntNonNull = totalCount?.gqlType.kind === 'NonNullType' && namedType(totalCount.gqlType) === 'Int';
        if (!isIntNonNull) context.report({ node: node.name, messageId: 'totalCount', data: { type: node.name.value } });
      },
    };
  },
};

export const shapes = {
  meta: { name: 'epgu-shapes' },
  rules: { 'mutation-payload': mutationPayload, 'count-names': countNames, 'growing-lists-are-connections': growingListsAreConnections },
};
