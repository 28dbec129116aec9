import type { SandboxSession } from "@toko/contracts/toko/payment/v1/payment";

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

const rupiah = (amount: number) => `Rp${amount.toLocaleString("id-ID")}`;

const NAMES: Record<string, string> = {
  bca: "BCA",
  bni: "BNI",
  bri: "BRI",
  mandiri: "Mandiri",
  permata: "Permata",
  gopay: "GoPay",
  ovo: "OVO",
  dana: "DANA",
  shopeepay: "ShopeePay",
};

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Toko sandbox</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
.badge{background:#fde68a;padding:.1rem .4rem;border-radius:.3rem;font-size:.8rem}
input,button{font-size:1rem;padding:.4rem;margin:.2rem 0}code{font-size:1.1rem}</style></head>
<body><p class="badge">SANDBOX — no real money moves</p>${body}</body></html>
`;
}

const form = (action: string, label: string, extra = "") =>
  `<form method="post">${extra}<input type="hidden" name="action" value="${action}"><button>${label}</button></form>`;

/** The provider's hosted page for one step of a sandbox charge. */
export function sandboxPage(s: SandboxSession, error = ""): string {
  const channel = NAMES[s.channel] ?? s.channel;
  const amount = rupiah(s.amount?.amount ?? 0);
  const problem = error ? `<p role="alert" style="color:#b91c1c">${escapeHtml(error)}</p>` : "";
  const decline = form("decline", "Cancel / decline");
  if (s.step === "done") {
    const paid = s.status === "PAID";
    return page(
      "Done",
      `<h1>${paid ? "Payment sent" : "Payment declined"}</h1>
<p>${amount}${s.card ? ` with ${escapeHtml(s.card)}` : ""}. Toko is notified in a moment; you can close this page.</p>`,
    );
  }
  if (s.step === "card") {
    // The card number field has no name: the browser never submits it. card.js checks it and
    // sends only the brand and last four digits, the token a real gateway would return.
    return page(
      "Card",
      `<h1>Pay ${amount} by card</h1>${problem}
<form method="post" id="card-form"><label>Card number<br><input id="card-number" inputmode="numeric" autocomplete="cc-number" required></label><br>
<label>Expiry<br><input id="card-expiry" placeholder="MM/YY" required></label>
<label>CVV<br><input id="card-cvv" inputmode="numeric" required></label>
<input type="hidden" name="action" value="tokenize_card"><input type="hidden" name="card_brand" id="card-brand">
<input type="hidden" name="card_last4" id="card-last4"><br><button>Continue</button></form>${decline}
<script src="/payments/sandbox/card.js"></script>`,
    );
  }
  if (s.step === "three_ds") {
    return page(
      "3-D Secure",
      `<h1>3-D Secure</h1>${problem}<p>Your bank sent a code for ${amount} on ${escapeHtml(s.card)}. (Sandbox code: 112233.)</p>
${form("verify_3ds", "Verify", '<label>Code<br><input name="otp" inputmode="numeric" autocomplete="one-time-code" required></label><br>')}${decline}`,
    );
  }
  const i = s.instructions;
  const how =
    s.method === "bank_transfer_va"
      ? `<p>Transfer ${amount} to ${escapeHtml(channel)} virtual account ${
          i?.billerCode ? `(biller code <code>${escapeHtml(i.billerCode)}</code>) ` : ""
        }<code>${escapeHtml(i?.vaNumber ?? "")}</code>.</p>`
      : `<p>Open ${escapeHtml(channel)} and confirm ${amount} to TOKO.</p>`;
  return page(
    channel,
    `<h1>${escapeHtml(channel)}</h1>${problem}${how}${form("pay", `Pay ${amount}`)}${decline}`,
  );
}

/** The card form's script: Luhn check and brand; the number stays in the page. */
export const CARD_SCRIPT = `"use strict";
(function () {
  var form = document.getElementById("card-form");
  if (!form) return;
  function luhn(n) {
    var sum = 0;
    for (var i = 0; i < n.length; i++) {
      var d = Number(n[n.length - 1 - i]);
      if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
      sum += d;
    }
    return sum % 10 === 0;
  }
  function brand(n) {
    if (/^4/.test(n)) return "visa";
    if (/^(5[1-5]|2[2-7])/.test(n)) return "mastercard";
    if (/^35/.test(n)) return "jcb";
    if (/^3[47]/.test(n)) return "amex";
    return "";
  }
  form.addEventListener("submit", function (event) {
    var input = document.getElementById("card-number");
    var n = input.value.replace(/\\D/g, "");
    var b = brand(n);
    if (n.length < 12 || !luhn(n) || !b) {
      event.preventDefault();
      input.setCustomValidity("This card number is not valid");
      input.reportValidity();
      input.setCustomValidity("");
      return;
    }
    document.getElementById("card-brand").value = b;
    document.getElementById("card-last4").value = n.slice(-4);
  });
})();
`;
