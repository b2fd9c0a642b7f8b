import { useState } from 'preact/hooks';
import { api, type Me } from '../api';
import { ErrorBox, Field, Loading, Select, kRoles, label, useLoad } from '../components';
import { formatDateTime, formatNumber, t } from '../i18n';

interface User {
  name: string;
  role: string;
  disabled?: boolean;
  created_at?: string;
}
interface Session {
  id: string;
  address: string;
  created_at: number; // Unix seconds
  last_seen_at: number;
  expires_at: number;
  revoked: boolean;
  current: boolean;
}

function Sessions({ name }: { name: string }) {
  const [sessions, reload] = useLoad(() => api.get<{ sessions: Session[] }>(`/api/users/${encodeURIComponent(name)}/sessions`), [name]);
  const [error, setError] = useState<unknown>(null);
  const revoke = async (id: string) => {
    try {
      await api.del(`/api/sessions/${encodeURIComponent(id)}`);
      reload();
    } catch (caught) {
      setError(caught);
    }
  };
  if (sessions.state === 'loading') return <Loading />;
  if (sessions.state === 'error') return <ErrorBox error={sessions.error} />;
  const live = sessions.value.sessions.filter((s) => !s.revoked);
  return (
    <div class="sessions">
      <ErrorBox error={error} />
      {live.length === 0 && <p class="note">{t('admin.noSessions')}</p>}
      <ul>
        {live.map((session) => (
          <li key={session.id}>
            {session.address} · {t('admin.since')} {formatDateTime(session.created_at)} · {t('admin.lastSeen')} {formatDateTime(session.last_seen_at)}
            {session.current ? (
              <strong> · {t('admin.current')}</strong>
            ) : (
              <button type="button" onClick={() => revoke(session.id)}>
                {t('admin.revoke')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Downloads the whole registry (POST /api/admin/backup) and hands the file to the browser. */
function Backup() {
  const [withKey, setWithKey] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<{ file: string; size: number } | null>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const { blob, fileName } = await api.download('/api/admin/backup', { include_key: withKey });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setSaved({ file: fileName, size: blob.size });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card backup" aria-labelledby="backup-title">
      <h2 id="backup-title">{t('admin.backupTitle')}</h2>
      <p class="note">{t('admin.backupHelp')}</p>
      <div class="row">
        <input id="backup-key" type="checkbox" checked={withKey} onChange={(e) => setWithKey(e.currentTarget.checked)} />
        <label for="backup-key">{t('admin.backupKey')}</label>
      </div>
      {withKey && (
        <p class="warning" role="alert">
          {t('admin.backupKeyWarning')}
        </p>
      )}
      <ErrorBox error={error} />
      <button type="button" class="primary" disabled={busy} onClick={() => void download()}>
        {busy ? t('admin.backupWorking') : t('admin.backupButton')}
      </button>
      {saved && (
        <p class="note" role="status">
          {t('admin.backupDone', { file: saved.file, size: formatNumber(saved.size) })}
        </p>
      )}
    </section>
  );
}

export function AdminPage({ me }: { me: Me }) {
  const [users, reload] = useLoad(() => api.get<{ users: User[] }>('/api/users'), []);
  const [name, setName] = useState('');
  const [role, setRole] = useState('viewer');
  const [created, setCreated] = useState<{ name: string; password: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<string>('');

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      reload();
    } catch (caught) {
      setError(caught);
    }
  };
  const add = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      const answer = await api.post<{ user: User; password?: string }>('/api/users', { name, role });
      setCreated({ name: answer.user.name, password: answer.password ?? '' });
      setName('');
    });
  };

  return (
    <section>
      <h1>{t('admin.title')}</h1>
      <ErrorBox error={error} />
      <form class="card row" onSubmit={add}>
        <Field id="new-user" label={t('admin.newUser')}>
          <input id="new-user" required autoComplete="off" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field id="new-role" label={t('admin.role')}>
          <Select id="new-role" group="roles" options={kRoles} value={role} onChange={setRole} />
        </Field>
        <button type="submit" class="primary">
          {t('admin.add')}
        </button>
      </form>
      {created && (
        <p class="card note" role="status">
          {t('admin.passwordOnce', { name: created.name })} <code dir="ltr">{created.password}</code>
        </p>
      )}
      {users.state === 'loading' && <Loading />}
      {users.state === 'error' && <ErrorBox error={users.error} />}
      {users.state === 'ok' && (
        <table class="users">
          <thead>
            <tr>
              <th scope="col">{t('login.name')}</th>
              <th scope="col">{t('admin.role')}</th>
              <th scope="col">{t('admin.state')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.value.users.map((user) => (
              <>
                <tr key={user.name}>
                  <td>{user.name}</td>
                  <td>
                    <Select
                      id={`role-${user.name}`}
                      group="roles"
                      options={kRoles}
                      value={user.role}
                      onChange={(next) => void act(() => api.patch(`/api/users/${encodeURIComponent(user.name)}`, { role: next }))}
                    />
                    <label class="sr-only" for={`role-${user.name}`}>
                      {t('admin.roleOf', { name: user.name })}
                    </label>
                  </td>
                  <td>{user.disabled ? t('admin.disabled') : t('admin.active')}</td>
                  <td class="row">
                    {user.name !== me.user.name && (
                      <button type="button" onClick={() => void act(() => api.patch(`/api/users/${encodeURIComponent(user.name)}`, { disabled: !user.disabled }))}>
                        {user.disabled ? t('admin.enable') : t('admin.disable')}
                      </button>
                    )}
                    <button type="button" aria-expanded={open === user.name} onClick={() => setOpen(open === user.name ? '' : user.name)}>
                      {t('admin.sessions')}
                    </button>
                  </td>
                </tr>
                {open === user.name && (
                  <tr key={`${user.name}-sessions`}>
                    <td colSpan={4}>
                      <Sessions name={user.name} />
                    </td>
                  </tr>
                )}
              </>
            ))}
          </tbody>
        </table>
      )}
      <p class="note">{t('admin.roleHelp', { roles: kRoles.map((r) => label('roles', r)).join(', ') })}</p>
      <Backup />
    </section>
  );
}
