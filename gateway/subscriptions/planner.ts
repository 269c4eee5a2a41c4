import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { Supergraph, operationFromDocument, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import { GraphQLError, print } from './graphql.ts';

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

/** What executing a plan needs of the supergraph it was planned over. */
export interface PlanningSchemas {
  /** The API schema as graphql-js sees it (the gateway's own, from `onSchemaLoadOrUpdate`): validation. */
  schema: GraphQLSchema;
  /** The supergraph schema: data rewrites and type conditions during execution. */
  supergraphSchema: GraphQLSchema;
  /** The API schema as the planner sees it: result shaping. */
  apiSchema: Schema;
}

const PLAN_CACHE_SIZE = 500;

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

/**
 * The gateway's own planner, rebuilt from the supergraph SDL each time `@apollo/gateway` loads or
 * updates it (the same SDL and the same @apollo/query-planner version the gateway plans queries
 * with), used only for subscriptions, which the gateway's executor refuses.
 */
export class SubscriptionPlanner {
  private current: (PlanningSchemas & { planner: QueryPlanner; plans: Map<string, SubscriptionPlan> }) | null = null;

  /** `schema` is the API schema the gateway validates queries against; the planner is built from `supergraphSdl`. */
  update(supergraphSdl: string, schema: GraphQLSchema): void {
    const supergraph = Supergraph.build(supergraphSdl);
    this.current = {
      schema,
      supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
      apiSchema: supergraph.apiSchema(),
      planner: new QueryPlanner(supergraph),
      plans: new Map(),
    };
  }

  get ready(): boolean {
    return this.current !== null;
  }

  schemas(): PlanningSchemas {
    if (!this.current) throw new Error('the supergraph is not loaded yet');
    return this.current;
  }

  /** Plans a validated subscription operation; plans are cached by the operation's text. */
  plan(document: DocumentNode, operation: OperationDefinitionNode): SubscriptionPlan {
    const current = this.current;
    if (!current) throw new GraphQLError('Шлюз ещё загружает схему. Подключитесь снова через несколько секунд.', { extensions: { code: 'SERVICE_UNAVAILABLE' } });
    const operationName = operation.name?.value;
    const key = `${operationName ?? ''}\n${print(document)}`;
    const cached = current.plans.get(key);
    if (cached) return cached;
    const plan = current.planner.buildQueryPlan(operationFromDocument(current.apiSchema, document, { operationName }));
    const node = plan.node;
    if (node?.kind !== 'Subscription') throw new GraphQLError('Операция не является подпиской.', { extensions: { code: 'BAD_USER_INPUT' } });
    const rest = node.rest ? (node.rest.kind === 'Sequence' ? node.rest.nodes : [node.rest]) : [];
    const planned: SubscriptionPlan = {
      primary: node.primary,
      plan: { kind: 'QueryPlan', node: { kind: 'Sequence', nodes: [node.primary, ...rest] } },
      entityServices: [...servicesOf(node.rest)],
    };
    if (current.plans.size >= PLAN_CACHE_SIZE) current.plans.delete(current.plans.keys().next().value!);
    current.plans.set(key, planned);
    return planned;
  }
}
