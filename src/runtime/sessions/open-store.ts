/**
 * Constructors for session stores: the file store (production) and its in-memory twin (tests),
 * and a per-agent cache so one process has one writer per transcript.
 */
import type {StoreBackend} from './backend.js'
import {createFileBackend, type FileBackendOptions} from './file-backend.js'
import {createMemoryBackend} from './memory-backend.js'
import {BackendSessionStore, type SessionStoreOptions} from './session-store.js'
import type {SessionStore, SessionStores} from './store.js'

/** The file store of one agent's sessions directory (created on first write, 0700). */
export function createFileSessionStore(dir: string, options: SessionStoreOptions & FileBackendOptions): SessionStore {
  return new BackendSessionStore(createFileBackend(dir, options), options)
}

/** The in-memory twin: same behaviour, nothing on disk. */
export function createMemorySessionStore(options: SessionStoreOptions): SessionStore {
  return new BackendSessionStore(createMemoryBackend({now: options.now, label: `memory:${options.agentId}`}), options)
}

/** A store over any backend (tests that need to inspect or corrupt the storage). */
export function createSessionStore(backend: StoreBackend, options: SessionStoreOptions): SessionStore {
  return new BackendSessionStore(backend, options)
}

/** One store per agent id, created on first use by `open`. */
export function sessionStoresOf(open: (agentId: string) => SessionStore): SessionStores {
  const stores = new Map<string, SessionStore>()
  return {
    forAgent(agentId) {
      let store = stores.get(agentId)
      if (store === undefined) {
        store = open(agentId)
        stores.set(agentId, store)
      }
      return store
    },
  }
}
