/**
 * Where and from what a suite ran: the git commit (and whether the work tree had changes), the
 * branch, the commit's time (perf orders commits by it) and the machine. Outside a git checkout
 * the git fields are absent; the run is still recorded.
 */
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';

export interface GitProvenance {
  commit?: string;
  /** Uncommitted changes to tracked files, or untracked files that are not ignored. */
  dirty: boolean;
  branch?: string;
  /** Committer date, ISO 8601. */
  commitTime?: string;
}

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return undefined;
  }
}

/** The commit checked out in the git work tree holding `cwd`, or undefined outside one. */
export function gitHead(cwd: string): string | undefined {
  return git(cwd, ['rev-parse', 'HEAD']) || undefined;
}

export function gitProvenance(cwd: string): GitProvenance {
  const commit = gitHead(cwd);
  if (!commit) return { dirty: false };
  const branch = git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']);
  return {
    commit,
    dirty: (git(cwd, ['status', '--porcelain']) ?? '') !== '',
    // A detached HEAD (usual in CI) names no branch.
    ...(branch && branch !== 'HEAD' ? { branch } : {}),
    ...(() => {
      const t = git(cwd, ['show', '-s', '--format=%cI', 'HEAD']);
      return t ? { commitTime: t } : {};
    })(),
  };
}

/** CI runners have throwaway host names; VTA_MACHINE (or --machine) names the machine instead. */
export function machineName(): string {
  return process.env.VTA_MACHINE || hostname();
}
