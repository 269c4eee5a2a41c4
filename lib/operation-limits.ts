import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  Lexer,
  parse,
  print,
  SchemaMetaFieldDef,
  Source,
  specifiedRules,
  TokenKind,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  validate,
  valueFromASTUntyped,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { pageSizeMessage } from './connection.ts';
import { isProduction } from './config.ts';
import { graphQLError, type GraphQLErrorCode } from './errors.ts';

/**
 * What an operation may be, in one place: the same limits for queries and mutations through Apollo
 * Server (`validationRules`, `parseOptions`, `plugins`) and for subscriptions on their own transports
 * (`prepareOperation` and `checkRequest`). Depth, aliases and directives are counted by
 * graphql-armor (pinned versions, see package.json); the cost is ours, since it needs the request's
 * variables and the supergraph's list sizes. The refusals are ours, so a client gets one stable
 * shape whatever the transport. docs/security.md.
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
  /**
   * The cost of what the operation asks for, with the request's variables: an object field 2, a
   * scalar 1 unless the supergraph weighs it otherwise (`@cost`), ×1.5 per level of nesting
   * (graphql-armor's weights), × the size of each list; a connection's `edges`, `pageInfo` and an
   * edge's `node` weigh 0 and add no level (`connectionWrappers`); null:
   * not counted (a subgraph's ceilings: its lists are capped by its own resolvers).
   */
  maxCost?: number | null;
  /** How long each list may be, as the supergraph declares it (`supergraphListSizes`). */
  listSizes?: ListSizes;
  /** What a field weighs where the supergraph says otherwise than the default (`supergraphWeights`). */
  weights?: FieldWeights;
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
  // The largest screens: a feed page of 100 with a dozen fields per item costs 3,268, the
  // dashboard with 10 appeals 2,526; a page of 100 in each of 100 pages (notifications → appeal →
  // author → appeals) 78,080. Why not lower: docs/security.md ("The limit").
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
} as const satisfies Record<LimitName, GraphQLErrorCode>;

const MESSAGES: Record<LimitName, (maximum: number, found: number | undefined) => string> = {
  depth: (maximum, found) => `Запрос слишком глубокий: вложенность полей ${found ?? 'больше допустимой'}, допускается не больше ${maximum}. Запросите вложенные данные отдельным запросом.`,
  aliases: (maximum, found) => `Слишком много псевдонимов полей (alias) в запросе: ${found ?? 'больше допустимого'}, допускается не больше ${maximum}.`,
  directives: (maximum, found) => `Слишком много директив в запросе: ${found ?? 'больше допустимого'}, допускается не больше ${maximum}.`,
  tokens: (maximum) => `Запрос слишком длинный: больше ${maximum} лексем. Разделите его на несколько запросов.`,
  cost: (maximum, found) => `Запрос слишком сложный: стоимость ${found ?? 'больше допустимой'}, допускается не больше ${maximum}. Запросите меньше полей или меньше элементов в списках (first).`,
};

/** The refusal of one limit, as every transport reports it. */
export function limitError(limit: LimitName, maximum: number, found?: number, node?: OperationDefinitionNode): GraphQLError {
  return new GraphQLError(MESSAGES[limit](maximum, found), {
    ...(node ? { nodes: [node] } : {}),
    extensions: { code: LIMIT_CODES[limit], limit, maximum, ...(found === undefined ? {} : { found }) },
  });
}

type FragmentLookup = (name: string) => FragmentDefinitionNode | null | undefined;

/** The operation selects only introspection meta-fields (`__schema`, `__type`, `__typename`), and at least one of the first two. */
function isIntrospectionOnly(operation: OperationDefinitionNode, getFragment: FragmentLookup): boolean {
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
      const fragment = getFragment(name);
      return fragment ? only(fragment.selectionSet) : true;
    });
  return operation.operation === 'query' && only(operation.selectionSet) && introspects;
}

type ArmorRule = (options: { n?: number; ignoreIntrospection?: boolean; propagateOnRejection: boolean; onReject: ((context: ValidationContext | null, error: GraphQLError) => void)[] }) => ValidationRule;

/**
 * One of graphql-armor's counting rules, reporting our refusal instead of its own. Its
 * `ignoreIntrospection` is never used: versions have been fooled by an operation or a fragment
 * *named* `__schema` (GHSA-hmfr-rx46-4jx2, GHSA-224p-v68g-5g8f); our exemption looks at fields only.
 */
