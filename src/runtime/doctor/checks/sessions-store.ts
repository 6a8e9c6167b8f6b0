import {readFileSync} from 'node:fs'
import path from 'node:path'

import {tildify} from '../../paths.js'
import type {DoctorCheck} from '../doctor-check.js'
import {listDir} from '../fs-inspect.js'

/** Each agent's `sessions.json` parses; leftovers of a rebuild are reported. Never rewrites a transcript. */
export const sessionsStoreCheck: DoctorCheck = {
  id: 'sessions.store',
  title: 'Session stores',
  lint: true,
  inspect: (ctx) => {
    const agentsDir = path.join(ctx.paths.stateDir, 'agents')
    const broken: string[] = []
    const leftovers: string[] = []
    let stores = 0
    for (const agent of listDir(agentsDir)) {
      const dir = path.join(agentsDir, agent, 'sessions')
      const names = listDir(dir)
      if (names.includes('sessions.json')) {
        stores++
        try {
          JSON.parse(readFileSync(path.join(dir, 'sessions.json'), 'utf8'))
        } catch {
          broken.push(tildify(path.join(dir, 'sessions.json'), ctx.paths.home))
        }
      }
      leftovers.push(...names.filter((n) => n.startsWith('sessions.json.corrupt.')).map((n) => `${agent}/sessions/${n}`))
    }
    if (broken.length > 0) return {status: 'fail', message: `does not parse: ${broken.join(', ')}`, fix: {summary: 'restore it from a backup (openclaw backup restore) or move it aside; transcripts are kept', safe: false}}
    if (leftovers.length > 0) return {status: 'warn', message: `left by a store rebuild: ${leftovers.join(', ')}`, fix: {summary: 'inspect and remove them by hand once you no longer need them', safe: false}}
    return {status: 'pass', message: stores === 0 ? 'no session stores yet' : `${stores} session store${stores === 1 ? '' : 's'} parse`}
  },
}
