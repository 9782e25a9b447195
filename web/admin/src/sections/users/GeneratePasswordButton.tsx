import { Icon } from '../../components/Icon';
import { useI18n } from '../../i18n';
import { generatePassword } from './passwords';

/** Beside a password field: fills in a strong random password. */
export function GeneratePasswordButton({ onGenerate }: { onGenerate: (password: string) => void }) {
  const { t } = useI18n();
  return (
    <button type="button" className="input-addon" onClick={() => onGenerate(generatePassword())} title={t('password.generate')}>
      <Icon name="dice" />
      <span className="visually-hidden">{t('password.generate')}</span>
    </button>
  );
}
