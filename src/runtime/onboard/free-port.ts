import net from 'node:net'

/** True when 127.0.0.1:`port` can be bound now. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.listen({host: '127.0.0.1', port, exclusive: true}, () => server.close(() => resolve(true)))
  })
}

/** `preferred` when free, else the next free port within 20 (then `preferred` anyway). */
export async function firstFreePort(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 20 && port <= 65535; port++) if (await portFree(port)) return port
  return preferred
}
