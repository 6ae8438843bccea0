import { KillBillException } from '@kb/platform';

/**
 * Normalises a role's permissions as Kill Bill does: `*` alone wins; `group` and `group:` become
 * `group:*`; a whole-group grant absorbs that group's actions; more than one `:` is invalid.
 */
export function sanitizePermissions(raw: readonly (string | null | undefined)[] | null | undefined): string[] {
  const permissions = (raw ?? []).filter((permission): permission is string => !!permission);
  const actionsByGroup = new Map<string, Set<string>>();
  for (const permission of permissions) {
    if (permission === '*') return ['*'];
    const parts = permission.split(':');
    if (parts.length !== 1 && parts.length !== 2) throw new KillBillException('SECURITY_INVALID_PERMISSIONS', [permission]);
    const [group, action] = parts;
    const actions = actionsByGroup.get(group) ?? new Set<string>();
    actionsByGroup.set(group, actions);
    if (actions.has('*')) continue;
    if (action === undefined || action === '' || action === '*') {
      actions.clear();
      actions.add('*');
    } else {
      actions.add(action);
    }
  }
  return [...actionsByGroup.entries()].flatMap(([group, actions]) => [...actions].map((action) => `${group}:${action}`));
}
