import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  Lexer,
  parse,
  print,
  Source,
  specifiedRules,
  TokenKind,
  validate,
  type ASTVisitor,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { isProduction } from './config.ts';

/**
 * What an operation may be, in one place: the same limits for queries and mutations through Apollo
 * Server (`validationRules`, `parseOptions`, `plugins`) and for subscriptions on their own transports
 * (`checkOperation`). The counting is graphql-armor's (pinned versions, see package.json); the
 * refusals are ours, so a client gets one stable shape whatever the transport. docs/security.md.
 */
export interface OperationLimitsConfig {
  /** Nesting of fields; a fragment spread counts as a level. The cabinet dashboard needs 7. */
  maxDepth?: number;
  /** Aliased fields (`a: me`), `__typename` aside. */
  maxAliases?: number;
  /** Directives (`@include`, `@skip`, …) anywhere in the operation; null: not counted (a subgraph's ceilings). */
  maxDirectives?: number | null;
  /** Lexical tokens of the whole document: bounds the parser's work before anything else runs. */
  maxTokens?: number;
  /** graphql-armor's cost: objects 2, scalars 1, ×1.5 per level, × a literal `first`/`last`; null: not counted. */
  maxCost?: number | null;
  /**
   * Whether introspection is served (development). Then an operation that selects nothing but the
   * introspection fields `__schema`/`__type` (by field name, never by an operation's, fragment's or
   * alias's name) is measured by graphql-js's own MaxIntrospectionDepthRule instead of depth and
   * cost, so Sandbox's introspection query passes; any other operation is measured in full, its
   * introspection parts included. Without introspection nothing is exempt, and `checkOperation`
   * refuses `__schema`/`__type` as Apollo Server does.
   */
  introspection?: boolean;
}

export const DEFAULT_OPERATION_LIMITS = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 1_000,
  // graphql-armor multiplies by a literal `first`: a feed page of 20 with its appeals costs about
  // 2,100, a page of 100 about 11,400 — page by 20 (docs/security.md).
  maxCost: 5_000,
} as const;

/**
 * A subgraph's own ceilings, a second line behind the gateway's limits for what reaches it past the
 * gateway anyway (a leaked secret, a credential seen on the wire): depth, aliases and tokens, the
 * cheap ones. Twice the gateway's, since the query the gateway plans for a subgraph is deeper and
 * longer than the client's: `_entities(…) { ... on T { … } }` around it (two levels: an inline
 * fragment counts as one), key fields and `__typename` added to each entity selection.
 */
export const SUBGRAPH_CEILINGS = {
  maxDepth: 2 * DEFAULT_OPERATION_LIMITS.maxDepth,
  maxAliases: 2 * DEFAULT_OPERATION_LIMITS.maxAliases,
  maxTokens: 2 * DEFAULT_OPERATION_LIMITS.maxTokens,
  maxCost: null,
  maxDirectives: null,
} as const satisfies OperationLimitsConfig;

/** Which limit refused an operation: `extensions.limit` of the error. */
export type LimitName = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost';

/** The codes a refusal carries: Apollo Server's own, so clients see one code per kind of failure. */
export const LIMIT_CODES = {
  /** Too many tokens: the document is refused while it is parsed. HTTP 400. */
  tokens: 'GRAPHQL_PARSE_FAILED',
  /** Every other limit: the document parsed but is refused by validation. HTTP 400. */
  depth: 'GRAPHQL_VALIDATION_FAILED',
  aliases: 'GRAPHQL_VALIDATION_FAILED',
  directives: 'GRAPHQL_VALIDATION_FAILED',
  cost: 'GRAPHQL_VALIDATION_FAILED',
} as const satisfies Record<LimitName, string>;

const MESSAGES: Record<LimitName, (maximum: number, found: number | undefined) => string> = {
  depth: (maximum, found) =>
    `Запрос слишком глубокий: вложенность полей ${found ?? 'больше допустимой'}, допускается не больше ${maximum}. Запросите вложенные данные отдельным запросом.`,
  aliases: (maximum, found) => `Слишком много псевдонимов полей (alias) в запросе: ${found ?? 'больше допустимого'}, допускается не больше ${maximum}.`,
  directives: (maximum, found) => `Слишком много директив в запросе: ${found ?? 'больше допустимого'}, допускается не больше ${maximum}.`,
  tokens: (maximum) => `Запрос слишком длинный: больше ${maximum} лексем. Разделите его на несколько запросов.`,
  cost: (maximum, found) =>
    `Запрос слишком сложный: стоимость ${found ?? 'больше допустимой'}, допускается не больше ${maximum}. Запросите меньше полей или меньше элементов в списках (first).`,
};

