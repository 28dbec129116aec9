const KEY = "toko.cart_token";

/** The guest cart's token (API.md): kept until sign-in merges the cart. */
export const cartToken = {
  get: (): string | null => localStorage.getItem(KEY),
  set: (token: string) => localStorage.setItem(KEY, token),
  clear: () => localStorage.removeItem(KEY),
};
