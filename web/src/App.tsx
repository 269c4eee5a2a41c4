/** The cabinet's frame: sign-in or registration for a guest, the screens and the menu for a person. */
import { useApolloClient, useQuery } from '@apollo/client';
import { useEffect, useSyncExternalStore, type JSX } from 'react';
import { graphql } from './generated/gql.ts';
import { refresh, session } from './api/session.ts';
import { go, useScreen, type Screen } from './parts/route.ts';
import { UnreadBadge } from './parts/UnreadBadge.tsx';
import { Appeals } from './screens/Appeals.tsx';
import { NotificationFeed } from './screens/Feed.tsx';
import { Home } from './screens/Home.tsx';
import { NewAppeal } from './screens/NewAppeal.tsx';
import { OfficialQueue } from './screens/OfficialQueue.tsx';
import { Registration } from './screens/Registration.tsx';
import { SignIn } from './screens/SignIn.tsx';

const Whoami = graphql(`
  query Whoami {
    me {
      id
      roles
      name {
        firstName
        lastName
      }
    }
  }
`);

const Logout = graphql(`
  mutation Logout {
    logout {
      errors {
        message
      }
    }
  }
`);

const useSignedIn = () => useSyncExternalStore(session.onChange, session.signedIn);

export function App() {
  const isSignedIn = useSignedIn();
  // A reload: the refresh token from sessionStorage opens the session again.
  useEffect(() => {
    if (!session.signedIn() && session.resumable()) void refresh();
  }, []);
  return isSignedIn ? <Cabinet /> : <Guest />;
}

function Guest() {
  const screen = useScreen('login');
  return (
    <main>
      <header className="top">
        <span className="brand">Госуслуги · демо</span>
      </header>
      {screen === 'register' ? <Registration /> : <SignIn />}
    </main>
  );
}

const SCREENS: Record<Exclude<Screen, 'login' | 'register'>, () => JSX.Element> = {
  home: Home,
  feed: NotificationFeed,
  appeals: Appeals,
  'new-appeal': NewAppeal,
  queue: OfficialQueue,
};

function Cabinet() {
  const client = useApolloClient();
  const screen = useScreen('home');
  const { data } = useQuery(Whoami);
  const official = data?.me?.roles.includes('OFFICIAL') ?? false;
  const Current = SCREENS[screen as keyof typeof SCREENS] ?? Home;

  async function signOut() {
    await client.mutate({ mutation: Logout }).catch(() => {});
    session.end();
    await client.clearStore();
    go('login');
  }

  return (
    <main>
      <header className="top">
        <span className="brand">Госуслуги · демо</span>
        <nav>
          <a href="#/home">Главная</a>
          <a href="#/feed">
            Уведомления <UnreadBadge />
          </a>
          <a href="#/appeals">Обращения</a>
          {official && <a href="#/queue">Очередь</a>}
        </nav>
        <span className="who">{data?.me?.name ? `${data.me.name.firstName} ${data.me.name.lastName}` : ''}</span>
        <button className="link" onClick={() => void signOut()}>
          Выйти
        </button>
      </header>
      <Current />
    </main>
  );
}
