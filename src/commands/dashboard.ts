import {Flags} from '@oclif/core'

import {BaseCommand, type Outcome} from './base-command.js'
import {jsonFlag} from './flags.js'

export default class Dashboard extends BaseCommand {
  static override summary = 'Print the Control UI link, with the gateway token in the URL fragment'
  static override description = 'Builds http://127.0.0.1:<port><basePath>#token=<token> from the same port and token the gateway uses. The fragment never reaches server logs. Works with the gateway down (it says so).'
  static override examples = ['<%= config.bin %> dashboard', '<%= config.bin %> dashboard --json']
  static override flags = {
    ...jsonFlag,
    'no-open': Flags.boolean({description: 'Do not open a browser (the link is printed either way)'}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(Dashboard)
    const {paths, env} = this.context()
    const {buildDashboard} = await import('../runtime/service/dashboard.js')
    const result = await buildDashboard({paths, env})
    const human = [`Dashboard: ${result.url}`]
    if (result.authMode === 'password') human.push('Enter the gateway password in the dashboard.')
    if (!result.reachable) this.addWarning("The gateway isn't running; start it: openclaw gateway start")
    if (!flags['no-open'] && !this.jsonMode && process.stdout.isTTY && (env.DISPLAY || env.WAYLAND_DISPLAY || process.platform === 'darwin')) {
      const {openInBrowser} = await import('../runtime/process.js')
      await openInBrowser(result.url, env)
    }
    return {result, human}
  }
}
