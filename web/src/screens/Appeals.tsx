/** The citizen's appeals, each status kept live by `appealStatusChanged` (the cache follows the appeal by id). */
import { useQuery, useSubscription } from '@apollo/client';
import type { ReactNode } from 'react';
import { graphql } from '../generated/gql.ts';
import type { AppealCardFragment } from '../generated/graphql.ts';
import { APPEAL_STATUS, dueDay, when } from '../parts/labels.ts';

const MyAppeals = graphql(`
  query MyAppeals {
    me {
      id
      appeals(first: 50) {
        totalCount
        edges {
          node {
            ...AppealCard
          }
        }
      }
    }
  }
`);

graphql(`
  fragment AppealCard on Appeal {
    id
    number
    status
    text
    address
    createdAt
    dueAt
    topic {
      id
      name
    }
    authority {
      id
      name
    }
    answer {
      text
      answeredAt
    }
  }
`);

const AppealStatusChanged = graphql(`
  subscription AppealStatusChanged($after: String) {
    appealStatusChanged(after: $after) {
      cursor
      to
      appeal {
        ...AppealCard
      }
    }
  }
`);

export function Appeals() {
  const { data, error } = useQuery(MyAppeals);
  // Every change after the page opened; the appeal's fields land in the cache under its id.
  useSubscription(AppealStatusChanged, { variables: { after: null } });
  const edges = data?.me?.appeals.edges ?? [];
  return (
    <section className="card wide" aria-label="Обращения">
      <div className="row">
        <h1>Мои обращения</h1>
        <a className="button" href="#/new-appeal">
          Новое обращение
        </a>
      </div>
      {error && <p role="alert">{error.message}</p>}
      {data && edges.length === 0 && <p>Обращений пока нет.</p>}
      <ol className="appeals">
        {edges.map(({ node }) => (
          <AppealCard key={node.id} appeal={node} />
        ))}
      </ol>
    </section>
  );
}

export function AppealCard({ appeal, children }: { appeal: AppealCardFragment; children?: ReactNode }) {
  return (
    <li className="item" data-testid="appeal" data-appeal-id={appeal.id}>
      <div className="item-head">
        <strong>{appeal.number ?? 'Черновик'}</strong>
        <span className={`status status-${appeal.status.toLowerCase()}`} data-testid="appeal-status">
          {APPEAL_STATUS[appeal.status]}
        </span>
      </div>
      <p className="muted">
        {appeal.topic?.name} · {appeal.authority?.name ?? 'орган не определён'} · подано {when(appeal.createdAt)}
        {appeal.dueAt && <> · ответ до {dueDay(appeal.dueAt)}</>}
      </p>
      {appeal.address && <p className="muted">{appeal.address}</p>}
      <p className="text">{appeal.text}</p>
      {appeal.answer && (
        <blockquote data-testid="appeal-answer">
          <p className="muted">Ответ от {when(appeal.answer.answeredAt)}</p>
          <p className="text">{appeal.answer.text}</p>
        </blockquote>
      )}
      {children}
    </li>
  );
}
