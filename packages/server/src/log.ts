/**
 * Log lines are one JSON object each. Callers pass only what is safe to print: never request bodies, tokens,
 * keys or secrets.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * @example
 * const log = jsonLogger();
 * log.info('listening', { url: 'http://127.0.0.1:8787' });
 * // {"time":"2025-…","level":"info","msg":"listening","url":"http://127.0.0.1:8787"}
 */
export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  const emit = (level: string) => (message: string, fields: Record<string, unknown> = {}) =>
    write(JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields }));
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
