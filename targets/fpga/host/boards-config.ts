/**
 * The boards file: which agents `fpga:<board>` names. JSON, either a list or { "boards": list },
 * of { "name", "host", "port", "tokenFile" } (tokenFile optional, relative to the boards file).
 * Found at --boards FILE (diff, regress), else $VTA_TRACE_BOARDS, else ./vta-boards.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readToken } from '../agent/token.js';
import { BoardsConfigError } from '../errors.js';
import type { Endpoint } from './agent-client.js';

export const BOARDS_ENV = 'VTA_TRACE_BOARDS';
export const DEFAULT_BOARDS_FILE = 'vta-boards.json';

export interface BoardEntry {
  name: string;
  host: string;
  port: number;
  tokenFile?: string;
}

export function boardsFile(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env[BOARDS_ENV] ?? DEFAULT_BOARDS_FILE);
}

export function loadBoards(file = boardsFile()): BoardEntry[] {
  if (!existsSync(file)) throw new BoardsConfigError(`boards file ${file} does not exist (give --boards FILE, set ${BOARDS_ENV} or create ${DEFAULT_BOARDS_FILE}: a list of {name, host, port, tokenFile})`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new BoardsConfigError(`boards file ${file}: not valid JSON (${(e as Error).message})`);
  }
  const list = Array.isArray(json) ? json : (json as { boards?: unknown })?.boards;
  if (!Array.isArray(list)) throw new BoardsConfigError(`boards file ${file}: expected a list of boards or { "boards": [...] }`);
  const seen = new Set<string>();
  return list.map((b: Record<string, unknown>, i) => {
    const where = `boards file ${file}, entry ${i}`;
    if (typeof b?.name !== 'string' || !/^[\w.-]+$/.test(b.name)) throw new BoardsConfigError(`${where}: "name" must be a word (letters, digits, . _ -)`);
    if (seen.has(b.name)) throw new BoardsConfigError(`${where}: board "${b.name}" is listed twice`);
    seen.add(b.name);
    if (typeof b.host !== 'string' || !b.host) throw new BoardsConfigError(`${where} (${b.name}): "host" must be a host name or address`);
    if (!Number.isInteger(b.port) || (b.port as number) < 1 || (b.port as number) > 65535) throw new BoardsConfigError(`${where} (${b.name}): "port" must be an integer in 1..65535`);
    if (b.tokenFile !== undefined && typeof b.tokenFile !== 'string') throw new BoardsConfigError(`${where} (${b.name}): "tokenFile" must be a path`);
    return { name: b.name, host: b.host, port: b.port as number, ...(b.tokenFile !== undefined ? { tokenFile: resolve(dirname(file), b.tokenFile as string) } : {}) };
  });
}

/** The endpoint of board `name`, with its token read. */
export function boardEndpoint(name: string, file = boardsFile()): Endpoint {
  const boards = loadBoards(file);
  const b = boards.find((x) => x.name === name);
  if (!b) throw new BoardsConfigError(`no board "${name}" in ${file}; listed: ${boards.map((x) => x.name).join(', ') || '(none)'}`);
  const token = b.tokenFile !== undefined ? readToken(b.tokenFile) : undefined;
  return { board: b.name, host: b.host, port: b.port, ...(token !== undefined ? { token } : {}) };
}
