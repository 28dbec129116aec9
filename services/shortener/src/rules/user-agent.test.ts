import assert from "node:assert/strict";
import { test } from "node:test";
import { clickFamily, userAgentFamily } from "./user-agent.ts";

const samples: [string, string][] = [
  [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Chrome",
  ],
  [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Safari",
  ],
  ["Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "Firefox"],
  [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51",
    "Edge",
  ],
  [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/109.0.0.0",
    "Opera",
  ],
  [
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
    "Samsung Internet",
  ],
  [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
    "Chrome",
  ],
  ["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Bot"],
  ["curl/8.5.0", "curl"],
  ["Wget/1.21.4", "Wget"],
  ["PostmanRuntime/7.37.3", "Postman"],
  ["python-requests/2.31.0", "Python"],
  ["Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko", "Internet Explorer"],
  ["SomethingElse/1.0", "Other"],
  ["", "Other"],
];

test("classifies common user agents into families", () => {
  for (const [ua, family] of samples) assert.equal(userAgentFamily(ua), family, ua);
});

test("a raw header wins over the reported family; unknown labels become Other", () => {
  assert.equal(clickFamily("curl/8.0", "Chrome"), "curl");
  assert.equal(clickFamily("", "chrome"), "Chrome");
  assert.equal(clickFamily("", "Safari"), "Safari");
  assert.equal(clickFamily("", "<script>"), "Other");
  assert.equal(clickFamily("", ""), "Other");
});