function armorRule(limit: Exclude<LimitName, 'tokens' | 'cost'>, maximum: number, rule: ArmorRule, exempt: (operation: OperationDefinitionNode, getFragment: FragmentLookup) => boolean): ValidationRule {
  return (context) => {
    let operation: OperationDefinitionNode | undefined;
    const armor = rule({
      n: maximum,
      ...(limit === 'depth' ? { ignoreIntrospection: false } : {}),
      propagateOnRejection: false,
      onReject: [
        (_context, error) => {
          // armor says "… exceeded, found 12." with exposeLimits (its default).
          const found = /found (\d+)/.exec(error.message)?.[1];
          context.reportError(limitError(limit, maximum, found === undefined ? undefined : Number(found), operation));
        },
      ],
    })(context) as ASTVisitor & { OperationDefinition: { enter: (node: OperationDefinitionNode) => void } };
    return {
      OperationDefinition: {
        enter(node) {
          if (exempt(node, (name) => context.getFragment(name))) return;
          operation = node;
          armor.OperationDefinition.enter.call(armor, node);
        },
      },
    };
  };
}

/**
 * How long a list may be, from `@listSize` in the subgraph SDLs (Apollo's demand-control
 * directive, composed into the supergraph): `slicingArguments` give the size (`first`), and
 * `assumedSize` is the size when none is given and the most one may ask for; `sizedFields` are the
 * children the size applies to (a connection's `edges`).
 */
export interface ListSize {
  assumedSize: number | null;
  slicingArguments: readonly string[];
  sizedFields: readonly string[];
}

/** List sizes by field coordinate (`User.notifications`). */
export type ListSizes = ReadonlyMap<string, ListSize>;

/** A list the supergraph says nothing about is costed as the largest page, never as 1 (test/schema.test.ts wants every list declared). */
const UNDECLARED_LIST_SIZE = 100;

/** The `@listSize` of every field of the supergraph (the API schema the gateway executes on drops them). */
export function supergraphListSizes(supergraphSdl: string): ListSizes {
  return new Map(
    [...supergraphFieldDirectives(supergraphSdl, 'listSize')].map(([coordinate, args]) => [
      coordinate,
      {
        assumedSize: typeof args.assumedSize === 'number' ? args.assumedSize : null,
        slicingArguments: (args.slicingArguments as string[] | undefined) ?? [],
        sizedFields: (args.sizedFields as string[] | undefined) ?? [],
      },
    ]),
  );
}

/**
 * What a field weighs, by field coordinate, where `@cost(weight:)` in the subgraph SDLs (Apollo's
 * demand-control directive, composed into the supergraph) says otherwise than the default. Reference
 * data (the rubricator, the authorities) weighs 0: it is read once per request however many items
 * name it (docs/security.md, "Weights").
 */
export type FieldWeights = ReadonlyMap<string, number>;

/** The arguments of one directive on each field of the supergraph, by field coordinate. */
function supergraphFieldDirectives(supergraphSdl: string, directiveName: string): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (!('fields' in definition) || !definition.fields || definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || definition.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields) {
      const directive = field.directives?.find((candidate) => candidate.name.value === directiveName);
      if (directive) found.set(`${definition.name.value}.${field.name.value}`, Object.fromEntries((directive.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value)])));
    }
  }
  return found;
}

/** The `@cost` of every field of the supergraph (the API schema the gateway executes on drops them). */
export function supergraphWeights(supergraphSdl: string): FieldWeights {
  return new Map([...supergraphFieldDirectives(supergraphSdl, 'cost')].map(([coordinate, args]) => [coordinate, Number(args.weight)]));
}

/** What an operation is sent with: its name and variables, as they came. */
export interface OperationRequest {
  operationName?: string | null | undefined;
  variables?: Record<string, unknown> | null | undefined;
}

/** graphql-armor's weights; `@cost` overrides them field by field. */
const OBJECT_COST = 2;
const SCALAR_COST = 1;
const DEPTH_FACTOR = 1.5;

/**
 * The fields of Relay connections that only wrap what a page holds: a connection's `edges` and
 * `pageInfo`, an edge's `node`. They add no level and weigh nothing (unless `@cost` says otherwise),
 * so what a page's items select is one level below the connection field, as in a plain list; the
 * size of the page still multiplies `edges` once. By coordinate (`NotificationConnection.edges`,
 * `NotificationEdge.node`), found by shape: an object type named `…Connection` whose `edges` is a
 * list of an object type with a `node` field.
 */
function connectionWrappers(schema: GraphQLSchema): ReadonlySet<string> {
  const found = wrappersBySchema.get(schema);
  if (found) return found;
  const wrappers = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || !type.name.endsWith('Connection')) continue;
    const edges = type.getFields().edges;
    const edgeList = edges && getNullableType(edges.type);
    const edge = isListType(edgeList) ? getNamedType(edgeList) : undefined;
    if (!isObjectType(edge) || !edge.getFields().node) continue;
    wrappers.add(`${type.name}.edges`).add(`${edge.name}.node`);
    if (type.getFields().pageInfo) wrappers.add(`${type.name}.pageInfo`);
  }
  wrappersBySchema.set(schema, wrappers);
  return wrappers;
}
/** Found once per schema: the gateway's schema changes only with the supergraph. */
const wrappersBySchema = new WeakMap<GraphQLSchema, ReadonlySet<string>>();