/** The refusal of one limit, as every transport reports it. */
export function limitError(limit: LimitName, maximum: number, found?: number, node?: OperationDefinitionNode): GraphQLError {
  return new GraphQLError(MESSAGES[limit](maximum, found), {
    ...(node ? { nodes: [node] } : {}),
    extensions: { code: LIMIT_CODES[limit], limit, maximum, ...(found === undefined ? {} : { found }) },
  });
}

/** The operation selects only introspection meta-fields (`__schema`, `__type`, `__typename`), and at least one of the first two. */
function isIntrospectionOnly(operation: OperationDefinitionNode, context: ValidationContext): boolean {
  let introspects = false;
  const seen = new Set<string>();
  const only = (selectionSet: SelectionSetNode): boolean =>
    selectionSet.selections.every((selection) => {
      if (selection.kind === Kind.FIELD) {
        // The field's own name: an alias (`__schema: me`) does not make a field introspection.
        const name = selection.name.value;
        if (name === '__schema' || name === '__type') introspects = true;
        return name === '__schema' || name === '__type' || name === '__typename';
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) return only(selection.selectionSet);
      const name = selection.name.value;
      if (seen.has(name)) return true;
      seen.add(name);
      const fragment = context.getFragment(name);
      return fragment ? only(fragment.selectionSet) : true;
    });
  return operation.operation === 'query' && only(operation.selectionSet) && introspects;
}

type ArmorRule = (options: {
  n?: number;
  maxCost?: number;
  ignoreIntrospection?: boolean;
  propagateOnRejection: boolean;
  onReject: ((context: ValidationContext | null, error: GraphQLError) => void)[];
}) => ValidationRule;

/**
 * One of graphql-armor's counting rules, reporting our refusal instead of its own. Its
 * `ignoreIntrospection` is never used: versions have been fooled by an operation or a fragment
 * *named* `__schema` (GHSA-hmfr-rx46-4jx2, GHSA-224p-v68g-5g8f); our exemption looks at fields only.
 */
function armorRule(limit: LimitName, maximum: number, rule: ArmorRule, exempt: (operation: OperationDefinitionNode, context: ValidationContext) => boolean): ValidationRule {
  const limitOption = limit === 'cost' ? { maxCost: maximum } : { n: maximum };
  return (context) => {
    let operation: OperationDefinitionNode | undefined;
    const armor = rule({
      ...limitOption,
      ...(limit === 'depth' || limit === 'cost' ? { ignoreIntrospection: false } : {}),
      propagateOnRejection: false,
      onReject: [
        (_context, error) => {
          // armor says "… exceeded, found 12." with exposeLimits (its default); a cost is fractional.
          const found = /found (\d+(?:\.\d+)?)/.exec(error.message)?.[1];
          context.reportError(limitError(limit, maximum, found === undefined ? undefined : Math.ceil(Number(found)), operation));
        },
      ],
    })(context) as ASTVisitor & { OperationDefinition: { enter: (node: OperationDefinitionNode) => void } };
    return {
      OperationDefinition: {
        enter(node) {
          if (exempt(node, context)) return;
          operation = node;
          armor.OperationDefinition.enter.call(armor, node);
        },
      },
    };
  };
}

/** A "Did you mean …?" would list the schema's fields to someone who cannot introspect it. */
function withoutSuggestions(error: GraphQLError): GraphQLError {
  const message = error.message.replace(/ ?Did you mean(.+?)\?$/, '');
  if (message !== error.message) error.message = message;
  return error;
}

/** Apollo Server's own rule when introspection is off (not exported by it): the same text and extension. */
const NoIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(
        new GraphQLError(
          'GraphQL introspection is not allowed by Apollo Server, but the query contained __schema or __type. To enable introspection, pass introspection: true to ApolloServer in production',
          { nodes: [node], extensions: { validationErrorCode: 'INTROSPECTION_DISABLED' } },
        ),
      );
    }
  },
});

const TOKEN_LIMIT_MESSAGE = /Document contains more tha[nt] (\d+) tokens/;

