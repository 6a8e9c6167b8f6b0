import {chmodSync, copyFileSync, mkdirSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {repoRoot} from './cli.js'

/**
 * The legacy layout of issue 8's acceptance in `<home>/.clawdbot`: `clawdbot.json` (JSON5,
 * 0644) with `agent.*`, `identity` and `routing.*` keys and no gateway token; a top-level
 * `sessions/` dir with a DM, a group session with a channel and one without; an `agent/` dir;
 * a Telegram allowlist file; a stale lock and a stale temp file; loose modes.
 */
export function writeLegacyFixture(home: string): string {
  const dir = path.join(home, '.clawdbot')
  for (const sub of ['sessions', 'agent', 'credentials', 'locks']) mkdirSync(path.join(dir, sub), {recursive: true})
  copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'legacy-clawdbot', 'clawdbot.json'), path.join(dir, 'clawdbot.json'))
  chmodSync(path.join(dir, 'clawdbot.json'), 0o644)
  const sessions = {
    main: {sessionId: 's1', updatedAt: 1_700_000_000_000, lastChannel: 'telegram'},
    'group:-100123': {sessionId: 's2', updatedAt: 1_700_000_001_000, channel: 'telegram'},
    'group:-100999': {sessionId: 's3', updatedAt: 1_700_000_002_000},
  }
  writeFileSync(path.join(dir, 'sessions', 'sessions.json'), JSON.stringify(sessions))
  for (const id of ['s1', 's2', 's3']) writeFileSync(path.join(dir, 'sessions', `${id}.jsonl`), `{"type":"session","version":3,"id":"${id}"}\n`)
  writeFileSync(path.join(dir, 'agent', 'auth-profiles.json'), '{"version":1,"profiles":{}}\n')
  writeFileSync(path.join(dir, 'credentials', 'telegram-allowFrom.json'), '{"version":1,"allowFrom":["111","222"]}\n')
  // PID 2^22+7 is above Linux's pid_max default range: never a live process.
  writeFileSync(path.join(dir, 'locks', 'state.lock'), JSON.stringify({pid: 4_194_311, hostname: os.hostname(), createdAt: '2026-01-01T00:00:00Z'}))
  writeFileSync(path.join(dir, `.clawdbot.json.4194311.ab12cd34.tmp`), '{}')
  for (const sub of ['', 'sessions', 'agent', 'credentials']) chmodSync(path.join(dir, sub), 0o755)
  return dir
}
