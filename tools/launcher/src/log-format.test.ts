import assert from "node:assert/strict";
import { test } from "node:test";
import { prefix, renderLine } from "./log-format.ts";

const plain = { color: false };
const ESC = "\x1b[";

test("a pino JSON line becomes time, level, message and notable fields", () => {
  const time = new Date(2024, 0, 2, 3, 4, 5, 6).getTime();
  const line = JSON.stringify({
    level: 30,
    time,
    pid: 1,
    hostname: "h",
    service: "cart",
    msg: "listening",
    port: 7055,
    note: "two words",
  });
  assert.equal(renderLine(line, plain), '03:04:05.006 INFO  listening port=7055 note="two words"');
});

test("string levels (the kit's formatter) and ISO times are understood", () => {
  const out = renderLine(
    JSON.stringify({ level: "warn", time: "2024-01-02T03:04:05.006Z", msg: "slow", ms: 12 }),
    plain,
  );
  assert.match(out, /^\d\d:\d\d:05\.006 WARN {2}slow ms=12$/);
});

test("an error shows its message and its stack frames on the following lines", () => {
  const err = {
    type: "Error",
    message: "boom",
    stack: "Error: boom\n    at a (x.ts:1:1)\n    at b (y.ts:2:2)",
  };
  const out = renderLine(JSON.stringify({ level: 50, msg: "failed", err }), plain);
  assert.equal(out, "ERROR failed err=boom\n    at a (x.ts:1:1)\n    at b (y.ts:2:2)");
});

test("non-JSON lines and JSON that is not an object pass through unchanged", () => {
  assert.equal(renderLine("Listening on 8080", plain), "Listening on 8080");
  assert.equal(renderLine("{not json", plain), "{not json");
  assert.equal(renderLine("[1,2]", plain), "[1,2]");
});

test("colour codes appear only when asked for", () => {
  const line = JSON.stringify({ level: 50, msg: "x" });
  assert.ok(!(renderLine(line, plain) + prefix("cart", { color: false, prefixWidth: 6 })).includes(ESC));
  assert.ok(renderLine(line, { color: true }).includes(`${ESC}31mERROR`));
  assert.equal(prefix("cart", { color: false, prefixWidth: 6 }), "cart   | ");
});
