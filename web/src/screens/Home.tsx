/** The cabinet's home: who the person is, their documents, the account level and what raises it. */
import { useQuery } from '@apollo/client';
import { graphql } from '../generated/gql.ts';
import type { CabinetHomeQuery } from '../generated/graphql.ts';
import { DOCUMENT, LEVEL, VERIFICATION } from '../parts/labels.ts';

const CabinetHome = graphql(`
  query CabinetHome {
    me {
      id
      level
      phone
      email
      snils
      roles
      confirmationMethod
      name {
        lastName
        firstName
        middleName
      }
      documents {
        id
        type
        verification {
          status
        }
      }
      dataCheck {
        status
      }
    }
  }
`);

type Me = NonNullable<CabinetHomeQuery['me']>;

export function Home() {
  const { data, error } = useQuery(CabinetHome);
  if (error) return <p role="alert">{error.message}</p>;
  const me = data?.me;
  if (!me) return <p>Загрузка…</p>;
  return (
    <div className="grid">
      <ProfileSummary me={me} />
      <AccountLevel me={me} />
      <Documents documents={me.documents} />
    </div>
  );
}

function ProfileSummary({ me }: { me: Me }) {
  const name = me.name ? [me.name.lastName, me.name.firstName, me.name.middleName].filter(Boolean).join(' ') : 'Имя не указано';
  return (
    <section className="card" aria-label="Профиль">
      <h2>{name}</h2>
      <dl>
        <dt>Телефон</dt>
        <dd>{me.phone ?? '—'}</dd>
        <dt>Почта</dt>
        <dd>{me.email ?? '—'}</dd>
        <dt>СНИЛС</dt>
        <dd>{me.snils ?? 'не подтверждён'}</dd>
      </dl>
    </section>
  );
}

/** What the next level needs (docs/identity.md, "Levels"). */
function nextStep(me: Me): string | null {
  if (me.level === 'CONFIRMED') return null;
  if (me.level === 'STANDARD') return 'Подтвердите личность: в центре обслуживания с паспортом, кодом из заказного письма или квалифицированной электронной подписью.';
  if (me.dataCheck?.status === 'RUNNING') return 'Данные проверяются в государственных реестрах: после проверки уровень станет стандартным.';
  return 'Заполните личные данные, паспорт и СНИЛС и отправьте их на проверку: уровень станет стандартным.';
}

function AccountLevel({ me }: { me: Me }) {
  const step = nextStep(me);
  return (
    <section className="card" aria-label="Уровень учётной записи">
      <h2>Учётная запись</h2>
      <p className={`level level-${me.level.toLowerCase()}`} data-level={me.level}>
        {LEVEL[me.level]}
      </p>
      <p>{step ?? 'Доступны все услуги портала.'}</p>
    </section>
  );
}

function Documents({ documents }: { documents: Me['documents'] }) {
  return (
    <section className="card" aria-label="Документы">
      <h2>Документы</h2>
      {documents.length === 0 ? (
        <p>Документов пока нет.</p>
      ) : (
        <ul className="plain">
          {documents.map((document) => (
            <li key={document.id}>
              {DOCUMENT[document.type]} <span className="muted">· {VERIFICATION[document.verification.status]}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
