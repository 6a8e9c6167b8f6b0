import type {DoctorCheck} from '../doctor-check.js'

/** Node ≥ 20.5 (package.json engines). */
export function nodeVersionOk(version: string): boolean {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number)
  return major > 20 || (major === 20 && minor >= 5)
}

export const runtimeNode: DoctorCheck = {
  id: 'runtime.node',
  title: 'Node.js version',
  lint: true,
  inspect: () =>
    nodeVersionOk(process.version)
      ? {status: 'pass', message: `Node ${process.version.slice(1)}`}
      : {status: 'fail', message: `Node ${process.version.slice(1)} is too old; this version needs Node 20.5 or newer`, fix: {summary: 'install Node 20.5 or newer (https://nodejs.org)', safe: false}},
}
