/** Registration in three steps (docs/identity.md): names and phone, the SMS code, the password. */
import { useMutation } from '@apollo/client';
import { useState } from 'react';
import { graphql } from '../generated/gql.ts';
import { submitted } from '../parts/submitted.ts';
import { UserErrors } from '../parts/UserErrors.tsx';
import { startSessionFrom } from './SignIn.tsx';

const StartRegistration = graphql(`
  mutation StartRegistration($input: StartRegistrationInput!) {
    startRegistration(input: $input) {
      codeSent {
        requestId
        sentTo
      }
      errors {
        code
        message
      }
    }
  }
`);

const ConfirmRegistrationContact = graphql(`
  mutation ConfirmRegistrationContact($input: ConfirmCodeInput!) {
    confirmRegistrationContact(input: $input) {
      confirmed
      errors {
        code
        message
      }
    }
  }
`);

const CompleteRegistration = graphql(`
  mutation CompleteRegistration($input: CompleteRegistrationInput!) {
    completeRegistration(input: $input) {
      ...SignedIn
    }
  }
`);

export function Registration() {
  const [request, setRequest] = useState<{ requestId: string; sentTo: string; confirmed: boolean } | null>(null);
  if (!request) return <ContactStep onSent={(requestId, sentTo) => setRequest({ requestId, sentTo, confirmed: false })} />;
  if (!request.confirmed) return <CodeStep {...request} onConfirmed={() => setRequest({ ...request, confirmed: true })} />;
  return <PasswordStep requestId={request.requestId} />;
}

function ContactStep({ onSent }: { onSent: (requestId: string, sentTo: string) => void }) {
  const [start, { data, loading, error }] = useMutation(StartRegistration);
  const [form, setForm] = useState({ lastName: '', firstName: '', phone: '' });
  const field = (name: keyof typeof form) => ({ name, value: form[name], onChange: (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value }), required: true });

  const submit = submitted(async () => {
    const sent = (await start({ variables: { input: form } })).data?.startRegistration.codeSent;
    if (sent) onSent(sent.requestId, sent.sentTo);
  });

  return (
    <form className="card narrow" onSubmit={submit} aria-label="Регистрация">
      <h1>Регистрация</h1>
      <label>
        Фамилия
        <input {...field('lastName')} />
      </label>
      <label>
        Имя
        <input {...field('firstName')} />
      </label>
      <label>
        Мобильный телефон
        <input {...field('phone')} type="tel" placeholder="+7 916 123-45-67" />
      </label>
      <UserErrors errors={data?.startRegistration.errors} failure={error} />
      <button disabled={loading}>Получить код</button>
      <p>
        Уже есть учётная запись? <a href="#/login">Войдите</a>
      </p>
    </form>
  );
}

function CodeStep({ requestId, sentTo, onConfirmed }: { requestId: string; sentTo: string; onConfirmed: () => void }) {
  const [confirm, { data, loading, error }] = useMutation(ConfirmRegistrationContact);
  const [code, setCode] = useState('');

  const submit = submitted(async () => {
    if ((await confirm({ variables: { input: { requestId, code } } })).data?.confirmRegistrationContact.confirmed) onConfirmed();
  });

  return (
    <form className="card narrow" onSubmit={submit} aria-label="Подтверждение телефона">
      <h1>Подтверждение телефона</h1>
      <p>Код отправлен на {sentTo}.</p>
      <label>
        Код из СМС
        <input name="code" inputMode="numeric" value={code} onChange={(event) => setCode(event.target.value)} required />
      </label>
      <UserErrors errors={data?.confirmRegistrationContact.errors} failure={error} />
      <button disabled={loading}>Подтвердить</button>
    </form>
  );
}

function PasswordStep({ requestId }: { requestId: string }) {
  const [complete, { data, loading, error }] = useMutation(CompleteRegistration);
  const [password, setPassword] = useState('');
  const [passwordConfirmation, setConfirmation] = useState('');

  const submit = submitted(async () => {
    const result = await complete({ variables: { input: { requestId, password, passwordConfirmation } } });
    if (startSessionFrom(result.data?.completeRegistration)) location.hash = '/home';
  });

  return (
    <form className="card narrow" onSubmit={submit} aria-label="Создание пароля">
      <h1>Придумайте пароль</h1>
      <label>
        Пароль
        <input name="password" type="password" autoComplete="new-password" value={password} onChange={(event) => setPassword(event.target.value)} required />
      </label>
      <label>
        Пароль ещё раз
        <input name="passwordConfirmation" type="password" autoComplete="new-password" value={passwordConfirmation} onChange={(event) => setConfirmation(event.target.value)} required />
      </label>
      <UserErrors errors={data?.completeRegistration.errors} failure={error} />
      <button disabled={loading}>Создать учётную запись</button>
    </form>
  );
}
