/**
 * An official's queue: the authority's appeals, kept live by `authorityQueueChanged` (a new appeal,
 * one redirected in or out, a status change), taken into work and answered from here.
 */
import { useMutation, useQuery, useSubscription } from '@apollo/client';
import { useState } from 'react';
import { graphql } from '../generated/gql.ts';
import type { AppealCardFragment } from '../generated/graphql.ts';
import { submitted } from '../parts/submitted.ts';
import { UserErrors } from '../parts/UserErrors.tsx';
import { AppealCard } from './Appeals.tsx';

const AuthorityQueue = graphql(`
  query AuthorityQueue {
    me {
      id
      officialAuthority {
        id
        name
      }
    }
    authorityAppeals(first: 50, statuses: [REGISTERED, REDIRECTED, IN_WORK, CLARIFICATION_REQUESTED]) {
      totalCount
      edges {
        node {
          ...AppealCard
        }
      }
    }
  }
`);

const AuthorityQueueChanged = graphql(`
  subscription AuthorityQueueChanged($after: String) {
    authorityQueueChanged(after: $after) {
      cursor
      kind
      appeal {
        ...AppealCard
      }
    }
  }
`);

const TakeIntoWork = graphql(`
  mutation TakeAppealIntoWork($input: AppealIdInput!) {
    takeAppealIntoWork(input: $input) {
      appeal {
        ...AppealCard
      }
      errors {
        code
        message
      }
    }
  }
`);

const AnswerAppeal = graphql(`
  mutation AnswerAppeal($input: AppealTextInput!) {
    answerAppeal(input: $input) {
      appeal {
        ...AppealCard
      }
      errors {
        code
        message
      }
    }
  }
`);

export function OfficialQueue() {
  const { data, error, refetch } = useQuery(AuthorityQueue);
  // New and reassigned appeals change the list itself: read it again; status changes land in the cache by id.
  useSubscription(AuthorityQueueChanged, {
    variables: { after: null },
    onData: ({ data: change }) => {
      if (change.data?.authorityQueueChanged.kind !== 'STATUS_CHANGED') void refetch();
    },
  });
  const edges = data?.authorityAppeals.edges ?? [];
  return (
    <section className="card wide" aria-label="Очередь обращений">
      <h1>Очередь обращений</h1>
      {data?.me?.officialAuthority && <p className="muted">{data.me.officialAuthority.name}</p>}
      {error && <p role="alert">{error.message}</p>}
      {data && edges.length === 0 && <p>Новых обращений нет.</p>}
      <ol className="appeals">
        {edges.map(({ node }) => (
          <AppealCard key={node.id} appeal={node}>
            <Review appeal={node} />
          </AppealCard>
        ))}
      </ol>
    </section>
  );
}

function Review({ appeal }: { appeal: AppealCardFragment }) {
  const [take, taken] = useMutation(TakeIntoWork);
  const [answer, answered] = useMutation(AnswerAppeal, { refetchQueries: ['AuthorityQueue'] });
  const [text, setText] = useState('');

  if (appeal.status === 'REGISTERED' || appeal.status === 'REDIRECTED') {
    return (
      <div className="actions">
        <button onClick={() => void take({ variables: { input: { appealId: appeal.id } } })} disabled={taken.loading}>
          Взять в работу
        </button>
        <UserErrors errors={taken.data?.takeAppealIntoWork.errors} failure={taken.error} />
      </div>
    );
  }
  if (appeal.status !== 'IN_WORK') return null;

  const send = submitted(async () => {
    await answer({ variables: { input: { appealId: appeal.id, text } } });
  });
  return (
    <form className="actions" onSubmit={send} aria-label="Ответ на обращение">
      <label>
        Ответ
        <textarea name="answer" rows={3} value={text} onChange={(event) => setText(event.target.value)} required />
      </label>
      <UserErrors errors={answered.data?.answerAppeal.errors} failure={answered.error} />
      <button disabled={answered.loading}>Отправить ответ</button>
    </form>
  );
}
