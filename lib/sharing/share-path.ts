// The share page's path, /s/<token>[/][?…], recognised in one place: the door thread sends its
// JSON form to the share API, and the app socket answers it 429 for an address over the limit.
const SHARE_PAGE = /^\/s\/([A-Za-z0-9_-]+)\/?(?:\?.*)?$/;

/** The token of a share page's path; null for any other path. */
export function sharePageToken(url: string): string | null {
  return SHARE_PAGE.exec(url)?.[1] ?? null;
}
