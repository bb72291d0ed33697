/**
 * Saves an image. A cross-origin `<a download>` is ignored by browsers, so the bytes are fetched and saved from an
 * object URL; if the server does not allow that (no CORS on files), the image opens in a new tab instead.
 */
export async function downloadImage(url: string, filename: string): Promise<void> {
  try {
    const response = await fetch(url, { mode: 'cors', credentials: 'omit' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const objectUrl = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = objectUrl;
    link.download = filename;
    link.rel = 'noopener';
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
  } catch {
    window.open(url, '_blank', 'noopener');
  }
}

/** `dotbase-<id>-<n>.<ext>`, keeping the output's own extension. */
export function downloadName(generationId: string, index: number, url: string): string {
  const extension = /\.(png|jpe?g|webp|gif)(?:$|\?)/i.exec(url)?.[1]?.toLowerCase() ?? 'png';
  return `dotbase-${generationId.slice(0, 8)}-${index + 1}.${extension}`;
}
