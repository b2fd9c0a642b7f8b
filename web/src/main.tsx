import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Me } from './api';
import { Link, Loading, roleAtLeast } from './components';
import { currentLanguage, initI18n, kLanguages, switchLanguage, t, type Language } from './i18n';
import { AdminPage } from './pages/Admin';
import { IntakePage } from './pages/Intake';
import { ListsPage } from './pages/Lists';
import { LoginPage } from './pages/Login';
import { PersonPage } from './pages/Person';
import { ReviewPage } from './pages/Review';
import { SearchPage } from './pages/Search';
import { StatsPage } from './pages/Stats';
import { matchRoute, navigate, useLocation } from './router';
import './styles.css';

function LanguageSwitch({ lang, onChange }: { lang: Language; onChange: (lang: Language) => void }) {
  return (
    <div class="lang">
      <label for="lang-select">{t('nav.language')}</label>
      <select id="lang-select" value={lang} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value as Language)}>
        {kLanguages.map((code) => (
          <option key={code} value={code} lang={code}>
            {t(`languages.${code}`, { lng: code })}
          </option>
        ))}
      </select>
    </div>
  );
}

function Page({ me, path }: { me: Me; path: string }) {
  let params: Record<string, string> | null;
  if (path === '/' || path === '/search') return <SearchPage />;
  if ((params = matchRoute('/persons/:id', path))) return <PersonPage id={params.id ?? ''} me={me} />;
  if (path === '/intake') return <IntakePage />;
  if (path === '/stats') return <StatsPage />;
  if (path === '/review') return <ReviewPage />;
  if (path === '/lists') return <ListsPage />;
  if (path === '/admin') return <AdminPage me={me} />;
  return (
    <section>
      <h1>{t('common.notFound')}</h1>
      <Link href="/">{t('nav.search')}</Link>
    </section>
  );
}

function App() {
  const [lang, setLang] = useState<Language>(currentLanguage());
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const location = useLocation();

  const [publicRead, setPublicRead] = useState(false);
  useEffect(() => {
    api.onUnauthenticated = () => setMe(null);
    api.me().then(setMe, () => {
      setMe(null);
      // A server started with --public-read answers anonymous reads: offer the public view.
      fetch('/api/stats', { credentials: 'omit' }).then(
        (answer) => setPublicRead(answer.ok),
        () => setPublicRead(false),
      );
    });
  }, []);
  const anonymous: Me = { user: { name: t('nav.public'), role: 'public' }, role: 'public', csrf_token: '', expires_at: '' };

  useEffect(() => {
    document.title = `izde — ${t('app.tagline')}`;
  }, [lang]);

  // After navigating, keyboard and screen-reader users start at the new page's content.
  const firstPath = useRef(location.path);
  useEffect(() => {
    if (location.path === firstPath.current) return;
    firstPath.current = '';
    document.getElementById('main')?.focus();
  }, [location.path]);

  const changeLanguage = (next: Language) => {
    void switchLanguage(next).then(() => setLang(next));
  };

  const logout = async () => {
    try {
      await api.logout();
    } finally {
      setMe(null);
      navigate('/');
    }
  };

  const links: [string, string, string][] = [
    ['/', 'nav.search', 'public'],
    ['/intake', 'nav.intake', 'editor'],
    ['/review', 'nav.review', 'reviewer'],
    ['/lists', 'nav.lists', 'reviewer'],
    ['/stats', 'nav.stats', 'public'],
    ['/admin', 'nav.admin', 'admin'],
  ];

  return (
    <div class="shell" key={lang}>
      <a class="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header class="top">
        <span class="brand" lang="kk">
          izde
        </span>
        {me && (
          <nav aria-label={t('nav.main')}>
            <ul>
              {links
                .filter(([, , role]) => roleAtLeast(me.role, role))
                .map(([href, key]) => (
                  <li key={href}>
                    <Link href={href} class={location.path === href ? 'current' : undefined}>
                      {t(key)}
                    </Link>
                  </li>
                ))}
            </ul>
          </nav>
        )}
        <LanguageSwitch lang={lang} onChange={changeLanguage} />
        {me && (
          <div class="who">
            <span>
              {me.user.name} · {t(`roles.${me.role}`)}
            </span>
            {me.role === 'public' ? (
              <button type="button" onClick={() => setMe(null)}>
                {t('login.submit')}
              </button>
            ) : (
              <button type="button" onClick={logout}>
                {t('nav.logout')}
              </button>
            )}
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {me === undefined ? <Loading /> : me === null ? (
          <LoginPage onLogin={setMe} onPublic={publicRead ? () => setMe(anonymous) : null} />
        ) : <Page key={location.path} me={me} path={location.path} />}
      </main>
    </div>
  );
}

void initI18n().then(() => {
  const root = document.getElementById('app');
  if (root) render(<App />, root);
});
