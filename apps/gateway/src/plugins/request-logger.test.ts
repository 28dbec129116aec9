import assert from "node:assert/strict";
import { test } from "node:test";
import { createLogger } from "@toko/kit";
import type { FastifyBaseLogger } from "fastify";
import { lazyRequestLogger } from "./request-logger.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: "gateway-test",
    level: "info",
    format: "json",
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  }) as unknown as FastifyBaseLogger;
  let children = 0;
  // pino children inherit from their parent, so this counts every child made below the root.
  const child = logger.child;
  logger.child = function (this: FastifyBaseLogger, bindings, options) {
    children++;
    return child.call(this, bindings, options);
  };
  return { logger, lines, children: () => children };
}

test("a request logger that logs nothing (or only below the level) makes no child", () => {
  const { logger, lines, children } = capture();
  const log = lazyRequestLogger(logger, { request_id: "req-1" }, {});
  log.debug("not at info");
  log.trace({ a: 1 }, "nor this");
  assert.equal(log.level, "info");
  assert.equal(children(), 0);
  assert.equal(lines.length, 0);
});

test("the first enabled line makes the child once; every line carries the request id", () => {
  const { logger, lines, children } = capture();
  const log = lazyRequestLogger(logger, { request_id: "req-2" }, {});
  log.warn({ code: "UPSTREAM" }, "upstream unavailable");
  log.error(new Error("boom"), "request failed");
  assert.equal(children(), 1);
  log.child({ part: "inner" }).info("from a grandchild");
  assert.deepEqual(
    lines.map((l) => [l.request_id, l.msg]),
    [
      ["req-2", "upstream unavailable"],
      ["req-2", "request failed"],
      ["req-2", "from a grandchild"],
    ],
  );
  assert.equal(lines[0]?.code, "UPSTREAM");
  assert.equal(lines[2]?.part, "inner");
});

test("a route with its own log level gets a real child at once", () => {
  const { logger, children } = capture();
  const log = lazyRequestLogger(logger, { request_id: "req-3" }, { level: "debug" });
  assert.equal(children(), 1);
  assert.equal(log.level, "debug");
});
