import {chmodSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'

/**
 * Fake `systemctl`, `loginctl`, `launchctl`, `journalctl`, `sudo` and `id` for service tests:
 * shell scripts on PATH that append their argv to `calls.log` (one line per call) and keep
 * unit state in files, so `is-active` reflects an earlier `restart`. Behaviour is set by env:
 * FAKE_UID/FAKE_USER/FAKE_GROUP (id), FAKE_USER_BUS=1 (the user manager answers),
 * FAKE_LINGER=yes, FAKE_LINGER_FAIL=1, FAKE_NO_SUDO=1.
 */
export interface FakeServiceTools {
  binDir: string
  /** OPENCLAW_TEST_SYSTEM_ROOT: etc/systemd/system, etc/openclaw, run/systemd/system (present). */
  systemRoot: string
  env: Record<string, string>
  calls(): string[]
}

const SCRIPTS: Record<string, string> = {
  systemctl: `
scope=""; [ "$1" = "--user" ] && { scope="user-"; shift; }
case "$1" in
  show-environment) [ "$scope" = "user-" ] && [ "$FAKE_USER_BUS" != "1" ] && { echo "Failed to connect to bus: No medium found" >&2; exit 1; }; echo "HOME=$HOME"; exit 0;;
  is-active) if [ -f "$FAKE_STATE/$scope$2.active" ]; then echo active; exit 0; else echo inactive; exit 3; fi;;
  restart|start) touch "$FAKE_STATE/$scope$2.active"; exit 0;;
  stop) rm -f "$FAKE_STATE/$scope$2.active"; exit 0;;
  enable) touch "$FAKE_STATE/$scope$2.enabled"; exit 0;;
  disable) rm -f "$FAKE_STATE/$scope$2.enabled"; exit 0;;
  is-enabled) if [ -f "$FAKE_STATE/$scope$2.enabled" ]; then echo enabled; exit 0; else echo disabled; exit 1; fi;;
  show) a=inactive; s=dead; p=0; [ -f "$FAKE_STATE/$scope$2.active" ] && { a=active; s=running; p=4242; }
        e=disabled; [ -f "$FAKE_STATE/$scope$2.enabled" ] && e=enabled
        printf 'LoadState=loaded\\nActiveState=%s\\nSubState=%s\\nMainPID=%s\\nNRestarts=0\\nExecMainStatus=0\\nUnitFileState=%s\\n' $a $s $p $e; exit 0;;
  *) exit 0;;
esac`,
  loginctl: `
case "$1" in
  show-user) echo "Linger=\${FAKE_LINGER:-no}"; exit 0;;
  enable-linger) [ "$FAKE_LINGER_FAIL" = "1" ] && { echo "Access denied" >&2; exit 1; }; exit 0;;
esac
exit 0`,
  launchctl: 'exit 0',
  journalctl: 'echo "-- No entries --"; exit 0',
  sudo: `
[ "$FAKE_NO_SUDO" = "1" ] && { echo "sudo: a password is required" >&2; exit 1; }
[ "$1" = "-n" ] && shift
[ "$1" = "-v" ] && exit 0
exec "$@"`,
  id: `
uid="\${FAKE_UID:-0}"; user="\${FAKE_USER:-root}"; group="\${FAKE_GROUP:-root}"
[ -n "$1" ] && { [ "$1" = "-gn" ] && { echo "$group"; exit 0; }; exit 1; }
echo "uid=$uid($user) gid=$uid($group) groups=$uid($group)"`,
}

export function makeFakeServiceTools(root: string): FakeServiceTools {
  const binDir = path.join(root, 'fake-bin')
  const state = path.join(root, 'fake-state')
  const systemRoot = path.join(root, 'system-root')
  for (const dir of [binDir, state, path.join(systemRoot, 'run/systemd/system')]) mkdirSync(dir, {recursive: true})
  const log = path.join(state, 'calls.log')
  writeFileSync(log, '')
  for (const [name, body] of Object.entries(SCRIPTS)) {
    const file = path.join(binDir, name)
    writeFileSync(file, `#!/bin/sh\necho "${name} $*" >> "$FAKE_LOG"\n${body}\n`)
    chmodSync(file, 0o755)
  }
  return {
    binDir,
    systemRoot,
    env: {PATH: `${binDir}:${process.env.PATH}`, FAKE_LOG: log, FAKE_STATE: state, OPENCLAW_TEST_SYSTEM_ROOT: systemRoot},
    calls: () => readFileSync(log, 'utf8').split('\n').filter((l) => l !== ''),
  }
}
