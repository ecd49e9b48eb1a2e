/**
 * Unified diffs applied to a design's sources at build time: a seeded-bug variant
 * (fixtures/rtl-variants/<name>/variant.patch), a patch a design description names, a mutant.
 * The patch is the only copy of the change, so it cannot drift from the RTL it changes: when the
 * RTL moves under it, a hunk stops fitting and the build is refused naming that hunk.
 *
 * `applyRtlPatch(files, patch)` is the whole API: the design's file list and one patch in, the
 * patched file list out (or an RtlPatchError). It reads and writes nothing.
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { applyPatch, parsePatch, type StructuredPatch, type StructuredPatchHunk } from 'diff';
import { VtaUserError } from '../../runtime/errors.js';

/** One source of a design (the shape of rtl-source.ts's RtlFile, repeated here so this file stands alone). */
export interface PatchableFile {
  /** File name as given to Verilator. */
  name: string;
  /** Where the source is on disk; undefined for a generated or patched file (the build writes `content`). */
  path?: string;
  content: string;
}

/** A patch and where it came from (for messages). */
export interface RtlPatch {
  /** The patch file as the user named it, or a label such as "variant alu-swap". */
  file: string;
  text: string;
}

/** A patch that cannot be read or does not fit the sources: names the patch file, and the file, hunk and line where it can. */
export class RtlPatchError extends VtaUserError {
  override name = 'RtlPatchError';
  constructor(
    readonly patchFile: string,
    problem: string,
  ) {
    super(`${patchFile}: ${problem}`);
  }
}

