/*
 * The signed-in layout: top bar (brand, language, user, log out), a sidebar built from the
 * sections registry, and the current section in <main>. On phones the sidebar is a drawer.
 */
import { Suspense, useEffect, useRef, useState } from 'react';
import { useAuth, useMe } from '../auth';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { Icon } from '../components/Icon';
import { Avatar } from '../components/Avatar';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { PageLoading } from '../components/Spinner';
import { useI18n } from '../i18n';
import { hrefFor, useRoute } from '../router';
import { NAV_GROUPS, SECTIONS, type AdminSection } from '../sections';
import { BrandMark } from './Brand';

export function Shell({ sections }: { sections: readonly AdminSection[] }) {
  const { t } = useI18n();
  const { logout } = useAuth();
  const { user } = useMe();
  const route = useRoute();
  const [navOpen, setNavOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const navRef = useRef<HTMLElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);

  const [sectionId, ...subpath] = route.segments;
  const current = sections.find((section) => section.id === sectionId) ?? null;
  const known = SECTIONS.some((section) => section.id === sectionId);
  const fallback = sections[0]!;

  // `#/` or no hash: open the first section the user may use.
  useEffect(() => {
    if (sectionId === undefined) route.navigate(hrefFor(fallback.id), { replace: true });
  }, [sectionId, fallback.id, route]);

  useEffect(() => {
    const title = current ? t(current.titleKey) : t('notFound.title');
    document.title = `${title} · ${t('app.name')}`;
  }, [current, t]);

  // Drawer: Escape closes it and gives focus back to the menu button.
  useEffect(() => {
    if (!navOpen) return;
    navRef.current?.querySelector<HTMLElement>('a, button')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setNavOpen(false);
        toggleRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navOpen]);

  // Growing past the phone layout closes the drawer (otherwise <main> would stay inert).
  useEffect(() => {
    const phone = window.matchMedia('(max-width: 900px)');
    const onChange = () => {
      if (!phone.matches) setNavOpen(false);
    };
    phone.addEventListener('change', onChange);
    return () => phone.removeEventListener('change', onChange);
  }, []);

  const onNavigate = () => {
    setNavOpen(false);
    requestAnimationFrame(() => mainRef.current?.focus({ preventScroll: true }));
  };

  const Page = current?.component;

  return (
    <div className="shell" data-nav-open={navOpen ? 'true' : 'false'}>
      <button type="button" className="skip-link" onClick={() => mainRef.current?.focus()}>
        {t('shell.skipToContent')}
      </button>
      <header className="topbar">
        <button
          ref={toggleRef}
          type="button"
          className="icon-button nav-toggle"
          aria-label={navOpen ? t('shell.closeMenu') : t('shell.openMenu')}
          aria-expanded={navOpen}
          aria-controls="sidebar"
          onClick={() => setNavOpen(!navOpen)}
        >
          <Icon name={navOpen ? 'close' : 'menu'} size={20} />
        </button>
        <a className="brand brand-link" href={hrefFor(fallback.id)} onClick={onNavigate}>
          <BrandMark size={26} />
          <span className="brand-name">{t('app.product')}</span>
          <span className="brand-tag">{t('app.admin')}</span>
        </a>
        <div className="topbar-spacer" />
        <a className="topbar-link hide-on-phone" href="/app/">
          {t('shell.openApp')}
          <Icon name="external" size={14} />
        </a>
        <LanguageSwitch compact />
        <div className="topbar-user" data-testid="current-user">
          <Avatar name={user.displayName} seed={user.username} size={30} />
          <span className="topbar-user-text hide-on-phone">
            <span className="topbar-user-name">{user.displayName}</span>
            <span className="topbar-user-username">@{user.username}</span>
          </span>
        </div>
        <button type="button" className="btn btn-ghost btn-small" onClick={() => void logout()} data-testid="logout">
          <Icon name="logout" size={16} />
          <span className="collapse-on-phone">{t('shell.logout')}</span>
        </button>
      </header>

      <nav id="sidebar" ref={navRef} className="sidebar" aria-label={t('shell.navLabel')}>
        {NAV_GROUPS.map((group) => {
          const items = sections.filter((section) => section.group === group.id);
          if (items.length === 0) return null;
          return (
            <div className="nav-group" key={group.id}>
              <h2 className="nav-group-title" id={`nav-group-${group.id}`}>
                {t(group.titleKey)}
              </h2>
              <ul className="nav-list" aria-labelledby={`nav-group-${group.id}`}>
                {items.map((section) => (
                  <li key={section.id}>
                    <a
                      className="nav-link"
                      href={hrefFor(section.id)}
                      aria-current={section === current ? 'page' : undefined}
                      onClick={onNavigate}
                      data-testid={`nav-${section.id}`}
                    >
                      <Icon name={section.icon} size={18} />
                      <span>{t(section.titleKey)}</span>
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
        <div className="sidebar-footer show-on-phone">
          <a className="nav-link" href="/app/">
            <Icon name="external" size={18} />
            <span>{t('shell.openApp')}</span>
          </a>
        </div>
      </nav>
      {navOpen && <div className="nav-backdrop" onClick={() => setNavOpen(false)} aria-hidden="true" />}

      <main id="main" ref={mainRef} className="main" tabIndex={-1} inert={navOpen}>
        <ErrorBoundary
          resetKey={sectionId}
          fallback={(_, reset) => (
            <div className="empty-state" role="alert">
              <Icon name="alert" size={28} />
              <h1 className="empty-title">{t('crash.title')}</h1>
              <p>{t('crash.body')}</p>
              <div className="row">
                <button type="button" className="btn btn-secondary" onClick={reset}>
                  {t('common.retry')}
                </button>
                <button type="button" className="btn btn-primary" onClick={() => window.location.reload()}>
                  {t('crash.reload')}
                </button>
              </div>
            </div>
          )}
        >
          {Page ? (
            <Suspense fallback={<PageLoading label={t('common.loading')} />}>
              <Page subpath={subpath} />
            </Suspense>
          ) : sectionId === undefined ? null : (
            <div className="empty-state" data-testid="not-found">
              <Icon name={known ? 'ban' : 'search'} size={28} />
              <h1 className="empty-title">{known ? t('forbidden.sectionTitle') : t('notFound.title')}</h1>
              <p>{known ? t('forbidden.sectionBody') : t('notFound.body')}</p>
              <a className="btn btn-primary" href={hrefFor(fallback.id)}>
                {t('notFound.back', { section: t(fallback.titleKey) })}
              </a>
            </div>
          )}
        </ErrorBoundary>
      </main>
    </div>
  );
}
