/** The boards file: endpoints with their tokens, and one clear error per kind of mistake. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentConfigError, BoardsConfigError } from '../errors.js';
import { boardEndpoint, loadBoards } from './boards-config.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-boards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

describe('boards file', () => {
  it('gives the endpoint with the token read from a file beside it', () => {
    writeFileSync(join(dir, 'a.token'), '  tok-a \n');
    const f = file('ok.json', { boards: [{ name: 'de10-a', host: '10.0.0.2', port: 7070, tokenFile: 'a.token' }, { name: 'pynq-b', host: 'pynq.lan', port: 7071 }] });
    expect(boardEndpoint('de10-a', f)).toEqual({ board: 'de10-a', host: '10.0.0.2', port: 7070, token: 'tok-a' });
    expect(boardEndpoint('pynq-b', f)).toEqual({ board: 'pynq-b', host: 'pynq.lan', port: 7071 });
    expect(loadBoards(file('list.json', [{ name: 'x', host: 'h', port: 1 }]))).toEqual([{ name: 'x', host: 'h', port: 1 }]);
  });

  it.each([
    ['missing.json', undefined, /boards file .*missing\.json does not exist/],
    ['bad.json', '{', /not valid JSON/],
    ['shape.json', { boards: 3 }, /expected a list of boards/],
    ['port.json', [{ name: 'a', host: 'h', port: 70000 }], /entry 0 \(a\): "port" must be an integer in 1\.\.65535/],
    ['twice.json', [{ name: 'a', host: 'h', port: 1 }, { name: 'a', host: 'h', port: 2 }], /entry 1: board "a" is listed twice/],
    ['name.json', [{ name: 'a b', host: 'h', port: 1 }], /"name" must be a word/],
  ])('%s is refused naming the problem', (name, content, message) => {
    const p = content === undefined ? join(dir, name) : file(name, content);
    expect(() => loadBoards(p)).toThrow(BoardsConfigError);
    expect(() => loadBoards(p)).toThrow(message);
  });

  it('names the boards it has when asked for another, and a token file it cannot read', () => {
    const f = file('two.json', [{ name: 'a', host: 'h', port: 1, tokenFile: 'nope.token' }, { name: 'b', host: 'h', port: 2 }]);
    expect(() => boardEndpoint('c', f)).toThrow(/no board "c" in .*two\.json; listed: a, b/);
    expect(() => boardEndpoint('a', f)).toThrow(AgentConfigError);
    expect(() => boardEndpoint('a', f)).toThrow(/cannot read token file .*nope\.token: ENOENT/);
  });
});
