import {randomBytes} from 'node:crypto'
import {mkdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {AppError} from '../errors/app-error.js'
import {writeFileAtomic} from '../state/atomic-write.js'

export type ApprovalDecision = 'allow-once' | 'allow-always' | 'deny'

/** A pending exec approval (runtime.md §8.8); the shape of the `exec.approval.requested` event. */
export interface ApprovalRequest {
  id: string
  command: string
  cwd: string
  agentId: string
  sessionKey: string
  /** Why it needs approval (not a safe bin, dangerous, ask: always). */
  reason: string
  createdAtMs: number
  expiresAtMs: number
}

export interface ApprovalListener {
  requested?(request: ApprovalRequest): void
  /** `by` is `user` (RPC or /approve), `expired` or `aborted`. */
  resolved?(request: ApprovalRequest, decision: ApprovalDecision, by: 'user' | 'expired' | 'aborted'): void
}

export interface ApprovalStoreOptions {
  /** `<state>/exec-approvals.json` holds allow-always entries; omit to keep them in memory only. */
  file?: string
  /** Default 5 minutes. */
  ttlMs?: number
  now?: () => number
  listener?: ApprovalListener
}

interface AlwaysEntry {
  command: string
  addedAt: string
}

interface Pending {
  request: ApprovalRequest
  settle(decision: ApprovalDecision, by: 'user' | 'expired' | 'aborted'): void
}

/**
 * Pending exec approvals of one gateway (or one CLI run): ids of 8 hex chars, expiry (= deny)
 * after 5 minutes, resolution by `exec.approval.resolve` or `/approve`. `allow-always` is stored
 * per agent as the exact command in `exec-approvals.json` (0600, written atomically).
 */
export class ApprovalStore {
  private readonly pendingById = new Map<string, Pending>()
  private readonly ttlMs: number
  private readonly now: () => number

  constructor(private readonly options: ApprovalStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000
    this.now = options.now ?? Date.now
  }

  /** Asks for approval; resolves with the decision (expiry and abort both deny). */
  request(input: Omit<ApprovalRequest, 'id' | 'createdAtMs' | 'expiresAtMs'>, signal: AbortSignal): Promise<ApprovalDecision> {
    let id = randomBytes(4).toString('hex')
    while (this.pendingById.has(id)) id = randomBytes(4).toString('hex')
    const createdAtMs = this.now()
    const request: ApprovalRequest = {...input, id, createdAtMs, expiresAtMs: createdAtMs + this.ttlMs}
    return new Promise((resolve) => {
      const timer = setTimeout(() => pending.settle('deny', 'expired'), this.ttlMs)
      timer.unref?.()
      const onAbort = () => pending.settle('deny', 'aborted')
      const pending: Pending = {
        request,
        settle: (decision, by) => {
          if (!this.pendingById.delete(id)) return
          clearTimeout(timer)
          signal.removeEventListener('abort', onAbort)
          if (decision === 'allow-always') this.rememberAlways(request.agentId, request.command)
          this.options.listener?.resolved?.(request, decision, by)
          resolve(decision)
        },
      }
      this.pendingById.set(id, pending)
      if (signal.aborted) return onAbort()
      signal.addEventListener('abort', onAbort, {once: true})
      this.options.listener?.requested?.(request)
    })
  }

  /** Resolves a pending approval; EXEC_APPROVAL_UNKNOWN when the id is not pending. */
  resolveApproval(id: string, decision: ApprovalDecision): ApprovalRequest {
    const pending = this.pendingById.get(id.trim().toLowerCase())
    if (pending === undefined) {
      throw new AppError('EXEC_APPROVAL_UNKNOWN', `approval not found: ${id}`, {
        hint: ['It expired (5 minutes) or was already resolved; ask the agent to run the command again for a new id'],
        details: {id},
      })
    }
    pending.settle(decision, 'user')
    return pending.request
  }

  pending(): ApprovalRequest[] {
    return [...this.pendingById.values()].map((p) => p.request)
  }

  /** Whether the agent allowed exactly this command for good. */
  isAllowedAlways(agentId: string, command: string): boolean {
    return this.readAlways()[agentId]?.some((e) => e.command === command.trim()) ?? false
  }

  private readAlways(): Record<string, AlwaysEntry[]> {
    if (this.options.file === undefined) return this.memory
    try {
      const parsed = JSON.parse(readFileSync(this.options.file, 'utf8')) as {agents?: Record<string, AlwaysEntry[]>}
      return parsed.agents ?? {}
    } catch {
      return {}
    }
  }

  private readonly memory: Record<string, AlwaysEntry[]> = {}

  private rememberAlways(agentId: string, command: string): void {
    const agents = this.readAlways()
    const list = agents[agentId] ?? []
    if (!list.some((e) => e.command === command.trim())) list.push({command: command.trim(), addedAt: new Date(this.now()).toISOString()})
    agents[agentId] = list
    if (this.options.file === undefined) return
    mkdirSync(path.dirname(this.options.file), {recursive: true, mode: 0o700})
    writeFileAtomic(this.options.file, JSON.stringify({version: 1, agents}, null, 2) + '\n', {mode: 0o600})
  }
}
