/**
 * A request path fit for the logs. File keys are the only thing guarding `/files/<key>` (whoever knows one can
 * read the file), so they never reach a log: not in `/files/…`, nor as the upload name in
 * `DELETE /api/uploads/<name>`.
 *
 * @example
 * loggablePath('/files/uploads/3q2-7w….png'); // '/files/[redacted]'
 */
export function loggablePath(path: string): string {
  return path.replace(/\/files\/.*$/s, '/files/[redacted]').replace(/\/api\/uploads\/.+$/s, '/api/uploads/[redacted]');
}

/** Text (an error message) with anything shaped like a file key replaced, for the same reason. */
export function withoutFileKeys(text: string): string {
  return text.replace(/\b(uploads|outputs)\/[A-Za-z0-9_-]{16,}(\.[a-z0-9]{1,5})?/g, '$1/[redacted]');
}
