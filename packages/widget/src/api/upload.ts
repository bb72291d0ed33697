import { ApiError, errorFromBody, networkFailure } from './errors.js';
import type { RequestAuth } from './client.js';
import type { Upload } from './types.js';

export interface UploadRequest {
  url: string;
  file: Blob;
  filename: string;
  auth: RequestAuth;
  onProgress?: ((fraction: number) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** POSTs `file` as multipart field `file`, reporting progress as a 0–1 fraction. */
export function uploadWithProgress(request: UploadRequest): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', request.url);
    xhr.withCredentials = request.auth.credentials === 'include';
    for (const [name, value] of Object.entries(request.auth.headers)) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) request.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // A non-JSON answer is reported below with the status line.
      }
      if (xhr.status >= 200 && xhr.status < 300 && body && typeof (body as Upload).id === 'string') {
        request.onProgress?.(1);
        resolve(body as Upload);
      } else {
        reject(errorFromBody(xhr.status, body, xhr.statusText));
      }
    };
    xhr.onerror = () => void networkFailure(request.url, new Error('The upload could not reach the server.')).then(reject);
    xhr.onabort = () => reject(new ApiError('aborted', 'The upload was canceled.'));
    request.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', request.file, request.filename);
    xhr.send(form);
  });
}
