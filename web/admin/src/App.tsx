import { useAuth } from './auth';
import { PageLoading } from './components/Spinner';
import { useI18n } from './i18n';
import { sectionsFor } from './sections';
import { Forbidden } from './shell/Forbidden';
import { LoginPage } from './shell/LoginPage';
import { SessionExpiredDialog } from './shell/SessionExpiredDialog';
import { Shell } from './shell/Shell';

export function App() {
  const { state } = useAuth();
  const { t } = useI18n();

  if (state.status === 'loading') return <PageLoading label={t('common.loading')} />;
  if (state.status === 'anonymous') return <LoginPage probeError={state.probeError} signedOut={state.signedOut} />;

  const sections = sectionsFor(state.me.permissions);
  return (
    <>
      {/* Keyed by user: signing in again as someone else starts from a clean console. */}
      {sections.length === 0 ? <Forbidden key={state.me.user.id} /> : <Shell key={state.me.user.id} sections={sections} />}
      {state.expired && <SessionExpiredDialog username={state.me.user.username} />}
    </>
  );
}
