import type { User } from '@halo-dev/api-client';
import { useI18n } from 'vue-i18n';
import { can, useSession } from './use-session';

export type UserActionKey = 'edit' | 'password' | 'grant' | 'recovery-email' | 'recovery-link' | 'disable' | 'enable' | 'delete';

/** The actions on one user the caller may take, in Halo's order; the same list in the row menu and on the detail page. */
export function useUserActions() {
  const { t } = useI18n();
  const { name: self } = useSession();

  function available(user: User): { key: UserActionKey; label: string; danger?: boolean }[] {
    const manage = can('system:users:manage');
    const isSelf = user.metadata.name === self.value;
    const items: { key: UserActionKey; label: string; danger?: boolean; show: boolean }[] = [
      { key: 'edit', label: t('detail.edit'), show: manage },
      { key: 'password', label: t('detail.changePassword'), show: manage },
      { key: 'grant', label: t('detail.grantRoles'), show: manage && can('system:permissions:manage', 'system:users:manage') },
      { key: 'recovery-email', label: t('detail.sendRecovery'), show: can('system:users:recover') },
      { key: 'recovery-link', label: t('detail.copyRecovery'), show: can('system:users:recovery-links') },
      { key: 'disable', label: t('users.disable'), danger: true, show: manage && !isSelf && !user.spec.disabled },
      { key: 'enable', label: t('users.enable'), show: manage && !isSelf && !!user.spec.disabled },
      { key: 'delete', label: t('users.delete'), danger: true, show: manage && !isSelf },
    ];
    return items.filter((item) => item.show).map(({ show: _show, ...item }) => item);
  }

  return { available };
}
