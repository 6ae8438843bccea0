/**
 * Shiro wildcard permissions as Kill Bill uses them: `group:action`, `*` for everything, `group` or
 * `group:*` for a whole group, `group:a,b` for several actions.
 */
export function permissionImplies(granted: string, required: string): boolean {
  const grantedParts = parts(granted);
  const requiredParts = parts(required);
  for (let i = 0; i < requiredParts.length; i++) {
    if (i >= grantedParts.length) return true; // `account` implies `account:create`
    const allowed = grantedParts[i];
    if (!allowed.has('*') && ![...requiredParts[i]].every((action) => allowed.has(action))) return false;
  }
  for (let i = requiredParts.length; i < grantedParts.length; i++) {
    if (!grantedParts[i].has('*')) return false;
  }
  return true;
}

export function hasPermission(granted: readonly string[], required: string): boolean {
  return granted.some((permission) => permissionImplies(permission, required));
}

function parts(permission: string): Set<string>[] {
  return permission
    .trim()
    .toLowerCase()
    .split(':')
    .map((part) => new Set(part.split(',').map((token) => token.trim())));
}
