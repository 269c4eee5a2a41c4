import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { invalidDocuments, schemaChanges } from './check-changes.ts';

/** The paths of the changes from `before` to `after`, by how the check takes them. */
async function sorted(before: string, after: string) {
  const changes = await schemaChanges(buildSchema(before), buildSchema(after));
  const paths = (list: { path?: string }[]) => [...new Set(list.map((change) => change.path))].sort();
  return { refused: paths(changes.refused), deprecatedFirst: paths(changes.deprecatedFirst), others: paths(changes.others) };
}

const BASE = `
  type Query { appeal(id: ID!, number: String): Appeal, appeals: [Appeal!]! }
  type Appeal { id: ID!, text: String!, status: Status! }
  enum Status { DRAFT, SUBMITTED, ANSWERED }
  input AppealInput { text: String!, topic: String }
`;

/** BASE without `appeal(number:)`, `Appeal.text`, `Status.ANSWERED`, `AppealInput.topic`, and with `status` nullable. */
const TRIMMED = `
  type Query { appeal(id: ID!): Appeal, appeals: [Appeal!]! }
  type Appeal { id: ID!, status: Status }
  enum Status { DRAFT, SUBMITTED }
  input AppealInput { text: String! }
`;

describe('A schema change is refused when it breaks what was not deprecated first', () => {
  it('refuses removing a field, an enum value, an argument or an input field, and changing a field type', async () => {
    expect(await sorted(BASE, TRIMMED)).toEqual({ refused: ['Appeal.status', 'Appeal.text', 'AppealInput.topic', 'Query.appeal.number', 'Status.ANSWERED'], deprecatedFirst: [], others: [] });
  });

  it('lets the same go once each was @deprecated in the old schema', async () => {
    const deprecated = `
      type Query { appeal(id: ID!, number: String @deprecated(reason: "id")): Appeal, appeals: [Appeal!]! }
      type Appeal { id: ID!, text: String! @deprecated(reason: "body"), status: Status! @deprecated(reason: "state") }
      enum Status { DRAFT, SUBMITTED, ANSWERED @deprecated(reason: "closed") }
      input AppealInput { text: String!, topic: String @deprecated(reason: "topicId") }
    `;
    expect(await sorted(deprecated, TRIMMED)).toMatchObject({ refused: [], deprecatedFirst: ['Appeal.status', 'Appeal.text', 'AppealInput.topic', 'Query.appeal.number', 'Status.ANSWERED'] });
  });

  it('refuses removing a type a live field returns, lets it go when only deprecated fields did', async () => {
    const withDraft = (deprecation: string) => `${BASE} extend type Query { draft: Draft ${deprecation} } type Draft { id: ID! }`;
    expect(await sorted(withDraft(''), BASE)).toEqual({ refused: ['Draft', 'Query.draft'], deprecatedFirst: [], others: [] });
    expect(await sorted(withDraft('@deprecated(reason: "appeal")'), BASE)).toEqual({ refused: [], deprecatedFirst: ['Draft', 'Query.draft'], others: [] });
  });

  it('passes safe changes: a new field, a new optional argument, a deprecation', async () => {
    expect(await sorted(BASE, BASE.replace('appeals: [Appeal!]!', 'appeals(first: Int): [Appeal!]! @deprecated(reason: "feed"), feed: [Appeal!]!'))).toEqual({
      refused: [],
      deprecatedFirst: [],
      others: ['Query.appeals.@deprecated', 'Query.appeals.@deprecated.reason', 'Query.appeals.first', 'Query.feed'],
    });
  });
});

describe("The cabinet's documents against the new schema", () => {
  it('names each invalid one; a deprecated field still validates', () => {
    const schema = buildSchema(BASE.replace('text: String!', 'text: String! @deprecated(reason: "body")'));
    expect(invalidDocuments(schema, ['query Appeal {\n  appeal(id: "1") { text status }\n}', 'query Gone {\n  appeal(id: "1") { author }\n}', 'query Broken {'])).toEqual([
      'query Gone {: Cannot query field "author" on type "Appeal".',
      expect.stringMatching(/^query Broken {: Syntax Error/),
    ]);
  });

  it('validates each document on its own: two that carry the same fragment are both valid', () => {
    const card = 'fragment Card on Appeal { status }';
    expect(invalidDocuments(buildSchema(BASE), [`query A { appeal(id: "1") { ...Card } } ${card}`, `query B { appeal(id: "2") { ...Card text } } ${card}`])).toEqual([]);
  });
});
