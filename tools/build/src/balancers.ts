import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingHttpHeaders,
} from "node:http";
import {
  type AddressInfo,
  connect,
  createServer as createTcpServer,
  type Server,
  type Socket,
} from "node:net";

/** A listening balancer. */
export interface Balancer {
  port: number;
  /** How many connections (TCP) or requests (HTTP) each backend received. */
  served(): Map<string, number>;
  close(): Promise<void>;
}

function listen(server: Server | ReturnType<typeof createHttpServer>, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(
  server: Server | ReturnType<typeof createHttpServer>,
  sockets: Set<Socket>,
): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * A round-robin TCP balancer, as a cluster's service address (kube-proxy) is: each connection
 * goes to the next backend; a backend that refuses the connection is skipped for the next one.
 * gRPC keeps its connections, so a client sticks to a replica until that replica goes away.
 */
export async function startTcpBalancer(backends: readonly number[], port = 0): Promise<Balancer> {
  let next = 0;
  const served = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server = createTcpServer((client) => {
    sockets.add(client);
    client.once("close", () => sockets.delete(client));
    client.pause();
    const attempt = (tries: number) => {
      if (tries >= backends.length) {
        client.destroy();
        return;
      }
      const backendPort = backends[next++ % backends.length] as number;
      const upstream = connect(backendPort, "127.0.0.1");
      sockets.add(upstream);
      upstream.once("close", () => sockets.delete(upstream));
      const refused = () => attempt(tries + 1);
      upstream.once("error", refused);
      upstream.once("connect", () => {
        upstream.removeListener("error", refused);
        served.set(String(backendPort), (served.get(String(backendPort)) ?? 0) + 1);
        upstream.on("error", () => client.destroy());
        client.on("error", () => upstream.destroy());
        upstream.once("close", () => client.destroy());
        client.once("close", () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    attempt(0);
  });
  const actual = await listen(server, port);
  return { port: actual, served: () => served, close: () => closeServer(server, sockets) };
}

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
]);

/**
 * A small round-robin HTTP load balancer in front of the gateways (the ingress): each request goes
 * to the next gateway with X-Forwarded-For/-Proto/-Host set; when a gateway cannot be connected to
 * (the request never reached it), the request goes to the next one.
 */
export async function startHttpBalancer(backends: readonly number[], port = 0): Promise<Balancer> {
  let next = 0;
  const served = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server = createHttpServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers: IncomingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
    const peer = req.socket.remoteAddress ?? "";
    headers["x-forwarded-for"] = req.headers["x-forwarded-for"]
      ? `${req.headers["x-forwarded-for"]}, ${peer}`
      : peer;
    headers["x-forwarded-proto"] = "http";
    headers["x-forwarded-host"] = req.headers.host ?? "";
    headers["content-length"] = String(body.length);
    const attempt = (tries: number) => {
      const backendPort = backends[next++ % backends.length] as number;
      const upstream = httpRequest(
        { host: "127.0.0.1", port: backendPort, method: req.method, path: req.url, headers },
        (answer) => {
          served.set(String(backendPort), (served.get(String(backendPort)) ?? 0) + 1);
          const out: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(answer.headers))
            if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
          res.writeHead(answer.statusCode ?? 502, out);
          answer.pipe(res);
        },
      );
      upstream.on("error", (error: NodeJS.ErrnoException) => {
        if (!res.headersSent && error.code === "ECONNREFUSED" && tries + 1 < backends.length) {
          attempt(tries + 1);
          return;
        }
        if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
        res.end(`bad gateway: ${error.code ?? error.message}`);
      });
      upstream.end(body);
    };
    attempt(0);
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  const actual = await listen(server, port);
  return { port: actual, served: () => served, close: () => closeServer(server, sockets) };
}
