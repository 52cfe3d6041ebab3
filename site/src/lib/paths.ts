/**
 * Where each page lives in the built site. Links are relative (every page passes `root`, the way
 * back to the top: '' or '../'), so the folder works from any base URL and from file://.
 */
import { createHash } from 'node:crypto';
import type { VerdictStatus } from '@discotrace/core';

export const PAGE_SIZE = 100;

/** A runs listing: all runs, or one verdict, or one region. */
export type RunList = 'all' | `verdict-${VerdictStatus}` | `region-${string}`;

export const runHref = (root: string, runId: string) => `${root}run/${runId}.html`;
export const domainHref = (root: string, domain: string) => `${root}domain/${domainSlug(domain)}.html`;
export const groupHref = (root: string, group: string) => `${root}group/${group}.html`;
export const listHref = (root: string, list: RunList, page: number) => (list === 'all' && page === 1 ? `${root}index.html` : `${root}runs/${list}/${page}.html`);

/**
 * A domain's page name: the domain itself, or for one near DNS's 253 characters (a file name holds
 * 255 bytes, ".html" included) a prefix and a hash; '_' never occurs in a domain the store indexes,
 * so neither form can equal another domain's name.
 */
export function domainSlug(domain: string): string {
  if (domain.length > 200) return `${domain.slice(0, 180)}_${createHash('sha256').update(domain).digest('hex').slice(0, 16)}`;
  // "intranet.html" would be the page "intranet.html.html", which Astro's file-format routes read
  // as the route "intranet.html" and lose: such a domain gets a '_' after its name.
  return /\.html$/i.test(domain) ? `${domain}_` : domain;
}

/**
 * Region names become path segments: an AWS-style label is used as is; anything else (spaces,
 * other scripts, very long) gets a short hash, so two regions never share a page.
 */
export function regionSlug(region: string): string {
  // '_' cannot appear in a label used as is, so a hashed slug never equals a real region's.
  return /^[a-z0-9-]{1,40}$/.test(region) ? region : `_${createHash('sha256').update(region).digest('hex').slice(0, 16)}`;
}
