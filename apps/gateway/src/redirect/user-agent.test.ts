import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { referrerHost, userAgentFamily } from "./user-agent.ts";

describe("userAgentFamily", () => {
  it("names common browsers and tools, preferring the most specific claim", () => {
    const chrome =
      "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
    assert.equal(userAgentFamily(chrome), "Chrome");
    assert.equal(userAgentFamily(`${chrome} Edg/126.0`), "Edge");
    assert.equal(
      userAgentFamily(
        "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
      ),
      "Safari",
    );
    assert.equal(
      userAgentFamily("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
      "Firefox",
    );
    assert.equal(userAgentFamily("curl/8.5.0"), "curl");
    assert.equal(userAgentFamily("Googlebot/2.1 (+http://www.google.com/bot.html)"), "Bot");
    assert.equal(userAgentFamily(undefined), "Other");
    assert.equal(userAgentFamily("something else"), "Other");
  });
});

describe("referrerHost", () => {
  it("keeps only the lower-cased host, and nothing for junk", () => {
    assert.equal(referrerHost("https://News.Example/a?b=c"), "news.example");
    assert.equal(referrerHost("not a url"), "");
    assert.equal(referrerHost(undefined), "");
  });
});
