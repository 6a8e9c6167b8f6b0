import {chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {gunzipSync, gzipSync} from 'node:zlib'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {makeTempHome, runCli, type TempHome} from '../helpers/cli.js'
import {snapshotDir} from '../helpers/dir-snapshot.js'

let t: TempHome
beforeEach(() => {
  t = makeTempHome()
  const s = t.stateDir
  for (const dir of ['agents/main/sessions', 'agents/main/agent', 'credentials', 'workspace', 'locks', 'logs']) mkdirSync(path.join(s, dir), {recursive: true, mode: 0o700})
  chmodSync(path.join(s, 'workspace'), 0o755)
  writeFileSync(path.join(s, 'openclaw.json'), JSON.stringify({gateway: {mode: 'local', auth: {token: 'a'.repeat(48)}}, agents: {list: [{id: 'main'}, {id: 'work', workspace: path.join(t.home, 'work-ws')}]}}), {mode: 0o600})
  writeFileSync(path.join(s, '.env'), 'OPENAI_API_KEY=sk-test\n', {mode: 0o600})
  writeFileSync(path.join(s, 'agents/main/sessions/sessions.json'), '{"agent:main:main":{"sessionId":"s1"}}', {mode: 0o600})
  writeFileSync(path.join(s, 'agents/main/sessions/s1.jsonl'), '{"type":"session"}\n{"role":"user","text":"hello transcript"}\n', {mode: 0o600})
  writeFileSync(path.join(s, 'agents/main/agent/auth-profiles.json'), '{"profiles":{}}', {mode: 0o600})
  writeFileSync(path.join(s, 'workspace/AGENTS.md'), '# agents\n', {mode: 0o644})
  writeFileSync(path.join(s, 'locks/gateway.lock'), '{}')
  writeFileSync(path.join(s, 'logs/gateway.log'), 'log\n')
  mkdirSync(path.join(t.home, 'work-ws'), {mode: 0o755})
  writeFileSync(path.join(t.home, 'work-ws', 'NOTES.md'), 'work notes\n', {mode: 0o640})
  mkdirSync(path.join(t.home, 'out'))
})
afterEach(() => t.cleanup())

/** `file:<mode>:<mtime>:<bytes>` without the mtime (a restore writes new files). */
const withoutMtime = (entry: string | undefined) => entry?.split(':').filter((_, i) => i !== 2).join(':')
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8)

async function create(extra: string[] = []): Promise<string> {
  const r = await runCli(['backup', 'create', '--output', path.join(t.home, 'out'), '--json', ...extra], {env: t.env})
  expect(r.code).toBe(0)
  expect(r.json.warnings).toContain('The archive contains secrets (tokens, API keys); store it safely.')
  return r.json.result.path
}

describe('backup', () => {
  it('create → verify passes; archive 0600 with transcripts, without locks and logs; never overwrites', async () => {
    const archive = await create(['--verify'])
    expect(path.basename(archive)).toMatch(/^openclaw-backup-\d{8}T\d{6}Z\.tar\.gz$/)
    expect(mode(archive)).toBe('600')
    const verify = await runCli(['backup', 'verify', archive, '--json'], {env: t.env})
    expect(verify.code).toBe(0)
    expect(verify.json.result).toMatchObject({ok: true, problems: []})
    const tar = gunzipSync(readFileSync(archive)).toString('latin1')
    expect(tar.startsWith('manifest.json')).toBe(true)
    expect(tar).toContain('state/agents/main/sessions/s1.jsonl')
    expect(tar).toContain('workspaces/work/NOTES.md')
    expect(tar).not.toContain('state/locks/')
    expect(tar).not.toContain('state/logs/')
    const again = await runCli(['backup', 'create', '--output', archive], {env: t.env})
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('already exists; choose another --output')
  })

  it('one flipped byte inside a file makes verify fail naming that file (exit 3)', async () => {
    const archive = await create()
    const tar = gunzipSync(readFileSync(archive))
    const at = tar.indexOf('hello transcript')
    expect(at).toBeGreaterThan(0)
    tar[at] ^= 0x01
    const flipped = path.join(t.home, 'out', 'flipped.tar.gz')
    writeFileSync(flipped, gzipSync(tar))
    const r = await runCli(['backup', 'verify', flipped, '--json'], {env: t.env})
    expect(r.code).toBe(3)
    expect(r.json.error.code).toBe('BACKUP_CORRUPT')
    expect(r.json.result.problems).toEqual([{path: 'state/agents/main/sessions/s1.jsonl', problem: 'SHA-256 differs from the manifest (the content changed)'}])
    const human = await runCli(['backup', 'verify', flipped], {env: t.env})
    expect(human.stderr).toContain('state/agents/main/sessions/s1.jsonl: SHA-256 differs')
    const restore = await runCli(['backup', 'restore', flipped, '--target', path.join(t.home, 'r0')], {env: t.env})
    expect(restore.code).toBe(3)
    expect(existsSync(path.join(t.home, 'r0'))).toBe(false)
  })

  it('a file that is not a backup is exit 1', async () => {
    const bogus = path.join(t.home, 'out', 'bogus.tar.gz')
    writeFileSync(bogus, 'not gzip at all')
    const r = await runCli(['backup', 'verify', bogus, '--json'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.json.error.code).toBe('BACKUP_UNREADABLE')
  })

  it('restore --target <empty dir> reproduces every file with its mode; refuses a non-empty target', async () => {
    const archive = await create()
    const target = path.join(t.home, 'restored')
    const wsTarget = path.join(t.home, 'ws-restored')
    const r = await runCli(['backup', 'restore', archive, '--target', target, '--workspace-target', wsTarget, '--json'], {env: t.env})
    expect(r.code).toBe(0)
    const original = snapshotDir(t.stateDir)
    const restored = snapshotDir(target)
    for (const [rel, value] of Object.entries(original)) {
      if (/^(locks|logs)(\/|$)/.test(rel)) continue
      // mtimes differ by design; bytes and modes must not.
      expect(withoutMtime(restored[rel]), rel).toBe(withoutMtime(value))
    }
    expect(readFileSync(path.join(wsTarget, 'work', 'NOTES.md'), 'utf8')).toBe('work notes\n')
    expect(mode(path.join(wsTarget, 'work', 'NOTES.md'))).toBe('640')
    expect(r.json.result.followUp).toEqual([`openclaw config set agents.list[<index of work>].workspace ${path.join(wsTarget, 'work')}`])
    const validate = await runCli(['config', 'validate', '--json'], {env: {...t.env, OPENCLAW_STATE_DIR: target}})
    expect(validate.json.result.valid).toBe(true)

    const refused = await runCli(['backup', 'restore', archive, '--target', target], {env: t.env})
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('is not empty; move it aside first')
    const conflict = await runCli(['backup', 'restore', archive, '--target', path.join(t.home, 'r2')], {env: t.env})
    expect(conflict.code).toBe(1)
    expect(conflict.stderr).toContain('workspace paths already hold files')
    expect(readdirSync(t.home)).not.toContain('r2')
  })
})
