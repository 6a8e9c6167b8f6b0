import type {Check} from './check.js'
import type {DoctorContext} from './context.js'

/** A doctor check: one file each under `checks/` or `migrations/`, ordered in `checks/index.ts`. */
export type DoctorCheck = Check<DoctorContext>
