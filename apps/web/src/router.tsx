import {
  type AnchorHTMLAttributes,
  type ComponentType,
  createContext,
  type LazyExoticComponent,
  lazy,
  type MouseEvent,
  type ReactNode,
  useContext,
  useEffect,
  useState,
} from "react";
import { matchRoute } from "./lib/route-match.ts";

type Page = LazyExoticComponent<ComponentType<{ params: Record<string, string> }>>;

/** Every page, each its own chunk (code splitting per route). */
const routes: [string, Page][] = [
  ["/", lazy(() => import("./pages/home.tsx"))],
  ["/search", lazy(() => import("./pages/search.tsx"))],
  ["/p/:id", lazy(() => import("./pages/product.tsx"))],
  ["/shop/:slug", lazy(() => import("./pages/shop.tsx"))],
  ["/cart", lazy(() => import("./pages/cart.tsx"))],
  ["/checkout", lazy(() => import("./pages/checkout.tsx"))],
  ["/pay/:id", lazy(() => import("./pages/payment.tsx"))],
  ["/orders", lazy(() => import("./pages/orders.tsx"))],
  ["/orders/:id", lazy(() => import("./pages/order.tsx"))],
  ["/wishlist", lazy(() => import("./pages/wishlist.tsx"))],
  ["/notifications", lazy(() => import("./pages/notifications.tsx"))],
  ["/notifications/settings", lazy(() => import("./pages/notification-settings.tsx"))],
  ["/profile", lazy(() => import("./pages/profile.tsx"))],
  ["/register", lazy(() => import("./pages/register.tsx"))],
  ["/callback", lazy(() => import("./pages/callback.tsx"))],
  ["/seller", lazy(() => import("./pages/seller/dashboard.tsx"))],
  ["/seller/products", lazy(() => import("./pages/seller/products.tsx"))],
  ["/seller/products/:id", lazy(() => import("./pages/seller/product-edit.tsx"))],
  ["/seller/stock", lazy(() => import("./pages/seller/stock.tsx"))],
  ["/seller/suppliers", lazy(() => import("./pages/seller/suppliers.tsx"))],
  ["/seller/orders", lazy(() => import("./pages/seller/orders.tsx"))],
  ["/seller/orders/:id/label", lazy(() => import("./pages/seller/label.tsx"))],
  ["/seller/returns", lazy(() => import("./pages/seller/returns.tsx"))],
];
const notFound: Page = lazy(() => import("./pages/not-found.tsx"));

interface Location {
  path: string;
  search: string;
}

const RouterContext = createContext<Location>({ path: "/", search: "" });

function current(): Location {
  return { path: location.pathname, search: location.search };
}

/** Goes to an in-app URL without reloading. */
export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  window.dispatchEvent(new PopStateEvent("popstate"));
  window.scrollTo(0, 0);
}

/** The current path and query string. */
export function useLocation(): Location {
  return useContext(RouterContext);
}

/** The query string's parameters. */
export function useQuery(): URLSearchParams {
  return new URLSearchParams(useLocation().search);
}

/** Renders the page of the current path (a lazily loaded chunk). */
export function Router({
  render,
}: {
  render: (page: Page, params: Record<string, string>, loc: Location) => ReactNode;
}) {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const onPop = () => setLoc(current());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  let page = notFound;
  let params: Record<string, string> = {};
  for (const [pattern, p] of routes) {
    const m = matchRoute(pattern, loc.path);
    if (m) {
      page = p;
      params = m;
      break;
    }
  }
  return <RouterContext.Provider value={loc}>{render(page, params, loc)}</RouterContext.Provider>;
}

/** An in-app link: a real `<a href>` (keyboard, new tab) that navigates without a reload. */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const { onClick, href, ...rest } = props;
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (props.target && props.target !== "_self") return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} {...rest} onClick={click} />;
}
