import { createHash } from 'node:crypto';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { Supergraph, operationFromDocument, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import { print } from '../../lib/live/graphql.ts';
import { graphQLError } from '../../lib/errors.ts';

/**
 * A subscription planned over the supergraph: `primary` is the fetch the owning subgraph serves as
 * a subscription (its root field and what that subgraph resolves of the selection); `plan` is what
 * runs for each of its events, `Sequence[primary, ...rest]`, where `rest` fetches the entity fields
 * other subgraphs own (docs/subscriptions.md, "Planning and execution").
 */
export interface SubscriptionPlan {
  primary: FetchNode;
  plan: QueryPlan;
  /** Subgraphs `rest` calls for each event (empty when the owning subgraph resolves everything). */
  entityServices: string[];
}

/**
 * One supergraph as loaded, with everything planned over it: a stream keeps the generation it was
 * planned with and executes every event with it, never a plan of one supergraph with the schemas
 * of another (a supergraph change ends the streams instead, `LIVE_ENDS.schemaChanged`).
 */
export interface PlanningSchemas {
  /** The API schema as graphql-js sees it (the gateway's own, from `onSchemaLoadOrUpdate`): validation. */
  schema: GraphQLSchema;
  /** The supergraph schema: data rewrites and type conditions during execution. */
  supergraphSchema: GraphQLSchema;
  /** The API schema as the planner sees it: result shaping. */
  apiSchema: Schema;
  /** The supergraph SDL's SHA-256, as Apollo Server's `schemaHash`. */
  hash: string;
  /** Plans a validated subscription operation over this supergraph; plans are cached by the operation's text. */
  plan(document: DocumentNode, operation: OperationDefinitionNode): SubscriptionPlan;
}

const PLAN_CACHE_SIZE = 500;

/** What a subscription gets while the gateway has no supergraph yet. */
export const LOADING = 'Шлюз ещё загружает схему. Подключитесь снова через несколько секунд.';

function servicesOf(node: PlanNode | undefined, into = new Set<string>()): Set<string> {
  if (!node) return into;
  switch (node.kind) {
    case 'Fetch':
      into.add(node.serviceName);
      break;
    case 'Sequence':
    case 'Parallel':
      node.nodes.forEach((child) => servicesOf(child, into));
      break;
    case 'Flatten':
      servicesOf(node.node, into);
      break;
    case 'Condition':
      servicesOf(node.ifClause, into);
      servicesOf(node.elseClause, into);
      break;
    case 'Defer':
      servicesOf(node.primary.node, into);
      node.deferred.forEach((deferred) => servicesOf(deferred.node, into));
      break;
  }
  return into;
}

/** Plans over one supergraph, cached by the operation's text. */
function generation(supergraphSdl: string, schema: GraphQLSchema): PlanningSchemas {
  const supergraph = Supergraph.build(supergraphSdl);
  const apiSchema = supergraph.apiSchema();
  const planner = new QueryPlanner(supergraph);
  const plans = new Map<string, SubscriptionPlan>();
  return {
    schema,
    supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
    apiSchema,
    hash: createHash('sha256').update(supergraphSdl).digest('hex'),
    plan(document, operation) {
      const operationName = operation.name?.value;
      const key = `${operationName ?? ''}\n${print(document)}`;
      const cached = plans.get(key);
      if (cached) return cached;
      const plan = planner.buildQueryPlan(operationFromDocument(apiSchema, document, { operationName }));
      const node = plan.node;
      if (node?.kind !== 'Subscription') throw graphQLError('BAD_USER_INPUT', 'Операция не является подпиской.');
      const rest = node.rest ? (node.rest.kind === 'Sequence' ? node.rest.nodes : [node.rest]) : [];
      const planned: SubscriptionPlan = {
        primary: node.primary,
        plan: { kind: 'QueryPlan', node: { kind: 'Sequence', nodes: [node.primary, ...rest] } },
        entityServices: [...servicesOf(node.rest)],
      };
      if (plans.size >= PLAN_CACHE_SIZE) plans.delete(plans.keys().next().value!);
      plans.set(key, planned);
      return planned;
    },
  };
}

/**
 * The gateway's own planner, rebuilt from the supergraph SDL each time `@apollo/gateway` loads or
 * updates it (the same SDL and the same @apollo/query-planner version the gateway plans queries
 * with), used only for subscriptions, which the gateway's executor refuses.
 */
export class SubscriptionPlanner {
  private current: PlanningSchemas | null = null;
  private sdl: string | null = null;

  /**
   * `schema` is the API schema the gateway validates queries against; the planner is built from
   * `supergraphSdl`. True when it replaced another supergraph (the open streams must end).
   */
  update(supergraphSdl: string, schema: GraphQLSchema): boolean {
    if (supergraphSdl === this.sdl) return false;
    const replaced = this.current !== null;
    this.current = generation(supergraphSdl, schema);
    this.sdl = supergraphSdl;
    return replaced;
  }

  get ready(): boolean {
    return this.current !== null;
  }

  /** The supergraph loaded now: what a new subscription is validated, planned and executed with. */
  schemas(): PlanningSchemas {
    if (!this.current) throw graphQLError('SERVICE_UNAVAILABLE', LOADING);
    return this.current;
  }

  /** Plans over the supergraph loaded now. */
  plan(document: DocumentNode, operation: OperationDefinitionNode): SubscriptionPlan {
    return this.schemas().plan(document, operation);
  }
}
