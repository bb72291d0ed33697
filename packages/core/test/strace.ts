import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

/**
 * Observing syscalls from outside with strace: fsync cannot be seen from inside the process without mocking
 * `fs`, and a mock would only prove that we call it, not that the kernel is asked to.
 */

/** The syscalls a durable write is made of. */
const TRACED = ['openat', 'close', 'fsync', 'fdatasync', 'rename', 'renameat', 'renameat2'];

/** One traced event, in trace order, with fd numbers already resolved to the path they were opened as. */
export type FileEvent =
  | { call: 'open'; path: string }
  | { call: 'sync'; path: string }
  | { call: 'rename'; from: string; to: string };

/** Whether strace can be run here (missing on many dev machines and slim images). */
export async function straceAvailable(): Promise<boolean> {
  try {
    await promisify(execFile)('strace', ['-V']);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command under strace (all threads and children) and returns its stdout and the trace file's text. */
export async function runTraced(traceFile: string, command: string, args: string[], cwd: string): Promise<{ stdout: string; trace: string }> {
  const straceArgs = ['-f', '-qq', '-s', '4096', '-e', `trace=${TRACED.join(',')}`, '-o', traceFile, command, ...args];
  const { stdout } = await promisify(execFile)('strace', straceArgs, { cwd, timeout: 60_000 });
  return { stdout, trace: await readFile(traceFile, 'utf8') };
}

/** Reunites calls that strace split across threads: `PID call(… <unfinished ...>` and `PID <... call resumed>…`. */
function joinedCalls(trace: string): string[] {
  const pending = new Map<string, string>();
  const calls: string[] = [];
  for (const line of trace.split('\n')) {
    const match = /^(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, pid, text] = match as unknown as [string, string, string];
    if (text.endsWith('<unfinished ...>')) {
      pending.set(pid, text.slice(0, -'<unfinished ...>'.length).trimEnd());
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(text);
    if (resumed) {
      calls.push((pending.get(pid) ?? '') + resumed[1]);
      pending.delete(pid);
      continue;
    }
    calls.push(text);
  }
  return calls;
}

/** JSON-compatible C strings as strace prints them ("…" with backslash escapes). */
function cString(quoted: string): string {
  return JSON.parse(quoted) as string;
}

const STRING = '"(?:[^"\\\\]|\\\\.)*"';
const OPENAT = new RegExp(`^openat\\((?:AT_FDCWD|\\d+), (${STRING}),.*\\)\\s*= (\\d+)`);
const CLOSE = /^close\((\d+)\)\s*= 0/;
const SYNC = /^f(?:data)?sync\((\d+)\)\s*= 0/;
const RENAME = new RegExp(`^rename\\((${STRING}), (${STRING})\\)\\s*= 0`);
const RENAMEAT = new RegExp(`^renameat2?\\((?:AT_FDCWD|\\d+), (${STRING}), (?:AT_FDCWD|\\d+), (${STRING})(?:, \\w+)?\\)\\s*= 0`);

/**
 * The successful opens, syncs and renames of a trace, with each fsync/fdatasync named by the path its fd was opened
 * as (fds are shared by all threads of a process, and a closed fd number is forgotten so reuse cannot mislead).
 * Paths are as the process passed them; the fixture passes absolute ones.
 */
export function fileEvents(trace: string): FileEvent[] {
  const pathOfFd = new Map<string, string>();
  const events: FileEvent[] = [];
  for (const call of joinedCalls(trace)) {
    let match: RegExpExecArray | null;
    if ((match = OPENAT.exec(call))) {
      const path = cString(match[1]!);
      pathOfFd.set(match[2]!, path);
      events.push({ call: 'open', path });
    } else if ((match = CLOSE.exec(call))) {
      pathOfFd.delete(match[1]!);
    } else if ((match = SYNC.exec(call))) {
      const path = pathOfFd.get(match[1]!);
      if (path !== undefined) events.push({ call: 'sync', path });
    } else if ((match = RENAME.exec(call) ?? RENAMEAT.exec(call))) {
      events.push({ call: 'rename', from: cString(match[1]!), to: cString(match[2]!) });
    }
  }
  return events;
}
