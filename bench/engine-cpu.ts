/**
 * CPU time of processes the bench did not spawn itself (PostgreSQL's postmaster and its backends, redis-server),
 * from /proc: found by their command line, measured as a process tree.
 */
import { readdir, readFile } from 'node:fs/promises';

interface Stat {
  pid: number;
  ppid: number;
  /** utime + stime, in ms */
  ownMs: number;
  /** cutime + cstime, in ms: the children it has waited for (a backend that ended counts here) */
  childrenMs: number;
}

async function readStat(pid: number): Promise<Stat | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces: count fields from after its closing parenthesis
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[1] is ppid (field 4); 11..14 are utime, stime, cutime, cstime (fields 14–17), in clock ticks (10 ms)
    return { pid, ppid: Number(fields[1]), ownMs: (Number(fields[11]) + Number(fields[12])) * 10, childrenMs: (Number(fields[13]) + Number(fields[14])) * 10 };
  } catch {
    return undefined; // it ended while we looked
  }
}

async function pids(): Promise<number[]> {
  return (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
}

/** The first process whose command line (arguments joined by spaces) matches. */
export async function findProcess(matches: (commandLine: string) => boolean): Promise<number | undefined> {
  for (const pid of await pids()) {
    const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (matches(commandLine.split('\0').join(' ').trim())) return pid;
  }
  return undefined;
}

/** CPU ms used so far by `root`, its live children and the children it has reaped. */
export async function treeCpuMs(root: number): Promise<number> {
  const stats = (await Promise.all((await pids()).map(readStat))).filter((stat): stat is Stat => stat !== undefined);
  const self = stats.find((stat) => stat.pid === root);
  if (!self) return Number.NaN;
  return self.ownMs + self.childrenMs + stats.filter((stat) => stat.ppid === root).reduce((sum, child) => sum + child.ownMs, 0);
}
