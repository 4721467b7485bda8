import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * Whether a Host header names this machine's loopback: `localhost`, 127.0.0.0/8 or [::1], with any
 * port. A page on another site that rebinds its DNS name to 127.0.0.1 still sends its own name, so
 * refusing every other name keeps such a page from reading the API or the dashboard's event stream.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined || /[@/?#\\\s]/.test(host)) return false;
  let hostname: string;
  try {
    // The URL parser lower-cases names and writes IPv4 (127.1) and IPv6 ([0:0::1]) addresses in one form.
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  if (hostname === 'localhost') return true;
  if (hostname === '[::1]') return true;
  return isIP(hostname) === 4 && hostname.startsWith('127.');
}

/** Compares a secret in constant time: both sides are hashed first, so their lengths never differ. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The token of the dashboard's URL: derived from the API key, so that the URL opens the dashboard
 * without showing the key itself, and stays the same across restarts with the same key.
 */
export function dashboardTokenFor(apiKey: string): string {
  return createHmac('sha256', apiKey).update('fanout local dashboard').digest('base64url');
}

/** A cookie's value from a Cookie header, or undefined. */
export function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  for (const pair of (cookieHeader ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return undefined;
}

/** The dashboard's cookie: one name per API port, so that two local runtimes do not overwrite each other's. */
export function dashboardCookieName(port: number): string {
  return `fanout_dashboard_${port}`;
}
