import assert from "node:assert/strict";
import { test } from "node:test";
import { trustedPeers } from "./trusted-peers.ts";

test("addresses and CIDRs of both families; IPv4-mapped peers match their IPv4 entry", () => {
  const peers = trustedPeers(["127.0.0.1", "::1", "10.0.0.0/8", "fd00::/8"]);
  assert.equal(peers.has("127.0.0.1"), true);
  assert.equal(peers.has("::ffff:127.0.0.1"), true);
  assert.equal(peers.has("::1"), true);
  assert.equal(peers.has("10.42.7.9"), true);
  assert.equal(peers.has("::ffff:10.42.7.9"), true);
  assert.equal(peers.has("fd12:3456::1"), true);
  assert.equal(peers.has("11.0.0.1"), false);
  assert.equal(peers.has("127.0.0.2"), false);
  assert.equal(peers.has(""), false);
  assert.equal(peers.has("not an address"), false);
});

test("an empty list trusts nobody; a malformed entry is refused", () => {
  assert.equal(trustedPeers([]).has("127.0.0.1"), false);
  assert.throws(() => trustedPeers(["10.0.0.0/33"]), /not an IP address or CIDR/);
  assert.throws(() => trustedPeers(["gateway"]), /not an IP address or CIDR/);
});