/** A slicing argument over the declared size: the subgraph would refuse it the same way (lib/connection.ts `pageSize`). */
function pageSizeError(argument: string, maximum: number, node: FieldNode): GraphQLError {
  return graphQLError('BAD_USER_INPUT', pageSizeMessage(argument, maximum), { nodes: [node], extensions: { argument, maximum } });
}

/**
 * The cost of one operation with its variables (coerced as execution will coerce them). A
 * slicing argument counts with its value, whether literal, variable or default; a list without
 * one counts its assumed size. Fragments count as what they select, wherever they are spread.
 */
function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  listSizes: ListSizes,
  weights: FieldWeights,
): { cost: number } | { error: GraphQLError } {
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])));
  const fragmentCosts = new Map<string, number>();
  const wrappers = connectionWrappers(schema);
  let refusal: GraphQLError | undefined;

  /** The list's size from its slicing arguments, or its assumed size; a slicing argument over the assumed size is refused. */
  const sizeOf = (declared: ListSize | undefined, field: GraphQLField<unknown, unknown>, node: FieldNode): number => {
    if (!declared) return UNDECLARED_LIST_SIZE;
    const maximum = declared.assumedSize ?? UNDECLARED_LIST_SIZE;
    if (!declared.slicingArguments.length) return maximum;
    const args = getArgumentValues(field, node, variables);
    const given = declared.slicingArguments.map((name) => [name, args[name]] as const).filter(([, value]) => typeof value === 'number') as [string, number][];
    for (const [argument, value] of given) if (value < 0 || value > maximum) refusal ??= pageSizeError(argument, maximum, node);
    return given.length ? Math.max(...given.map(([, value]) => value)) : maximum;
  };

  const fieldDefinition = (parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined => {
    if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
    if (parent === schema.getQueryType() && name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (parent === schema.getQueryType() && name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    return 'getFields' in parent ? parent.getFields()[name] : undefined;
  };

  /** `sized`: the size a parent's `@listSize(sizedFields:)` gives to some of these fields. */
  const selectionCost = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, sized: { fields: readonly string[]; size: number } | null): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = fieldDefinition(parent, selection.name.value);
        if (!field) continue; // validation has refused it already
        const coordinate = `${parent.name}.${field.name}`;
        const declared = listSizes.get(coordinate);
        const weight = weights.get(coordinate);
        const size = sized?.fields.includes(field.name) ? sized.size : isListType(getNullableType(field.type)) ? sizeOf(declared, field, selection) : 1;
        const type = getNamedType(field.type);
        if (!selection.selectionSet || !isCompositeType(type)) {
          cost += size * (weight ?? SCALAR_COST);
          continue;
        }
        const childSized = declared?.sizedFields.length ? { fields: declared.sizedFields, size: sizeOf(declared, field, selection) } : null;
        const children = selectionCost(selection.selectionSet, type, childSized);
        cost += size * (wrappers.has(coordinate) ? (weight ?? 0) + children : (weight ?? OBJECT_COST) + DEPTH_FACTOR * children);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) cost += selectionCost(selection.selectionSet, type, sized);
      } else {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (!fragment || !type || !isCompositeType(type)) continue;
        // Spread again and again, a fragment is costed once per context: the walk stays linear.
        const key = `${fragment.name.value} ${sized ? `${sized.size} ${sized.fields.join()}` : ''}`;
        let fragmentCost = fragmentCosts.get(key);
        if (fragmentCost === undefined) fragmentCosts.set(key, (fragmentCost = selectionCost(fragment.selectionSet, type, sized)));
        cost += fragmentCost;
      }
    }
    return cost;
  };

  const root = schema.getRootType(operation.operation);
  const cost = root ? selectionCost(operation.selectionSet, root, null) : 0;
  return refusal ? { error: refusal } : { cost };
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
        new GraphQLError('GraphQL introspection is not allowed by Apollo Server, but the query contained __schema or __type. To enable introspection, pass introspection: true to ApolloServer in production', {
          nodes: [node],
          extensions: { validationErrorCode: 'INTROSPECTION_DISABLED' },
        }),
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
  /** For `new ApolloServer({ validationRules })`: depth, aliases and directives. */
  validationRules: ValidationRule[];
  /** For `new ApolloServer({ parseOptions })`: the token limit, applied by graphql-js while it parses. */
  parseOptions: { maxTokens: number };
  /**
   * For `new ApolloServer({ plugins })`: says a token refusal in words, hides field suggestions,
   * and checks the cost once the operation and its variables are known (`checkRequest`), HTTP 400.
   */
  plugins: ApolloServerPlugin<BaseContext>[];
  /**
   * The same rules outside Apollo Server (subscription transports): the source text (parsed here
   * under the token limit) or a parsed document, checked with graphql-js's standard rules, the
   * limits, and no introspection unless it is on, then `checkRequest` with the request's variables.
   * Empty when the operation may run; otherwise errors shaped like Apollo Server's
   * (`extensions.code` `GRAPHQL_PARSE_FAILED` or `GRAPHQL_VALIDATION_FAILED`, `extensions.limit`
   * for a limit).
   */
  checkOperation(schema: GraphQLSchema, document: DocumentNode | string, request?: OperationRequest): GraphQLError[];
  /**
   * What depends on the document alone, for a transport that also needs the parsed document and
   * may keep it for the next request of the same text: parses the text once (under the token
   * limit) and gives the document only when it may run. The cost is `checkRequest`'s.
   */
  prepareOperation(schema: GraphQLSchema, document: DocumentNode | string): PreparedOperation;
  /**
   * What depends on the request: the cost of the operation it names with its variables
   * (`GRAPHQL_VALIDATION_FAILED`, `extensions.limit: 'cost'`), and a slicing argument over its
   * list's maximum (`BAD_USER_INPUT`, `extensions.maximum`). Empty when it may run; also when the
   * operation or its variables are wrong, which execution refuses in its own words.
   */
  checkRequest(schema: GraphQLSchema, document: DocumentNode, request: OperationRequest): GraphQLError[];
  /** The limits in force. */
  config: Required<OperationLimitsConfig>;
}

