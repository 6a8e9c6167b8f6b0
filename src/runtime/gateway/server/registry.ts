/**
 * The RPC method registry (ARCHITECTURE.md rule 8): each method declares its name, scope, zod
 * params schema and handler; groups live one per file under `methods/`. Registering a name twice
 * throws, so a bad build fails at startup rather than shadowing a method.
 */
import type {z} from 'zod'

import {AppError} from '../../errors/app-error.js'
import type {MethodRateLimit} from './method-rate-limit.js'
import type {ClientId, ClientMode, OperatorScope} from '../protocol/frames.js'
import type {GatewayServices} from './services.js'

/** What a handler knows about the calling connection. */
export interface ConnectionView {
  readonly connId: string
  readonly role: 'operator' | 'node'
  /** Effective scopes after §4.3–4.4. */
  readonly scopes: readonly OperatorScope[]
  readonly clientId: ClientId
  readonly clientMode: ClientMode
  readonly ip: string
  readonly loopback: boolean
  /**
   * Per-connection scratch space for method groups (e.g. `logs.tail` remembers the file it last
   * answered from), keyed by group name; it lives and dies with the connection.
   */
  readonly methodState: Map<string, unknown>
}

export interface MethodContext {
  readonly conn: ConnectionView
  readonly gateway: GatewayServices
  /** The request's `id`, for log lines. */
  readonly requestId: string
  /**
   * Sends an interim `ok` response with this id at once (protocol §6.6: `agent` answers
   * `accepted`, then its final); the handler's result is the final response. Absent when the
   * caller cannot receive two responses (unit tests calling `dispatchRequest`).
   */
  readonly interim?: (payload: unknown) => void
}

/** One RPC method. `scope` undefined = callable with no scopes at all (only `health`). */
export interface MethodDefinition<S extends z.ZodType = z.ZodType> {
  readonly name: string
  readonly scope: OperatorScope | undefined
  /** Validates `params` (absent params are `{}`); read methods strip unknown keys, others use strictObject. */
  readonly params: S
  handler(params: z.output<S>, ctx: MethodContext): unknown
  /** Per-method, per-IP limit (§6.1 write methods: WRITE_METHOD_RATE_LIMIT). */
  readonly rateLimit?: MethodRateLimit
  /** False while the method's subsystem is still starting: dispatch answers retryable UNAVAILABLE (§6.1). */
  ready?(gateway: GatewayServices): boolean
}

/** Identity function that ties a handler's params type to its schema. */
export function defineMethod<S extends z.ZodType>(definition: MethodDefinition<S>): MethodDefinition {
  return definition as unknown as MethodDefinition
}

/** A build bug (exit 70): two groups claim one method name, or one claims `connect`. */
export class DuplicateMethodError extends AppError {
  constructor(readonly method: string) {
    super('INTERNAL', method === 'connect' ? 'gateway method name is reserved: connect' : `gateway method registered twice: ${method}`, {details: {method}})
    this.name = 'DuplicateMethodError'
  }
}

export class MethodRegistry {
  private readonly methods = new Map<string, MethodDefinition>()

  /** Registers each group in order; throws DuplicateMethodError on a repeated name. */
  constructor(groups: ReadonlyArray<readonly MethodDefinition[]> = []) {
    for (const group of groups) for (const method of group) this.add(method)
  }

  add(method: MethodDefinition): this {
    if (method.name === 'connect' || this.methods.has(method.name)) throw new DuplicateMethodError(method.name)
    this.methods.set(method.name, method)
    return this
  }

  get(name: string): MethodDefinition | undefined {
    return this.methods.get(name)
  }

  /** Method names in registration order (`hello-ok.features.methods`; `connect` is never listed). */
  names(): string[] {
    return [...this.methods.keys()]
  }
}
