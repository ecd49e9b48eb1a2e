/**
 * The git side of bisect: resolving revisions, the commits between two, and one worktree per
 * commit in the cache folder (made once, reused by later runs: a commit's files never change).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VtaUserError } from '../../runtime/errors.js';

export class BisectError extends VtaUserError {
  override name = 'BisectError';
}

export interface Commit {
  sha: string;
  /** First line of the message. */
  subject: string;
}

function git(repo: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' }).trim();
  } catch (e) {
    const err = (e as { stderr?: string }).stderr?.trim().split('\n')[0] ?? (e as Error).message;
    throw new BisectError(`git ${args.join(' ')} in ${repo}: ${err}`);
  }
}

/** The top folder of the git work tree holding `dir`. */
export function repoTop(dir: string): string {
  if (!existsSync(dir)) throw new BisectError(`repository ${dir} does not exist`);
  return git(resolve(dir), ['rev-parse', '--show-toplevel']);
}

/** A revision (sha, branch, tag, HEAD~3) as its full commit sha. */
export function resolveCommit(repo: string, rev: string): string {
  if (rev.startsWith('-')) throw new BisectError(`"${rev}" is not a revision`);
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: repo, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim();
  } catch {
    throw new BisectError(`"${rev}" is not a commit of ${repo}`);
  }
}

export function commitOf(repo: string, sha: string): Commit {
  return { sha, subject: git(repo, ['show', '-s', '--format=%s', sha]) };
}

/**
 * The commits after `good` up to and including `bad`, oldest first, along bad's first-parent chain
 * (a merged branch is judged as its merge commit, as `git bisect --first-parent` does). Refused
 * when good is not on that chain.
 */
export function commitsBetween(repo: string, good: string, bad: string): Commit[] {
  if (good === bad) throw new BisectError('GOOD and BAD are the same commit');
  const shas = git(repo, ['rev-list', '--first-parent', '--reverse', `${good}..${bad}`]).split('\n').filter(Boolean);
  if (shas.length === 0) throw new BisectError(`BAD ${bad.slice(0, 12)} has no commits after GOOD ${good.slice(0, 12)} (is GOOD a descendant of BAD?)`);
  const parentOfFirst = git(repo, ['rev-parse', `${shas[0]}^`]);
  if (parentOfFirst !== good) throw new BisectError(`GOOD ${good.slice(0, 12)} is not on the first-parent chain of BAD ${bad.slice(0, 12)}`);
  return shas.map((sha) => commitOf(repo, sha));
}

/** A worktree of `sha` (detached) under `root`, made on first use. */
export function worktreeOf(repo: string, sha: string, root: string): string {
  const dir = join(root, sha);
  if (existsSync(join(dir, '.git'))) return dir;
  mkdirSync(root, { recursive: true });
  // A folder left by a removed worktree would make `worktree add` refuse: prune the stale entry first.
  git(repo, ['worktree', 'prune']);
  git(repo, ['worktree', 'add', '--detach', '--force', dir, sha]);
  return dir;
}
