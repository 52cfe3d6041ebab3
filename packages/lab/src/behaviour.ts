/**
 * Request-level HTTP behaviours: turn one recorded request into the answer its behaviour data
 * describes. Connection-level behaviours (closed, silent, reset as a whole endpoint) are handled
 * by endpoint.ts before any HTTP exists; here they act on the single request.
 */
import type { HttpBehaviour, Route } from './scenario.ts';
import { headerPairs, pathOf, resetConnection, send } from './http-answer.ts';
import type { RequestContext } from './http-answer.ts';
import { serveExchange } from './exchange.ts';

const NOT_FOUND_HTML =
  '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n';

function routeMatches(route: Route, method: string, path: string): boolean {
  if (route.methods && !route.methods.some((m) => m.toUpperCase() === method)) return false;
  const want = route.caseSensitive ? route.path : route.path.toLowerCase();
  const have = route.caseSensitive ? path : path.toLowerCase();
  return route.prefix ? have.startsWith(want) : have === want;
}

/** Answers one request according to its behaviour data. */
export async function serveBehaviour(behaviour: HttpBehaviour, ctx: RequestContext): Promise<void> {
  switch (behaviour.kind) {
    case 'closed':
    case 'reset':
      resetConnection(ctx.req.socket);
      return;
    case 'silent':
      return; // never answer; close() tears the connection down
    case 'static': {
      // unref: a pending slow answer must not keep a closed lab's process alive.
      if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs).unref());
      send(ctx, behaviour.status, headerPairs(behaviour.headers), behaviour.body ?? '', behaviour.reason);
      return;
    }
    case 'redirect':
      send(ctx, behaviour.status, [['Location', behaviour.location], ...headerPairs(behaviour.headers)], behaviour.body ?? '');
      return;
    case 'routes': {
      const method = (ctx.req.method ?? 'GET').toUpperCase();
      const path = pathOf(ctx.req.url);
      const route = behaviour.routes.find((r) => routeMatches(r, method, path));
      if (route) return serveBehaviour(route.behaviour, ctx);
      if (behaviour.fallback) return serveBehaviour(behaviour.fallback, ctx);
      send(ctx, 404, [['Content-Type', 'text/html']], NOT_FOUND_HTML);
      return;
    }
    case 'exchange':
      serveExchange(behaviour, ctx);
      return;
  }
}
