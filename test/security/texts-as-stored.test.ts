import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, signIn } from '../fixtures.ts';
import { startGraph, type TestGraph } from '../graph.ts';

/**
 * The API returns a person's texts as they were stored, HTML and all: nothing is escaped or
 * stripped server-side, on purpose, so a client can rely on the exact text and must render it as
 * text, never as HTML (docs/security.md, "Texts people write"). Guards that no layer (the appeals
 * domain, the gateway, a formatter) starts rewriting them: a client escaping them again would show
 * `&amp;lt;` to the person.
 */

let graph: TestGraph;
let token: string;

beforeAll(async () => {
  graph = await startGraph();
  const person = await createPerson(graph, { level: 'CONFIRMED' });
  token = await signIn(graph, person.phone);
});
afterAll(() => graph?.stop());

const HOSTILE = `<script>alert("обращение")</script> <img src=x onerror='alert(1)'> &lt;b&gt; & "кавычки" «ёлочки» \\u003c
вторая строка\tс табуляцией`;

describe('Texts people write, through the gateway', () => {
  it('returns an appeal text with <script> byte for byte, in the raw JSON too', async () => {
    const submit = 'mutation ($i: AppealInput!) { submitAppeal(input: $i) { appeal { id text } errors { code } } }';
    const input = { topicId: 'roads.potholes', regionCode: '50', municipality: 'городской округ Химки', address: 'г. Химки, ул. Молодёжная, 8', text: HOSTILE };
    const submitted = await graph.request(submit, { token, variables: { i: input } });
    expect(submitted.body.data.submitAppeal.errors).toEqual([]);
    const { id, text } = submitted.body.data.submitAppeal.appeal;
    expect(Buffer.from(text)).toEqual(Buffer.from(HOSTILE));

    const response = await fetch(graph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'query ($id: ID!) { appeal(id: $id) { text } }', variables: { id } }),
    });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const raw = await response.text();
    // JSON's own escaping only (quotes, backslash, newline, tab): `<` is not turned into `\u003c` or `&lt;`.
    expect(raw).toContain(JSON.stringify(HOSTILE));
    expect(Buffer.from(JSON.parse(raw).data.appeal.text)).toEqual(Buffer.from(HOSTILE));
  });
});
