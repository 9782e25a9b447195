import { useEffect, type ReactNode } from 'react';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useI18n } from '../i18n';
import { Brand } from './Brand';

interface AuthCardProps {
  /** The card's heading, also the window title. */
  title: string;
  titleId: string;
  subtitle: ReactNode;
  /** Above the heading. */
  icon?: ReactNode;
  testId?: string;
  children: ReactNode;
}

/** The page around signing in (and being turned away): one card with the brand, and a language switch. */
export function AuthCard({ title, titleId, subtitle, icon, testId, children }: AuthCardProps) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
  return (
    <div className="auth-page">
      <div className="auth-corner">
        <LanguageSwitch compact />
      </div>
      <main className="auth-card" aria-labelledby={titleId} data-testid={testId}>
        <Brand />
        {icon}
        <h1 id={titleId} className="auth-title">
          {title}
        </h1>
        <p className="auth-subtitle">{subtitle}</p>
        {children}
      </main>
    </div>
  );
}
