/** Sign-in: login and password, then the SMS code when two-step login is on (docs/identity.md). */
import { useMutation } from '@apollo/client';
import { useState } from 'react';
import { graphql } from '../generated/gql.ts';
import { session } from '../api/session.ts';
import { submitted } from '../parts/submitted.ts';
import { UserErrors } from '../parts/UserErrors.tsx';

const Login = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      accessToken
      accessTokenExpiresAt
      refreshToken
      smsCodeSent {
        requestId
        sentTo
        expiresAt
      }
      errors {
        code
        message
      }
    }
  }
`);

const ConfirmLogin = graphql(`
  mutation ConfirmLogin($input: ConfirmCodeInput!) {
    confirmLogin(input: $input) {
      ...SignedIn
    }
  }
`);

type Signed = { accessToken?: string | null; accessTokenExpiresAt?: string | null; refreshToken?: string | null };

/** Starts the session when the payload carries tokens. */
export function startSessionFrom(payload: Signed | undefined): boolean {
  if (!payload?.accessToken || !payload.accessTokenExpiresAt || !payload.refreshToken) return false;
  session.start({ accessToken: payload.accessToken, accessTokenExpiresAt: payload.accessTokenExpiresAt, refreshToken: payload.refreshToken });
  return true;
}

export function SignIn() {
  const [login, { data, loading, error }] = useMutation(Login);
  const [form, setForm] = useState({ login: '', password: '' });
  const codeSent = data?.login.smsCodeSent;

  const submit = submitted(async () => {
    const result = await login({ variables: { input: form } });
    startSessionFrom(result.data?.login);
  });

  if (codeSent) return <SmsCodeStep requestId={codeSent.requestId} sentTo={codeSent.sentTo} />;
  return (
    <form className="card narrow" onSubmit={submit} aria-label="Вход">
      <h1>Вход</h1>
      <label>
        Телефон, почта или СНИЛС
        <input name="login" autoComplete="username" value={form.login} onChange={(event) => setForm({ ...form, login: event.target.value })} required />
      </label>
      <label>
        Пароль
        <input name="password" type="password" autoComplete="current-password" value={form.password} onChange={(event) => setForm({ ...form, password: event.target.value })} required />
      </label>
      <UserErrors errors={data?.login.errors} failure={error} />
      <button disabled={loading}>Войти</button>
      <p>
        Нет учётной записи? <a href="#/register">Зарегистрируйтесь</a>
      </p>
    </form>
  );
}

function SmsCodeStep({ requestId, sentTo }: { requestId: string; sentTo: string }) {
  const [confirm, { data, loading, error }] = useMutation(ConfirmLogin);
  const [code, setCode] = useState('');

  const submit = submitted(async () => {
    const result = await confirm({ variables: { input: { requestId, code } } });
    startSessionFrom(result.data?.confirmLogin);
  });

  return (
    <form className="card narrow" onSubmit={submit} aria-label="Код из СМС">
      <h1>Код из СМС</h1>
      <p>Мы отправили код на {sentTo}.</p>
      <label>
        Код
        <input name="code" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(event) => setCode(event.target.value)} required />
      </label>
      <UserErrors errors={data?.confirmLogin.errors} failure={error} />
      <button disabled={loading}>Подтвердить</button>
    </form>
  );
}