function countTokens(source: Source): number {
  const lexer = new Lexer(source);
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

export type PreparedOperation = { document: DocumentNode; errors: [] } | { document?: undefined; errors: GraphQLError[] };

export interface OperationLimits {
  /** For `new ApolloServer({ validationRules })`: depth, aliases, directives and cost. */
  validationRules: ValidationRule[];
  /** For `new ApolloServer({ parseOptions })`: the token limit, applied by graphql-js while it parses. */
  parseOptions: { maxTokens: number };
  /** For `new ApolloServer({ plugins })`: says a token refusal in words, hides field suggestions. */
  plugins: ApolloServerPlugin<BaseContext>[];
  /**
   * The same rules outside Apollo Server (subscription transports): the source text (parsed here
   * under the token limit) or a parsed document, checked with graphql-js's standard rules, the
   * limits, and no introspection unless it is on. Empty when the operation may run; otherwise
   * errors shaped like Apollo Server's (`extensions.code` `GRAPHQL_PARSE_FAILED` or
   * `GRAPHQL_VALIDATION_FAILED`, `extensions.limit` for a limit).
   */
  checkOperation(schema: GraphQLSchema, document: DocumentNode | string): GraphQLError[];
  /**
   * `checkOperation` for a transport that also needs the parsed document: parses the text once
   * (under the token limit) and gives the document only when it may run.
   */
  prepareOperation(schema: GraphQLSchema, document: DocumentNode | string): PreparedOperation;
  /** The limits in force. */
  config: Required<OperationLimitsConfig>;
}

export function operationLimits(config: OperationLimitsConfig = {}): OperationLimits {
  const limits: Required<OperationLimitsConfig> = {
    ...DEFAULT_OPERATION_LIMITS,
    introspection: !isProduction(),
    ...Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)),
  };
  const introspectionExempt = limits.introspection ? isIntrospectionOnly : () => false;
  const never = () => false;
  const validationRules: ValidationRule[] = [
    armorRule('depth', limits.maxDepth, maxDepthRule as ArmorRule, introspectionExempt),
    ...(limits.maxCost === null ? [] : [armorRule('cost', limits.maxCost, costLimitRule as ArmorRule, introspectionExempt)]),
    armorRule('aliases', limits.maxAliases, maxAliasesRule as ArmorRule, never),
    ...(limits.maxDirectives === null ? [] : [armorRule('directives', limits.maxDirectives, maxDirectivesRule as ArmorRule, never)]),
  ];

  /** graphql-js's token refusal, said as ours (the error is still Apollo Server's parse failure). */
  const explainTokenLimit = (error: GraphQLError): GraphQLError => {
    if (!TOKEN_LIMIT_MESSAGE.test(error.message)) return error;
    const ours = limitError('tokens', limits.maxTokens);
    error.message = ours.message;
    // Apollo Server copies these onto its GRAPHQL_PARSE_FAILED error; `code` stays its own.
    Object.assign(error, { extensions: { ...error.extensions, ...ours.extensions } });
    return error;
  };

  const plugin: ApolloServerPlugin<BaseContext> = {
    async requestDidStart() {
      return {
        async parsingDidStart() {
          return async (error) => {
            if (error instanceof GraphQLError) explainTokenLimit(error);
          };
        },
        async validationDidStart() {
          return async (errors) => {
            errors?.forEach((error) => {
              if (error instanceof GraphQLError) withoutSuggestions(error);
            });
          };
        },
      };
    },
  };

  const rules = [...specifiedRules, ...(limits.introspection ? [] : [NoIntrospection]), ...validationRules];

  function prepareOperation(schema: GraphQLSchema, input: DocumentNode | string): PreparedOperation {
    let document: DocumentNode;
    if (typeof input === 'string') {
      try {
        document = parse(input, { maxTokens: limits.maxTokens });
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        const parseError = explainTokenLimit(error);
        return { errors: [new GraphQLError(parseError.message, { source: parseError.source, positions: parseError.positions, extensions: { ...parseError.extensions, code: 'GRAPHQL_PARSE_FAILED' } })] };
      }
    } else {
      document = input;
      // Parsed elsewhere, perhaps without a limit: the token count still decides.
      if (countTokens(document.loc?.source ?? new Source(print(document))) > limits.maxTokens) return { errors: [limitError('tokens', limits.maxTokens)] };
    }
    const errors = validate(schema, document, rules).map((error) =>
      withoutSuggestions(
        error.extensions.code
          ? error
          : new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } }),
      ),
    );
    return errors.length ? { errors } : { document, errors: [] };
  }

  return {
    validationRules,
    parseOptions: { maxTokens: limits.maxTokens },
    plugins: [plugin],
    checkOperation: (schema, input) => prepareOperation(schema, input).errors,
    prepareOperation,
    config: limits,
  };
}
