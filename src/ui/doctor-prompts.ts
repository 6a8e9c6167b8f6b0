import {confirm} from '@inquirer/prompts'

import type {FixQuestion} from '../runtime/doctor/check.js'
import {tildify} from '../runtime/paths.js'

/**
 * `doctor --fix` on a terminal (operations.md §5.1): one yes/no question per lossy fix, default
 * No, on stderr (stdout carries the report). The answer only approves that one fix.
 */
export function fixPrompter(home: string): (question: FixQuestion) => Promise<boolean> {
  return async (question) => {
    process.stderr.write(`${question.title}: ${tildify(question.message, home)}\n`)
    return confirm({message: `Apply this fix: ${question.fix.summary}?`, default: false}, {output: process.stderr})
  }
}
