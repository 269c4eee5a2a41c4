/**
 * The appeal form: a topic from the rubricator, the place, the text, and before sending, where it
 * would go and why (`previewAppealRouting`, the same checks as `submitAppeal`).
 */
import { useLazyQuery, useMutation, useQuery } from '@apollo/client';
import { useEffect, useState } from 'react';
import { REGIONS } from '../../../subgraphs/appeals/reference-data.ts';
import { graphql } from '../generated/gql.ts';
import type { TopicsQuery } from '../generated/graphql.ts';
import { go } from '../parts/route.ts';
import { ROUTING_REASON } from '../parts/labels.ts';
import { submitted } from '../parts/submitted.ts';
import { UserErrors } from '../parts/UserErrors.tsx';

const Topics = graphql(`
  query Topics {
    topics {
      id
      name
      children {
        id
        name
      }
    }
  }
`);

const PreviewRouting = graphql(`
  query PreviewAppealRouting($input: PreviewAppealRoutingInput!) {
    previewAppealRouting(input: $input) {
      routing {
        reason
        explanation
        authority {
          id
          name
        }
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const SubmitAppeal = graphql(`
  mutation SubmitAppeal($input: AppealInput!) {
    submitAppeal(input: $input) {
      appeal {
        id
        number
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

interface Place {
  topicId: string;
  regionCode: string;
  municipality: string;
  address: string;
}

export function NewAppeal() {
  const [place, setPlace] = useState<Place>({ topicId: '', regionCode: '50', municipality: '', address: '' });
  const [text, setText] = useState('');
  const [submit, sending] = useMutation(SubmitAppeal, { refetchQueries: ['MyAppeals'] });
  const input = { ...place, municipality: place.municipality || null, address: place.address || null };

  const send = submitted(async () => {
    const result = await submit({ variables: { input: { ...input, text } } });
    if (result.data?.submitAppeal.appeal) go('appeals');
  });

  return (
    <form className="card wide" onSubmit={send} aria-label="Новое обращение">
      <h1>Новое обращение</h1>
      <TopicPicker value={place.topicId} onChange={(topicId) => setPlace({ ...place, topicId })} />
      <PlaceFields place={place} onChange={setPlace} />
      <label>
        Текст обращения
        <textarea name="text" rows={5} value={text} onChange={(event) => setText(event.target.value)} required />
      </label>
      {place.topicId && <RoutingPreview input={input} />}
      <UserErrors errors={sending.data?.submitAppeal.errors} failure={sending.error} />
      <button disabled={sending.loading}>Отправить</button>
    </form>
  );
}

/** The rubricator: sections, and the topics within them. */
function TopicPicker({ value, onChange }: { value: string; onChange: (topicId: string) => void }) {
  const { data } = useQuery(Topics);
  const sections: TopicsQuery['topics'] = data?.topics ?? [];
  return (
    <label>
      Тема
      <select name="topic" value={value} onChange={(event) => onChange(event.target.value)} required>
        <option value="">Выберите тему</option>
        {sections.map((section) => (
          <optgroup key={section.id} label={section.name}>
            {section.children.map((topic) => (
              <option key={topic.id} value={topic.id}>
                {topic.name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}

/** Region, municipality and address; the regions and their places are the appeals' reference data. */
function PlaceFields({ place, onChange }: { place: Place; onChange: (place: Place) => void }) {
  const region = REGIONS.find((candidate) => candidate.code === place.regionCode);
  return (
    <div className="row">
      <label>
        Регион
        <select name="region" value={place.regionCode} onChange={(event) => onChange({ ...place, regionCode: event.target.value, municipality: '' })}>
          {REGIONS.map((candidate) => (
            <option key={candidate.code} value={candidate.code}>
              {candidate.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Муниципалитет
        <select name="municipality" value={place.municipality} onChange={(event) => onChange({ ...place, municipality: event.target.value })}>
          <option value="">Весь регион</option>
          {region?.municipalities.map((municipality) => (
            <option key={municipality} value={municipality}>
              {municipality}
            </option>
          ))}
        </select>
      </label>
      <label>
        Адрес
        <input name="address" value={place.address} onChange={(event) => onChange({ ...place, address: event.target.value })} placeholder="г. Химки, ул. Молодёжная, 8" />
      </label>
    </div>
  );
}

function RoutingPreview({ input }: { input: Omit<Place, 'municipality' | 'address'> & { municipality: string | null; address: string | null } }) {
  const [preview, { data }] = useLazyQuery(PreviewRouting);
  const key = JSON.stringify(input);
  useEffect(() => {
    const timer = setTimeout(() => void preview({ variables: { input: JSON.parse(key) as typeof input } }), 300);
    return () => clearTimeout(timer);
  }, [key, preview]);
  const answer = data?.previewAppealRouting;
  if (!answer) return null;
  return (
    <aside className="preview" data-testid="routing-preview" aria-label="Куда уйдёт обращение">
      {answer.routing ? (
        <>
          <p>
            Обращение получит <strong>{answer.routing.authority.name}</strong> ({ROUTING_REASON[answer.routing.reason]}).
          </p>
          <p className="muted">{answer.routing.explanation}</p>
        </>
      ) : (
        <UserErrors errors={answer.errors} />
      )}
    </aside>
  );
}
