/**
 * The floor for anything that stands between an app and Replicate: a pass-through written as cheaply as Node
 * allows (node:http both ways, a keep-alive agent, bodies piped, no framework, no validation, no storage).
 * argv[2] is the upstream origin. Prints its URL as JSON.
 */
import { Agent, createServer, request } from 'node:http';

const upstream = new URL(process.argv[2]!);
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
const server = createServer((incoming, outgoing) => {
  const forwarded = request(
    { agent, host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: upstream.host } },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    },
  );
  forwarded.on('error', () => outgoing.destroy());
  incoming.pipe(forwarded);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
