const BLOB_KEY = /^(?:uploads|outputs)\/[A-Za-z0-9_-]{8,}\.(?:png|jpg|webp|gif)$/;

/** The blob key of a dotbase file URL (`…/outputs/abc.png` → `outputs/abc.png`), so outputs chain without re-upload. */
export function refFromFileUrl(url: string): string {
  try {
    const match = /(?:^|\/)((?:uploads|outputs)\/[A-Za-z0-9_-]{8,}\.(?:png|jpg|webp|gif))$/.exec(new URL(url).pathname);
    return match?.[1] ?? url;
  } catch {
    return url;
  }
}

/** Where the server serves a stored upload or output (`/files/<key>`); https URLs are their own address. */
export function urlForRef(endpoint: string, ref: string): string {
  return BLOB_KEY.test(ref) ? `${endpoint}/files/${ref}` : ref;
}
