import { useState } from 'preact/hooks';
import { api, type Me } from '../api';
import { ErrorBox, Field } from '../components';
import { t } from '../i18n';

export function LoginPage({ onLogin, onPublic }: { onLogin: (me: Me) => void; onPublic: (() => void) | null }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLogin(await api.login(name, password));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="login card">
      <h1>{t('login.title')}</h1>
      <p>{t('app.about')}</p>
      <form onSubmit={submit}>
        <Field id="login-name" label={t('login.name')}>
          <input id="login-name" name="username" autoComplete="username" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field id="login-password" label={t('login.password')}>
          <input
            id="login-password"
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <ErrorBox error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
      {onPublic && (
        <p>
          <button type="button" class="link" onClick={onPublic}>
            {t('login.public')}
          </button>
        </p>
      )}
    </section>
  );
}
