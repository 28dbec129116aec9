import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DomainError } from "@toko/kit";
import { type ClientRequest, newClientFrom, redirectUriProblem } from "./client-rules.ts";

const base: ClientRequest = {
  clientId: "",
  name: "Shop app",
  type: "public",
  redirectUris: ["https://shop.example/cb"],
  postLogoutRedirectUris: [],
  grantTypes: [],
  scopes: [],
  firstParty: false,
  applicationType: "",
};

const fieldsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DomainError);
    return error.violations.map((v) => v.field);
  }
  assert.fail("expected VALIDATION_FAILED");
};

describe("client registration rules", () => {
  it("fills in defaults: generated id, code + refresh for redirecting clients, buyer scopes", () => {
    const client = newClientFrom(base);
    assert.match(client.clientId, /^c-[0-9a-f]{16}$/);
    assert.deepEqual(client.grantTypes, ["authorization_code", "refresh_token"]);
    assert.ok(client.scopes.includes("buyer") && !client.scopes.includes("admin"));
    assert.equal(client.secret, undefined);
  });

  it("gives confidential clients a strong secret and defaults them to client_credentials", () => {
    const client = newClientFrom({ ...base, type: "confidential", redirectUris: [] });
    assert.deepEqual(client.grantTypes, ["client_credentials"]);
    assert.ok((client.secret ?? "").length >= 43);
  });

  it("names every field at fault", () => {
    const fields = fieldsOf(() =>
      newClientFrom({
        ...base,
        clientId: "Not Valid",
        name: " ",
        type: undefined,
        redirectUris: ["http://shop.example/cb", "https://ok.example/#frag"],
        grantTypes: ["password"],
        scopes: ["root"],
        applicationType: "tv",
      }),
    );
    for (const f of [
      "client_id",
      "name",
      "type",
      "redirect_uris[0]",
      "redirect_uris[1]",
      "grant_types",
      "scopes",
      "application_type",
    ]) {
      assert.ok(fields.includes(f), f);
    }
  });

  it("refuses client_credentials for public clients and authorization_code without redirect URIs", () => {
    assert.deepEqual(
      fieldsOf(() => newClientFrom({ ...base, grantTypes: ["client_credentials"] })),
      ["grant_types"],
    );
    assert.deepEqual(
      fieldsOf(() =>
        newClientFrom({
          ...base,
          type: "confidential",
          redirectUris: [],
          grantTypes: ["authorization_code"],
        }),
      ),
      ["redirect_uris"],
    );
  });

  it("allows http only on loopback and private-use schemes only for native apps", () => {
    assert.equal(redirectUriProblem("http://127.0.0.1/callback", "native"), undefined);
    assert.equal(redirectUriProblem("http://localhost:3000/cb", "web"), undefined);
    assert.ok(redirectUriProblem("http://example.com/cb", "web"));
    assert.equal(redirectUriProblem("com.toko.app:/oauth", "native"), undefined);
    assert.ok(redirectUriProblem("com.toko.app:/oauth", "web"));
    assert.ok(redirectUriProblem("javascript:alert(1)", "native"));
    assert.ok(redirectUriProblem("not a url", "web"));
  });
});
