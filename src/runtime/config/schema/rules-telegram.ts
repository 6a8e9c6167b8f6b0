import type {ConfigIssue, PathSegment} from '../issues.js'
import {describeReceived} from './expected.js'
import {arrayAt, configIssue, isRecord, recordAt, type Tree} from './tree-access.js'

/**
 * Telegram rules (config.md §6.2, telegram.md §2, §5, §6.1), for the top level and each account.
 * An account inherits every key it does not set, so its checks use the inherited values but
 * only run when the account sets one of the keys involved (else the top-level check covers it).
 */
export function telegramIssues(tree: unknown): ConfigIssue[] {
  const base: PathSegment[] = ['channels', 'telegram']
  const top = recordAt(tree, base)
  if (Object.keys(top).length === 0) return [...commandAllowFromIssues(tree)]
  const issues: ConfigIssue[] = [...accountIssues(top, {}, base, true), ...commandAllowFromIssues(tree)]
  const accounts = recordAt(top, ['accounts'])
  for (const [id, account] of Object.entries(accounts)) {
    if (!isRecord(account)) continue
    issues.push(...accountIssues(account, top, [...base, 'accounts', id], false))
  }
  const topHasToken = top.botToken !== undefined || top.tokenFile !== undefined
  const own = recordAt(accounts, ['default'])
  if (topHasToken && (own.botToken !== undefined || own.tokenFile !== undefined)) {
    issues.push(configIssue([...base, 'accounts', 'default'], 'token for account "default" is set twice (top-level botToken/tokenFile and accounts.default)'))
  }
  if (typeof top.defaultAccount === 'string' && !Object.hasOwn(accounts, top.defaultAccount)) {
    issues.push(configIssue([...base, 'defaultAccount'], `"${top.defaultAccount}" is not an account id in channels.telegram.accounts`))
  }
  return issues
}

function accountIssues(account: Tree, inherited: Tree, path: PathSegment[], isTop: boolean): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const pick = (key: string) => (account[key] !== undefined ? account[key] : inherited[key])
  const sets = (...keys: string[]) => isTop || keys.some((key) => account[key] !== undefined)

  if (sets('dmPolicy', 'allowFrom')) {
    const policy = pick('dmPolicy') ?? 'pairing'
    const allowFrom = Array.isArray(pick('allowFrom')) ? (pick('allowFrom') as unknown[]) : []
    if (policy === 'open' && !allowFrom.some((entry) => String(entry).trim() === '*')) {
      issues.push(configIssue([...path, 'allowFrom'], 'dmPolicy "open" needs "*" in allowFrom'))
    }
    if (policy === 'allowlist' && allowFrom.length === 0) {
      issues.push(configIssue([...path, 'allowFrom'], 'dmPolicy "allowlist" needs at least one user id in allowFrom'))
    }
  }
  if (account.botToken !== undefined && account.tokenFile !== undefined) {
    issues.push(configIssue([...path, 'tokenFile'], 'botToken and tokenFile exclude each other; set only one'))
  }
  if (sets('webhookUrl', 'webhookSecret') && pick('webhookUrl') !== undefined && pick('webhookSecret') === undefined) {
    issues.push(configIssue([...path, 'webhookSecret'], 'required when webhookUrl is set'))
  }
  issues.push(...senderListIssues(account, path))
  return issues
}

/** Every sender list of one account: allowFrom, groupAllowFrom, groups and topics. */
function senderListIssues(account: Tree, path: PathSegment[]): ConfigIssue[] {
  const lists: PathSegment[][] = [['allowFrom'], ['groupAllowFrom']]
  for (const [chat, group] of Object.entries(recordAt(account, ['groups']))) {
    lists.push(['groups', chat, 'allowFrom'])
    for (const topic of Object.keys(recordAt(group, ['topics']))) lists.push(['groups', chat, 'topics', topic, 'allowFrom'])
  }
  return lists.flatMap((list) => senderIdIssues(arrayAt(account, list), [...path, ...list]))
}

function commandAllowFromIssues(tree: unknown): ConfigIssue[] {
  const path: PathSegment[] = ['commands', 'allowFrom', 'telegram']
  return senderIdIssues(arrayAt(tree, path), path)
}

const USER_ID = /^((tg|telegram):)?\d+$/i
const NEGATIVE_ID = /^((tg|telegram):)?-\d+$/i
const USERNAME = /^@[A-Za-z0-9_]{3,32}$/

/** telegram.md §6.1: user ids (number or string, optional tg:/telegram: prefix), "*", @username. */
function senderIdIssues(entries: unknown[], path: PathSegment[]): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  entries.forEach((entry, index) => {
    if (typeof entry !== 'string' && typeof entry !== 'number') return
    const text = String(entry).trim()
    if (text === '*' || USER_ID.test(text) || (typeof entry === 'string' && USERNAME.test(text))) return
    if (NEGATIVE_ID.test(text)) {
      issues.push(configIssue([...path, index], 'allowFrom expects user ids; group chat ids go under channels.telegram.groups'))
    } else {
      issues.push(configIssue([...path, index], `expected a telegram user id (digits, optionally prefixed tg: or telegram:), "*" or @username, received ${describeReceived(entry)}`))
    }
  })
  return issues
}
