import {stripVTControlCharacters} from 'node:util'

import {tildify} from '../runtime/paths.js'
import type {DoctorReport} from '../runtime/doctor/run-doctor.js'
import {paint} from './style.js'

const UTF8 = /utf-?8/i

/** `✓ ! ✗ -` on a UTF-8 terminal, else `ok warn FAIL skip` (operations.md §5.5). */
function marks(): Record<string, string> {
  const utf8 = UTF8.test(process.env.LC_ALL ?? process.env.LC_CTYPE ?? process.env.LANG ?? '')
  return utf8 ? {pass: paint.green('✓'), warn: paint.yellow('!'), fail: paint.red('✗'), skip: paint.dim('-')} : {pass: 'ok', warn: 'warn', fail: 'FAIL', skip: 'skip'}
}

/** The doctor report for humans: one line per check, its fix or what was fixed, then the summary. */
export function renderDoctor(report: DoctorReport, home: string): string[] {
  const mark = marks()
  const width = Math.max(...report.checks.map((c) => c.id.length), 10) + 2
  const markWidth = Math.max(...Object.values(mark).map((m) => stripVTControlCharacters(m).length))
  const indent = ' '.repeat(markWidth + 2 + width)
  const lines = [`openclaw doctor: state ${tildify(report.stateDir, home)}, config ${tildify(report.configPath, home)}`]
  for (const check of report.checks) {
    const m = mark[check.status]
    const pad = ' '.repeat(markWidth - stripVTControlCharacters(m).length)
    lines.push(` ${m}${pad} ${check.id.padEnd(width)}${check.message}`)
    for (const action of check.fixed?.actions ?? []) lines.push(`${indent}fixed: ${action}`)
    if (check.fix !== undefined && check.status !== 'pass' && check.status !== 'skip') {
      lines.push(`${indent}fix: ${check.fix.command === undefined ? check.fix.summary : `${check.fix.command} (${check.fix.summary})`}`)
    }
  }
  const s = report.summary
  if (report.backupDir !== null) lines.push(`Backup of everything changed: ${tildify(report.backupDir, home)}`)
  lines.push(`Summary: ${s.pass} passed, ${s.warn} warning${s.warn === 1 ? '' : 's'}, ${s.fail} failed, ${s.skip} skipped${s.fixed > 0 ? `, ${s.fixed} fixed` : ''}`)
  return lines
}
