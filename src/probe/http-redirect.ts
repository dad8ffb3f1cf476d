// The redirect policy of the http check. Off by default (a 3xx is judged as the response).
// With followRedirects N: at most N hops, http/https only, the same host only (a probe checks
// one network path, and must not wander to, or send headers to, another host), never https→http,
// and never a Location carrying credentials.

/** Status codes that redirect (RFC 9110 §15.4). */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Follow this URL, or stop and judge the 3xx as the response, saying why. */
export type RedirectDecision = { follow: URL } | { stop: string };

/** Decides whether a `status` answer at `from` with `location` is followed. */
export function decideRedirect(from: URL, status: number, location: string | undefined): RedirectDecision {
  if (!REDIRECT_STATUSES.has(status)) return { stop: `status ${status} is not a redirect` };
  if (!location) return { stop: 'redirect without a Location header' };
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    return { stop: 'redirect to an unparsable Location' };
  }
  if (to.protocol !== 'http:' && to.protocol !== 'https:') return { stop: `redirect to a ${to.protocol} URL not followed` };
  if (to.username || to.password) return { stop: 'redirect to a URL with credentials not followed' };
  if (to.hostname.toLowerCase() !== from.hostname.toLowerCase()) {
    return { stop: `redirect to another host (${to.hostname}) not followed` };
  }
  if (from.protocol === 'https:' && to.protocol === 'http:') return { stop: 'redirect from https to http not followed' };
  return { follow: to };
}