export function readRtlPatch(path: string, label = path): RtlPatch {
  try {
    return { file: label, text: readFileSync(resolve(path), 'utf8') };
  } catch (e) {
    throw new RtlPatchError(label, `cannot read the patch: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

const NO_FILE = '/dev/null';

/** git writes a/ and b/ before the paths; diff -u writes them as given. */
function withoutGitPrefix(name: string): string {
  return /^[ab]\//.test(name) ? name.slice(2) : name;
}

/**
 * The design file a patch path names: the file of that name, or whose path ends with it (a patch
 * made at the repository root names targets/tsim/rtl/x.sv), else the only file with its base name.
 */
function findFile(files: PatchableFile[], patchPath: string, patch: RtlPatch): number {
  const tries = patchPath === withoutGitPrefix(patchPath) ? [patchPath] : [patchPath, withoutGitPrefix(patchPath)];
  for (const p of tries) {
    const hits = files.flatMap((f, i) => (f.name === p || (f.path !== undefined && (f.path === resolve(p) || f.path.endsWith(`/${p}`))) ? [i] : []));
    if (hits.length === 1) return hits[0]!;
  }
  const base = basename(patchPath);
  const byName = files.flatMap((f, i) => (f.name === base ? [i] : []));
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) throw new RtlPatchError(patch.file, `"${patchPath}" matches ${byName.length} sources named ${base}; give the path as the design names it`);
  throw new RtlPatchError(patch.file, `"${patchPath}" is not a source of the design; its sources: ${files.map((f) => f.name).join(', ')}`);
}

/** The line of the patch text each hunk header is on (1-based), in order. */
function hunkHeaderLines(text: string): { line: number; header: string }[] {
  return text.split('\n').flatMap((l, i) => (l.startsWith('@@') ? [{ line: i + 1, header: l.replace(/\s+$/, '') }] : []));
}

const oneLineShown = (s: string | undefined) => (s === undefined ? 'the end of the file' : JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s));

/**
 * Why a hunk does not fit: the first line it expects (context or removed) that the file does not
 * have at the place its header names. Lines of other hunks do not move it: hunks do not overlap,
 * and a header counts lines of the unpatched file.
 */
function firstMismatch(original: string, hunk: StructuredPatchHunk): string {
  const lines = original.split('\n');
  let at = hunk.oldStart - 1;
  for (const l of hunk.lines) {
    if (l.startsWith('+') || l.startsWith('\\')) continue;
    const want = l.slice(1);
    const have = lines[at];
    if (have === undefined || have.replace(/\r$/, '') !== want.replace(/\r$/, '')) {
      return `line ${at + 1} should be ${oneLineShown(want)} but is ${oneLineShown(have)} (nor do the hunk's lines fit anywhere after the hunk before it)`;
    }
    at++;
  }
  // Every line matches at its place but applyPatch still refused: only when an earlier hunk moved it.
  return `its lines are where its header says, but not after the hunks before it`;
}

function structured(text: string, patch: RtlPatch): StructuredPatch[] {
  let parsed: StructuredPatch[];
  try {
    parsed = parsePatch(text);
  } catch (e) {
    throw new RtlPatchError(patch.file, `not a unified diff: ${(e as Error).message}`);
  }
  const withHunks = parsed.filter((p) => p.hunks.length > 0);
  if (withHunks.length === 0) throw new RtlPatchError(patch.file, 'no hunks: expected a unified diff (--- a/FILE, +++ b/FILE, @@ … @@ lines)');
  for (const p of withHunks) {
    if (!p.oldFileName || !p.newFileName) throw new RtlPatchError(patch.file, `a hunk without its --- / +++ file lines (${p.hunks[0]!.lines[0] ?? ''})`);
  }
  return withHunks;
}

/**
 * `files` with `patch` applied: changed files lose their `path` (the build writes their content),
 * files the patch creates (--- /dev/null) come last, files it deletes (+++ /dev/null) go. Refused,
 * naming the patch file, the source, the hunk header, the hunk's line in the patch and the first
 * line of the source that does not match, when a hunk does not fit exactly.
 */
export function applyRtlPatch<F extends PatchableFile>(files: readonly F[], patch: RtlPatch): PatchableFile[] {
  const out: PatchableFile[] = [...files];
  const headers = hunkHeaderLines(patch.text);
  let hunkIndex = 0;
  for (const filePatch of structured(patch.text, patch)) {
    const firstHunk = hunkIndex;
    hunkIndex += filePatch.hunks.length;
    const oldName = filePatch.oldFileName!;
    const newName = filePatch.newFileName!;
    if (oldName === NO_FILE) {
      const created = applyPatch('', filePatch);
      if (created === false) throw new RtlPatchError(patch.file, `the hunks creating ${newName} do not make a file`);
      out.push({ name: basename(withoutGitPrefix(newName)), content: created });
      continue;
    }
    const i = findFile(out, oldName, patch);
    const source = out[i]!;
    const patched = applyPatch(source.content, filePatch);
    if (patched === false) {
      // applyPatch only says "no": find the first hunk that does not fit by applying ever longer prefixes.
      let bad = filePatch.hunks.length - 1;
      for (let n = 1; n <= filePatch.hunks.length; n++) {
        if (applyPatch(source.content, { ...filePatch, hunks: filePatch.hunks.slice(0, n) }) === false) {
          bad = n - 1;
          break;
        }
      }
      const where = headers[firstHunk + bad];
      const hunk = filePatch.hunks[bad]!;
      const header = where?.header ?? `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`;
      throw new RtlPatchError(
        patch.file,
        `hunk ${bad + 1} of ${filePatch.hunks.length} for ${source.name} (${header}${where ? `, patch line ${where.line}` : ''}) does not apply: ${firstMismatch(source.content, hunk)}`,
      );
    }
    if (newName === NO_FILE) out.splice(i, 1);
    else out[i] = { name: source.name, content: patched };
  }
  return out;
}

/** Several patches, in order (a later one sees what the earlier ones made). */
export function applyRtlPatches<F extends PatchableFile>(files: readonly F[], patches: readonly RtlPatch[]): PatchableFile[] {
  let out: PatchableFile[] = [...files];
  for (const p of patches) out = applyRtlPatch(out, p);
  return out;
}
