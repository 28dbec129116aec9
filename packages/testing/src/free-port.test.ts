import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { test } from "node:test";
import { freePort } from "./postgres.ts";

test("freePort gives distinct free ports below the kernel's ephemeral range, so outgoing connections cannot take them", async () => {
  const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
  let ephemeralLow = 32768;
  try {
    ephemeralLow = Number(
      readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0],
    );
  } catch {}
  for (const port of ports) {
    assert.ok(port >= 20_000 && port < ephemeralLow, `${port} is outside 20000–${ephemeralLow - 1}`);
    // Free: a listener can take it.
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  assert.ok(new Set(ports).size >= 18, `random ports rarely repeat: ${ports.join(", ")}`);
});
