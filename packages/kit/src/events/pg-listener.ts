import pg from "pg";

export interface Listener {
  stop(): Promise<void>;
}

/**
 * LISTENs on `channel` with its own connection (a pooled one would be returned mid-listen),
 * reconnecting after errors. `onNotify` also fires after every (re)connect, because
 * notifications sent while disconnected are lost and the caller must look for itself.
 */
export function listen(
  pool: pg.Pool,
  channel: string,
  onNotify: (payload: string) => void,
  onError: (error: unknown) => void = () => {},
): Listener {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel ${channel}`);
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ ...connectionOptions(pool), application_name: `listen:${channel}` });
    client = c;
    c.on("notification", (n) => onNotify(n.payload ?? ""));
    c.on("error", (error) => {
      onError(error);
      reconnect(c);
    });
    c.on("end", () => reconnect(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      if (!stopped) onNotify("");
    } catch (error) {
      onError(error);
      reconnect(c);
    }
  };
  const reconnect = (c: pg.Client): void => {
    if (stopped || client !== c) return;
    client = undefined;
    c.end().catch(() => {});
    retry = setTimeout(() => void connect(), 1_000);
  };

  void connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}

/** The connection settings of a pool, for a dedicated client on the same database. */
export function connectionOptions(pool: pg.Pool): pg.ClientConfig {
  const { connectionString, host, port, user, password, database, ssl } = pool.options;
  return { connectionString, host, port, user, password, database, ssl };
}
