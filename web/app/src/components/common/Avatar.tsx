import { memo } from 'react';
import type { PresenceStatus } from '@switchboard/protocol';
import { colorFor, initials } from '../../lib/colors.js';
import { PresenceDot } from './PresenceDot.js';

interface AvatarProps {
  id: string;
  name: string;
  size?: 'sm' | 'md' | 'lg';
  /** Shows a presence dot on the corner when given. */
  presence?: PresenceStatus | undefined;
  /** Group avatars are rounded squares. */
  group?: boolean;
}

/** Initials on a colour derived from the id. Decorative: the name is always written next to it. */
export const Avatar = memo(function Avatar({ id, name, size = 'md', presence, group = false }: AvatarProps) {
  return (
    <span className={`avatar avatar-${size}${group ? ' avatar-group' : ''}`} style={{ backgroundColor: colorFor(id) }} aria-hidden={presence ? undefined : true}>
      <span aria-hidden="true">{initials(name)}</span>
      {presence ? <PresenceDot status={presence} overlay /> : null}
    </span>
  );
});
