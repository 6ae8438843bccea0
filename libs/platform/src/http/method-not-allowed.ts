import type { Request } from 'express';

interface RouteLayer {
  readonly route?: { readonly methods: Readonly<Record<string, boolean>> };
  match(path: string): boolean;
}

/**
 * The methods the application serves on the request's path, when it serves that path at all but not
 * with the request's method (JAX-RS answers such a request 405 with an Allow header, not 404).
 */
export function allowedMethodsFor(request: Request): string[] | undefined {
  const stack = (request.app as unknown as { router?: { stack?: RouteLayer[] } }).router?.stack ?? [];
  const allowed = new Set<string>();
  for (const layer of stack) {
    if (!layer.route || !layer.match(request.path)) continue;
    for (const [method, enabled] of Object.entries(layer.route.methods)) if (enabled && method !== '_all') allowed.add(method.toUpperCase());
  }
  if (allowed.size === 0 || allowed.has(request.method)) return undefined;
  if (allowed.has('GET')) allowed.add('HEAD');
  allowed.add('OPTIONS');
  return [...allowed].sort();
}