export function operationLimits(config: OperationLimitsConfig = {}): OperationLimits {
  const limits: Required<OperationLimitsConfig> = {
    ...DEFAULT_OPERATION_LIMITS,
    introspection: !isProduction(),
    listSizes: new Map(),
    weights: new Map(),
    ...Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)),
  };
  const introspectionExempt = limits.introspection ? isIntrospectionOnly : () => false;
  const never = () => false;
  const validationRules: ValidationRule[] = [
    armorRule('depth', limits.maxDepth, maxDepthRule as ArmorRule, introspectionExempt),
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
        // Validation rules never see the variables: `first: $n` is costed here, where they are known.
        async didResolveOperation({ schema, document, request }) {
          const [refusal] = checkRequest(schema, document, request);
          if (refusal) throw new GraphQLError(refusal.message, { nodes: refusal.nodes, extensions: { ...refusal.extensions, http: { status: 400 } } });
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
        return { errors: [graphQLError('GRAPHQL_PARSE_FAILED', parseError.message, { source: parseError.source, positions: parseError.positions, extensions: parseError.extensions })] };
      }
    } else {
      document = input;
      // Parsed elsewhere, perhaps without a limit: the token count still decides.
      if (countTokens(document.loc?.source ?? new Source(print(document))) > limits.maxTokens) return { errors: [limitError('tokens', limits.maxTokens)] };
    }
    const errors = validate(schema, document, rules).map((error) =>
      withoutSuggestions(error.extensions.code ? error : graphQLError('GRAPHQL_VALIDATION_FAILED', error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: error.extensions })),
    );
    return errors.length ? { errors } : { document, errors: [] };
  }

  function checkRequest(schema: GraphQLSchema, document: DocumentNode, request: OperationRequest): GraphQLError[] {
    const { maxCost } = limits;
    if (maxCost === null) return [];
    const operation = getOperationAST(document, request.operationName ?? undefined);
    if (!operation) return [];
    const getFragment: FragmentLookup = (name) => document.definitions.find((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === name);
    if (introspectionExempt(operation, getFragment)) return [];
    const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
    if (variables.errors) return [];
    const measured = operationCost(schema, document, operation, variables.coerced, limits.listSizes, limits.weights);
    if ('error' in measured) return [measured.error];
    return measured.cost > maxCost ? [limitError('cost', maxCost, Math.ceil(measured.cost), operation)] : [];
  }

  return {
    validationRules,
    parseOptions: { maxTokens: limits.maxTokens },
    plugins: [plugin],
    checkOperation: (schema, input, request = {}) => {
      const prepared = prepareOperation(schema, input);
      return prepared.document ? checkRequest(schema, prepared.document, request) : prepared.errors;
    },
    prepareOperation,
    checkRequest,
    config: limits,
  };
}
